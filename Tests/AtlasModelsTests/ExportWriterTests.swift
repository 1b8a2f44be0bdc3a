import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// The safetensors and GGUF writers, read back by our readers; atomic output.
@Suite struct ExportWriterTests {
    static let tensors: [ExportTensor] = [
        ExportTensor(name: "a.weight", shape: [3, 5], values: (0..<15).map { Float($0) * 0.1 - 0.7 }),
        ExportTensor(name: "b.norm", shape: [7], values: (0..<7).map { 1 + Float($0) / 3 }),
        ExportTensor(name: "c.cube", shape: [2, 3, 4], values: (0..<24).map { sin(Float($0)) * 1000 }),
    ]

    static func typed(_ dtype: ExportDType) -> [ExportTensor] {
        tensors.map { var t = $0; t.dtype = dtype; return t }
    }

    @Test(arguments: [ExportDType.f32, .f16])
    func safetensorsRoundTrip(dtype: ExportDType) throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("x.safetensors")
        try SafetensorsWriter.write(Self.typed(dtype), metadata: ["format": "pt", "note": "a/b \"q\""], to: url)
        let bytes = try Data(contentsOf: url)
        let n = Int(bytes.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        #expect(n % 8 == 0, "data section 8-byte aligned")
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        #expect(header.hasPrefix("{\"__metadata__\":"))
        #expect(header.trimmingCharacters(in: .whitespaces).hasSuffix("}"))
        #expect(bytes.count == 8 + n + Self.tensors.reduce(0) { $0 + dtype.byteCount($1.values.count) })
        let file = try SafetensorsFile(url: url)
        #expect(file.metadata == ["format": "pt", "note": "a/b \"q\""])
        #expect(file.tensorNames == ["a.weight", "b.norm", "c.cube"])
        for t in Self.tensors {
            let info = try #require(file.info(t.name))
            #expect(info.dtype.rawValue == dtype.rawValue && info.shape == t.shape)
            #expect(try file.floats(t.name) == dtype.rounded(t.values))
        }
    }

    static let metadata: [(key: String, value: GGUFValue)] = [
        ("general.architecture", .string("test")), ("general.alignment", .uint32(64)),
        ("u8", .uint8(200)), ("i8", .int8(-100)), ("u16", .uint16(60_000)), ("i16", .int16(-30_000)),
        ("u32", .uint32(4_000_000_000)), ("i32", .int32(-2_000_000_000)), ("u64", .uint64(1 << 60)), ("i64", .int64(-(1 << 60))),
        ("f32", .float32(3.25)), ("f64", .float64(-1e300)), ("yes", .bool(true)), ("no", .bool(false)), ("s", .string("héllo ✓")),
        ("ints", .array(elementType: .int32, [.int32(1), .int32(-2)])), ("empty", .array(elementType: .string, [])),
        ("nested", .array(elementType: .array, [.array(elementType: .uint8, [.uint8(1)]), .array(elementType: .uint8, [])])),
    ]

    @Test(arguments: [ExportDType.f32, .f16])
    func ggufRoundTrip(dtype: ExportDType) throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("x.gguf")
        try GGUFWriter.write(metadata: Self.metadata, tensors: Self.typed(dtype), to: url)
        let file = try GGUFFile(url: url)
        #expect(file.version == 3 && file.alignment == 64 && file.dataOffset % 64 == 0)
        #expect(file.metadataKeys == Self.metadata.map(\.key))
        for (key, value) in Self.metadata { #expect(file.metadata[key] == value, "\(key)") }
        #expect(file.tensors.map(\.name) == Self.tensors.map(\.name))
        for t in Self.tensors {
            let info = try #require(file.tensorInfo(t.name))
            #expect(info.dims == Array(t.shape.reversed()))
            #expect(info.type == (dtype == .f32 ? .f32 : .f16))
            #expect((info.offset - file.dataOffset) % 64 == 0)
            #expect(try file.floats(t.name) == dtype.rounded(t.values))
        }
    }

    @Test func badAlignmentAndDuplicateKeysAreRefused() throws {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("bad.gguf")
        expectFormatError(url, field: "general.alignment") {
            try GGUFWriter.write(metadata: [("general.alignment", .uint32(48))], tensors: Self.tensors, to: url)
        }
        expectFormatError(url, field: "metadata 'k'") {
            try GGUFWriter.write(metadata: [("k", .bool(true)), ("k", .bool(false))], tensors: Self.tensors, to: url)
        }
    }

    @Test func halfPrecisionOverflowFailsAndLeavesNothing() throws {
        let dir = try Fixtures.temporaryDirectory()
        let target = dir.appendingPathComponent("big.gguf")
        let big = [ExportTensor(name: "w", shape: [2], values: [1, 70_000], dtype: .f16)]
        do {
            try AtomicOutput.write(target, force: false, directory: false) { try GGUFWriter.write(metadata: [], tensors: big, to: $0) }
            Issue.record("no error")
        } catch let error as FormatError {
            #expect(error.field == "tensor 'w' values" && error.found == "70000.0", "\(error)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "no target, no temporary")
    }

    @Test func existingOutputIsRefusedUnlessForced() throws {
        let dir = try Fixtures.temporaryDirectory()
        let folder = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        try AtomicOutput.check(folder, force: false)   // an empty folder may be written
        try Data("keep".utf8).write(to: folder.appendingPathComponent("old.txt"))
        expectFormatError(folder, field: "output path") {
            try AtomicOutput.write(folder, force: false, directory: true) { _ in Issue.record("body ran") }
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("old.txt").path))
        try AtomicOutput.write(folder, force: true, directory: true) { try Data("new".utf8).write(to: $0.appendingPathComponent("new.txt")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["new.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out"], "no temporary left")
        expectFormatError(dir.appendingPathComponent("missing/x.gguf"), field: "output folder") {
            try AtomicOutput.check(dir.appendingPathComponent("missing/x.gguf"), force: false)
        }
    }
}
