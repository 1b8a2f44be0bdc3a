import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// GGUF exports in block types, as `llama-quantize --pure` writes them: every matrix in the
/// type (or llama.cpp's fallback for its row length), 1-D tensors F32; read back by our loader
/// to exactly the quantize–dequantize round trip of the source weights.
@Suite struct QuantizedExportTests {
    static let tinySource = Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")
    static let provenance = ExportProvenance(sourceFile: "test", sourceSHA256: "0", mitigations: [], toolVersion: "test")

    /// llama-tiny with 256-wide rows (one block, 4 heads of 64, 2 KV heads) and an FFN of
    /// `ffn`: seeded N(0, 0.05²) matrices, norms around 1, llama-tiny's tokenizer.
    static func wideLlama(ffn: Int) throws -> URL {
        let tiny = try GGUFFile(url: tinySource)
        let overrides: [String: GGUFValue] = [
            "general.name": .string("llama-wide"), "llama.embedding_length": .uint32(256), "llama.block_count": .uint32(1),
            "llama.feed_forward_length": .uint32(UInt32(ffn)), "llama.rope.dimension_count": .uint32(64)]
        let metadata = tiny.metadataKeys.map { (key: $0, value: overrides[$0] ?? tiny.metadata[$0]!) }
        var seed: UInt64 = 7
        func matrix(_ name: String, _ rows: Int, _ cols: Int) -> ExportTensor {
            seed += 1
            return ExportTensor(name: name, shape: [rows, cols], values: QuantizeReferenceTests.gaussian(rows * cols, seed: seed).map { $0 * 0.05 })
        }
        func norm(_ name: String) -> ExportTensor {
            seed += 1
            return ExportTensor(name: name, shape: [256], values: QuantizeReferenceTests.gaussian(256, seed: seed).map { 1 + $0 * 0.1 })
        }
        let tensors = [matrix("token_embd.weight", 320, 256), norm("output_norm.weight"), norm("blk.0.attn_norm.weight"),
                       matrix("blk.0.attn_q.weight", 256, 256), matrix("blk.0.attn_k.weight", 128, 256),
                       matrix("blk.0.attn_v.weight", 128, 256), matrix("blk.0.attn_output.weight", 256, 256),
                       norm("blk.0.ffn_norm.weight"), matrix("blk.0.ffn_gate.weight", ffn, 256),
                       matrix("blk.0.ffn_up.weight", ffn, 256), matrix("blk.0.ffn_down.weight", 256, ffn)]
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("llama-wide.F32.gguf")
        try GGUFWriter.write(metadata: metadata, tensors: tensors, to: url)
        return url
    }

