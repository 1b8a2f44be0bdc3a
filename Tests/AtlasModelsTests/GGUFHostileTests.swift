import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Malformed GGUF files, made by mutating real ones: each must be a FormatError naming the file
/// and the field, never a crash.
@Suite struct GGUFHostileTests {
    static let quantBlocks = Fixtures.fixture("quant-blocks.gguf")
    static let llamaTiny = Fixtures.fixture("llama-tiny-gguf/llama-tiny.Q4_0.gguf")

    /// Writes `data` (mutated by `edit`) to a temp file and expects a FormatError about `field`.
    func expectRejected(_ source: URL, field: String, sourceLocation: SourceLocation = #_sourceLocation,
                        _ edit: (inout Data) throws -> Void) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var data = try Data(contentsOf: source)
        try edit(&data)
        let url = try writeTemp(data, name: "mutated.gguf", in: dir)
        expectFormatError(url, field: field, sourceLocation: sourceLocation) { _ = try GGUFFile(url: url) }
    }

    @Test(arguments: [quantBlocks, llamaTiny]) func everyTruncationIsAnError(source: URL) throws {
        let full = try Data(contentsOf: source)
        let original = try GGUFFile(url: source)
        let dataOffset = original.dataOffset
        let dataEnd = original.tensors.map { $0.offset + $0.byteCount }.max()!
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("truncated.gguf")
        // Every prefix through the first 600 bytes, then a stride through the header region,
        // then a few cuts inside the tensor data.
        var lengths = Array(0..<min(600, dataOffset))
        lengths += Array(stride(from: 600, to: dataOffset, by: 7))
        lengths += [dataOffset, dataOffset + 1, (dataOffset + dataEnd) / 2, dataEnd - 1]
        var checked = 0
        for n in lengths where n < full.count {
            try full.prefix(n).write(to: url)
            expectFormatError(url, field: "") { _ = try GGUFFile(url: url) }
            checked += 1
        }
        #expect(checked > 600)
        // Cutting only the padding after the last tensor leaves a valid file.
        try full.prefix(dataEnd).write(to: url)
        #expect(try GGUFFile(url: url).tensors == original.tensors)
    }

    @Test func wrongMagicAndVersion() throws {
        try expectRejected(Self.quantBlocks, field: "magic") { $0[0] = UInt8(ascii: "X") }
        try expectRejected(Self.quantBlocks, field: "version") { $0.put(UInt32(1), at: 4) }
        try expectRejected(Self.quantBlocks, field: "version") { $0.put(UInt32(4), at: 4) }
        try expectRejected(Self.quantBlocks, field: "version") { $0.put(UInt32(3).byteSwapped, at: 4) }
    }

    @Test func absurdCounts() throws {
        try expectRejected(Self.quantBlocks, field: "tensor_count") { $0.put(UInt64(1) << 60, at: 8) }
        try expectRejected(Self.quantBlocks, field: "tensor_count") { $0.put(UInt64.max, at: 8) }
        try expectRejected(Self.quantBlocks, field: "metadata_kv_count") { $0.put(UInt64(1) << 59, at: 16) }
        // The first metadata key's length.
        try expectRejected(Self.quantBlocks, field: "metadata key #0 length") { $0.put(UInt64.max, at: 24) }
        try expectRejected(Self.quantBlocks, field: "metadata key #0 length") { $0.put(UInt64(1) << 40, at: 24) }
    }

    @Test func badMetadataValues() throws {
        let arch = "general.architecture"
        try expectRejected(Self.llamaTiny, field: "metadata '\(arch)' type") {
            $0.put(UInt32(13), at: try GGUFBytes.valueTypeOffset($0, key: arch))
        }
        try expectRejected(Self.llamaTiny, field: "metadata '\(arch)' length") {
            $0.put(UInt64(1) << 40, at: try GGUFBytes.valueTypeOffset($0, key: arch) + 4)
        }
        let tokens = "tokenizer.ggml.tokens"
        try expectRejected(Self.llamaTiny, field: "metadata '\(tokens)' array count") {
            $0.put(UInt64(1) << 50, at: try GGUFBytes.valueTypeOffset($0, key: tokens) + 8)
        }
        try expectRejected(Self.llamaTiny, field: "metadata '\(tokens)' array type") {
            $0.put(UInt32(99), at: try GGUFBytes.valueTypeOffset($0, key: tokens) + 4)
        }
        // A string inside the array claims more bytes than the file has.
        try expectRejected(Self.llamaTiny, field: "metadata '\(tokens)'[0] length") {
            $0.put(UInt64(1) << 33, at: try GGUFBytes.valueTypeOffset($0, key: tokens) + 16)
        }
        try expectRejected(Self.llamaTiny, field: "add_bos_token") {
            $0[try GGUFBytes.valueTypeOffset($0, key: "tokenizer.ggml.add_bos_token") + 4] = 2
        }
        // Renaming a key to an existing one of the same length.
        try expectRejected(Self.llamaTiny, field: "metadata 'tokenizer.ggml.bos_token_id'") { data in
            let at = try #require(data.offset(of: "tokenizer.ggml.eos_token_id"))
            data.replaceSubrange(at..<(at + 27), with: Data("tokenizer.ggml.bos_token_id".utf8))
        }
    }

    @Test func badTensorInfos() throws {
        let name = "quant.Q4_K"
        try expectRejected(Self.quantBlocks, field: "tensor '\(name)' type") { data in
            data.put(UInt32(99), at: try TensorInfoFields(data, name: name).type)
        }
        // The error names the tensor and the type number.
        let typeDir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: typeDir) }
        var data = try Data(contentsOf: Self.quantBlocks)
        data.put(UInt32(99), at: try TensorInfoFields(data, name: name).type)
        let url = try writeTemp(data, name: "type99.gguf", in: typeDir)
        #expect { _ = try GGUFFile(url: url) } throws: { error in
            let e = error as? FormatError
            return e?.field.contains(name) == true && e?.found.contains("99") == true
        }

        try expectRejected(Self.quantBlocks, field: "tensor '\(name)' data") { data in
            data.put(UInt64(1) << 40, at: try TensorInfoFields(data, name: name).offset)
        }
        try expectRejected(Self.quantBlocks, field: "tensor '\(name)' offset") { data in
            data.put(UInt64.max, at: try TensorInfoFields(data, name: name).offset)
        }
        try expectRejected(Self.quantBlocks, field: "tensor '\(name)' offset") { data in
            let at = try TensorInfoFields(data, name: name).offset
            data.put(data.read(UInt64.self, at: at) + 1, at: at)
        }
        try expectRejected(Self.quantBlocks, field: "tensor '\(name)' dims") { data in
            data.put(Int64.max / 2, at: try TensorInfoFields(data, name: name).ne + 8)
        }
        try expectRejected(Self.quantBlocks, field: "tensor '\(name)' dims") { data in
            data.put(Int64(100), at: try TensorInfoFields(data, name: name).ne)       // not a multiple of 256
        }
        // ne[0] = 0 with a huge ne[1]: an empty tensor, read without overflow or allocation.
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var empty = try Data(contentsOf: Self.quantBlocks)
        let f32 = try TensorInfoFields(empty, name: "quant.F32")
        empty.put(Int64(0), at: f32.ne)
        empty.put(Int64.max / 2, at: f32.ne + 8)
        let emptyFile = try GGUFFile(url: try writeTemp(empty, name: "empty.gguf", in: dir))
        #expect(emptyFile.tensorInfo("quant.F32")?.elementCount == 0)
        let m = try emptyFile.matrix("quant.F32")
        #expect(m.count == 0 && m.cols == 0)
        try expectRejected(Self.quantBlocks, field: "tensor '\(name)' ne[1]") { data in
            data.put(Int64(-2), at: try TensorInfoFields(data, name: name).ne + 8)
        }
        try expectRejected(Self.quantBlocks, field: "tensor '\(name)' n_dims") { data in
            data.put(UInt32(5), at: try TensorInfoFields(data, name: name).nDims)
        }
        try expectRejected(Self.quantBlocks, field: "tensor 'quant.Q4_0' name") { data in
            let at = try TensorInfoFields(data, name: "quant.Q4_1").nameLength + 8
            data.replaceSubrange(at..<(at + 10), with: Data("quant.Q4_0".utf8))
        }
        try expectRejected(Self.quantBlocks, field: "offset") { data in
            let a = try TensorInfoFields(data, name: "quant.Q4_0"), b = try TensorInfoFields(data, name: "quant.Q4_1")
            data.put(data.read(UInt64.self, at: a.offset), at: b.offset)          // overlapping data
        }
    }
}

/// Seeded random corruption of the header region: every outcome is a valid file or a FormatError.
@Suite struct GGUFFuzzTests {
    @Test func randomHeaderCorruption() throws {
        let source = Fixtures.fixture("quant-blocks.gguf")
        let full = try Data(contentsOf: source)
        let headerEnd = try GGUFFile(url: source).dataOffset
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("fuzz.gguf")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        var rejected = 0, opened = 0
        for _ in 0..<800 {
            var data = full
            for _ in 0..<(1 + next() % 4) {
                let at = next() % headerEnd
                data[at] = next() % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: next())
            }
            try data.write(to: url)
            do {
                let f = try GGUFFile(url: url)
                for t in f.tensors where t.type.canDequantize { _ = try f.floats(t.name) }
                opened += 1
            } catch let e as FormatError {
                #expect(e.file == url.path)
                rejected += 1
            }
        }
        #expect(rejected > 50)
        #expect(opened + rejected == 800)
    }
}