    /// Exports `source` as `format` and checks the file: each matrix in `expected(rowLength)`,
    /// 1-D tensors F32, llama.cpp's file type; the loader's weights are `Quantize.roundTrip` of
    /// the source's and the logits those of `roundedLikeGGUF`. Returns the reported summary.
    static func exportAndCheck(_ source: URL, _ format: ExportFormat, fileType: UInt32,
                               expected: (Int) -> GGMLType) throws -> [String] {
        let model = try #require(try ModelLoader.load(source).decoder() as? LlamaModel)
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("export.gguf")
        var notes: [String] = []
        try ModelExport.write(model, source: source, format: format, provenance: provenance, to: out, report: { notes.append($0) })

        let file = try GGUFFile(url: out)
        #expect(file.metadata["general.file_type"] == .uint32(fileType) && file.metadata["general.quantization_version"] == .uint32(2))
        for t in file.tensors {
            #expect(t.type == (t.dims.count == 1 ? .f32 : expected(t.rowLength)), "\(t.name) \(t.dims)")
        }
        let down = model.linear(at: LinearSite(block: 0, kind: .down)).weight   // not permuted: the file holds its blocks as is
        if expected(down.cols) != .f16 {
            #expect(Array(try file.rawBytes("blk.0.ffn_down.weight")) == Quantize.blocks(down.data, type: expected(down.cols)))
        }

        let reloaded = try #require(try ModelLoader.load(out).decoder() as? LlamaModel)
        for site in model.linearSites {
            let w = model.linear(at: site).weight
            #expect(reloaded.linear(at: site).weight.data == roundTrip(w.data, expected(w.cols)), "\(site.tensorName)")
        }
        let e = model.tokenEmbedding
        #expect(reloaded.tokenEmbedding.data == roundTrip(e.data, expected(e.cols)))
        #expect(reloaded.finalNorm.gamma == model.finalNorm.gamma && reloaded.blocks[0].attnNorm.gamma == model.blocks[0].attnNorm.gamma)
        let ids: [Int32] = (0..<16).map { Int32(($0 * 37 + 11) % 320) }
        let reference = LlamaExportTensors.roundedLikeGGUF(model, dtype: try #require(format.ggufDType))
        #expect(reloaded.forward(tokens: ids).data == reference.forward(tokens: ids).data)
        #expect(reloaded.forward(tokens: ids).data != model.forward(tokens: ids).data, "quantization changed nothing")
        return notes
    }

    /// The values a GGUF tensor of `type` reads back as.
    static func roundTrip(_ values: [Float], _ type: GGMLType) -> [Float] {
        type == .f16 ? values.map { Float(Float16($0)) } : Quantize.roundTrip(values, type: type)
    }

    /// llama-tiny's rows (64 and 160 values) hold whole 32-blocks, never 256-blocks: Q8_0 is
    /// written as asked, Q4_K falls back to Q5_0 and Q6_K to Q8_0 everywhere.
    @Test(arguments: [(ExportFormat.ggufQ8_0, GGMLType.q8_0, UInt32(7)), (.ggufQ4_K, .q5_0, 14), (.ggufQ6_K, .q8_0, 18)])
    func llamaTinyInEveryBlockType(format: ExportFormat, stored: GGMLType, fileType: UInt32) throws {
        let notes = try Self.exportAndCheck(Self.tinySource, format, fileType: fileType) { _ in stored }
        let requested = try #require(format.ggufDType)
        let matrices = requested == .q8_0 ? "22 Q8_0" : "22 \(stored.name) (fallback: row lengths 64, 160 not a multiple of 256)"
        #expect(notes == ["29 tensors: \(matrices), 7 F32 (1-D)"])
    }

    /// 256-wide rows take Q4_K / Q6_K itself; the FFN down projection's 576-long rows fall back.
    @Test(arguments: [(ExportFormat.ggufQ4_K, GGMLType.q4_K, GGMLType.q5_0, UInt32(14)), (.ggufQ6_K, .q6_K, .q8_0, 18)])
    func wideRowsTakeTheKTypeAndOthersFallBack(format: ExportFormat, type: GGMLType, fallback: GGMLType, fileType: UInt32) throws {
        let notes = try Self.exportAndCheck(try Self.wideLlama(ffn: 576), format, fileType: fileType) { $0 == 576 ? fallback : type }
        #expect(notes == ["11 tensors: 7 \(type.name), 1 \(fallback.name) (fallback: row length 576 not a multiple of 256), 3 F32 (1-D)"])
    }

    /// Rows too short even for the 32-value fallback are F16 (an FFN of 16 makes ffn_down's rows
    /// 16 long).
    @Test func rowsShorterThanAnyBlockAreF16() throws {
        let notes = try Self.exportAndCheck(try Self.wideLlama(ffn: 16), .ggufQ6_K, fileType: 18) { $0 == 16 ? .f16 : .q6_K }
        #expect(notes == ["11 tensors: 7 Q6_K, 1 F16 (fallback: row length 16 not a multiple of 256), 3 F32 (1-D)"])
    }

    static let blockTypes: [ExportDType] = [.q8_0, .q5_0, .q4_K, .q6_K]

    @Test(arguments: blockTypes)
    func ggufRoundTrip(dtype: ExportDType) throws {
        let n = dtype.ggmlType.blockSize
        let tensors = [
            ExportTensor(name: "m", shape: [3, 2 * n], values: QuantizeReferenceTests.gaussian(6 * n, seed: 1), dtype: dtype),
            ExportTensor(name: "cube", shape: [2, 2, n], values: QuantizeReferenceTests.gaussian(4 * n, seed: 2).map { $0 * 100 }, dtype: dtype),
            ExportTensor(name: "norm", shape: [5], values: [1, 2, 3, 4, 5]),
        ]
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("q.gguf")
        try GGUFWriter.write(metadata: ExportWriterTests.metadata, tensors: tensors, to: url)
        let file = try GGUFFile(url: url)
        for t in tensors {
            let info = try #require(file.tensorInfo(t.name))
            #expect(info.type == t.dtype.ggmlType && info.byteCount == t.byteCount && info.dims == Array(t.shape.reversed()))
            #expect((info.offset - file.dataOffset) % 64 == 0)
            if t.dtype.isQuantized { #expect(Array(try file.rawBytes(t.name)) == Quantize.blocks(t.values, type: t.dtype.ggmlType)) }
            #expect(try file.floats(t.name) == t.dtype.rounded(t.values))
        }
        #expect(tensors[0].byteCount == 3 * 2 * dtype.ggmlType.bytesPerBlock)
    }

    @Test(arguments: blockTypes)
    func nonFiniteValuesAreAnErrorNamingTheTensor(dtype: ExportDType) throws {
        let dir = try Fixtures.temporaryDirectory()
        for bad in [Float.nan, .infinity, -.infinity] {
            var values = QuantizeReferenceTests.gaussian(2 * 256, seed: 3)
            values[300] = bad
            let url = dir.appendingPathComponent("bad.gguf")
            expectFormatError(url, field: "tensor 'blk.0.ffn_up.weight' values") {
                try GGUFWriter.write(metadata: [], tensors: [ExportTensor(name: "blk.0.ffn_up.weight", shape: [2, 256], values: values, dtype: dtype)], to: url)
            }
        }
    }

    @Test func overflowingScaleIsAnErrorNamingTheBlock() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("big.gguf")
        var values = [Float](repeating: 1, count: 64)
        values[40] = 1e7
        expectFormatError(url, field: "tensor 'w' block 1") {
            try GGUFWriter.write(metadata: [], tensors: [ExportTensor(name: "w", shape: [1, 64], values: values, dtype: .q8_0)], to: url)
        }
        try GGUFWriter.write(metadata: [], tensors: [ExportTensor(name: "w", shape: [1, 64], values: values, dtype: .f32)], to: url)
    }

    /// A row length no block tiles is refused before anything is written (llama.cpp stops on
    /// Q8_0 rows that are not a multiple of 32: it defines no fallback), and block types are
    /// GGUF only.
    @Test func rowsWithoutWholeBlocksAndSafetensorsAreRefused() throws {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("rows.gguf")
        for dtype in Self.blockTypes {
            expectFormatError(url, field: "tensor 'w' row length") {
                try GGUFWriter.write(metadata: [], tensors: [ExportTensor(name: "w", shape: [4, 48], values: [Float](repeating: 0, count: 192), dtype: dtype)], to: url)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        let st = dir.appendingPathComponent("q.safetensors")
        expectFormatError(st, field: "tensor 'w' dtype") {
            try SafetensorsWriter.write([ExportTensor(name: "w", shape: [1, 32], values: [Float](repeating: 0, count: 32), dtype: .q8_0)], metadata: [:], to: st)
        }
    }

    /// `llama-quantize --pure`'s choice per matrix, in export types.
    @Test func matricesTakeTheTypeOrItsFallback() {
        #expect(ExportDType.q4_K.forMatrix(rowLength: 1536) == .q4_K && ExportDType.q4_K.forMatrix(rowLength: 576) == .q5_0)
        #expect(ExportDType.q6_K.forMatrix(rowLength: 576) == .q8_0 && ExportDType.q6_K.forMatrix(rowLength: 200) == .f16)
        #expect(ExportDType.q8_0.forMatrix(rowLength: 50) == .q8_0, "no fallback: the type stays and the writer refuses it")
        #expect(ExportDType.f16.forMatrix(rowLength: 7) == .f16 && ExportDType.f32.forMatrix(rowLength: 7) == .f32)
    }

    @Test func exportFormatsNameTheirTypes() {
        #expect(ExportFormat.allCases.map(\.rawValue) == ["safetensors", "gguf-f32", "gguf-f16", "gguf-q8_0", "gguf-q4_k", "gguf-q6_k"])
        #expect(ExportFormat.allCases.map { $0.ggufDType?.llamaFileType } == [nil, 0, 1, 7, 14, 18])
        #expect(ExportDType.allCases.allSatisfy { $0.ggmlType.name == $0.rawValue })
    }
}
