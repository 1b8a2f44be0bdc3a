import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Hand-built GGUF files: every metadata value type, nested arrays, version 2, and the limits.
@Suite struct GGUFValueTypesTests {
    /// A minimal GGUF writer for tests (little-endian, 64-bit counts).
    struct Writer {
        var data = Data()
        mutating func u32(_ v: UInt32) { Swift.withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        mutating func u64(_ v: UInt64) { Swift.withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        mutating func raw<T: FixedWidthInteger>(_ v: T) { Swift.withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        mutating func string(_ s: String) { u64(UInt64(s.utf8.count)); data.append(contentsOf: s.utf8) }
        mutating func header(version: UInt32, tensors: UInt64, kvs: UInt64) {
            data.append(contentsOf: "GGUF".utf8); u32(version); u64(tensors); u64(kvs)
        }
        mutating func key(_ k: String, type: UInt32) { string(k); u32(type) }
        mutating func pad(to alignment: Int) { while data.count % alignment != 0 { data.append(0) } }
    }

    static func allTypesFile(version: UInt32) -> Data {
        var w = Writer()
        w.header(version: version, tensors: 1, kvs: 15)
        w.key("u8", type: 0); w.raw(UInt8(200))
        w.key("i8", type: 1); w.raw(Int8(-5))
        w.key("u16", type: 2); w.raw(UInt16(60000))
        w.key("i16", type: 3); w.raw(Int16(-30000))
        w.key("u32", type: 4); w.raw(UInt32(4_000_000_000))
        w.key("i32", type: 5); w.raw(Int32(-2_000_000_000))
        w.key("f32", type: 6); w.u32(Float(1.5).bitPattern)
        w.key("bool", type: 7); w.raw(UInt8(1))
        w.key("str", type: 8); w.string("héllo")
        w.key("u64", type: 10); w.u64(UInt64.max)
        w.key("i64", type: 11); w.raw(Int64.min)
        w.key("f64", type: 12); w.u64(Double(-2.25).bitPattern)
        w.key("ints", type: 9); w.u32(5); w.u64(3); w.raw(Int32(1)); w.raw(Int32(-2)); w.raw(Int32(3))
        // [[ "a", "b" ], []] : array of arrays of strings.
        w.key("nested", type: 9); w.u32(9); w.u64(2)
        w.u32(8); w.u64(2); w.string("a"); w.string("b")
        w.u32(8); w.u64(0)
        w.key("general.alignment", type: 4); w.u32(64)
        // One F16 tensor [4, 2].
        w.string("t"); w.u32(2); w.u64(4); w.u64(2); w.u32(1); w.u64(0)
        w.pad(to: 64)
        for v: Float16 in [1, -2, 0.5, 3, 65504, -0, 0.25, 7] { w.raw(v.bitPattern) }
        return w.data
    }

    @Test(arguments: [UInt32(2), 3]) func everyValueType(version: UInt32) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try writeTemp(Self.allTypesFile(version: version), name: "all.gguf", in: dir)
        let f = try GGUFFile(url: url)
        #expect(f.version == version)
        #expect(f.metadataKeys == ["u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "str",
                                   "u64", "i64", "f64", "ints", "nested", "general.alignment"])
        #expect(f["u8"] == .uint8(200) && f["u8"]?.int == 200)
        #expect(f["i8"]?.int == -5 && f["u16"]?.int == 60000 && f["i16"]?.int == -30000)
        #expect(f["u32"]?.int == 4_000_000_000 && f["i32"]?.int == -2_000_000_000)
        #expect(f["f32"]?.double == 1.5 && f["f32"] == .float32(1.5))
        #expect(f["bool"]?.bool == true)
        #expect(f["str"]?.string == "héllo")
        #expect(f["u64"] == .uint64(.max) && f["u64"]?.int == nil)
        #expect(f["i64"]?.int == Int(Int64.min))
        #expect(f["f64"]?.double == -2.25)
        #expect(f["ints"]?.ints == [1, -2, 3])
        #expect(f["ints"]?.strings == nil)
        let nested = try #require(f["nested"]?.array)
        #expect(nested.count == 2 && nested[0].strings == ["a", "b"] && nested[1].strings == [])
        #expect(f["nested"] == .array(elementType: .array, [.array(elementType: .string, [.string("a"), .string("b")]),
                                                           .array(elementType: .string, [])]))
        #expect(f.alignment == 64 && f.dataOffset % 64 == 0)
        let t = try #require(f.tensorInfo("t"))
        #expect(t.dims == [4, 2] && t.type == .f16 && t.byteCount == 16 && t.elementCount == 8)
        let m = try f.matrix("t")
        #expect(m.rows == 2 && m.cols == 4)
        #expect(m.data == [1, -2, 0.5, 3, 65504, 0, 0.25, 7])
    }

    /// Messages quote a value by gguf-py's type name, never by Swift's enum dump.
    @Test func valuesDescribeThemselvesByType() {
        #expect(GGUFValue.array(elementType: .uint32, [.uint32(1), .uint32(2), .uint32(3)]).description == "array of 3 uint32")
        #expect(GGUFValue.array(elementType: .string, []).description == "array of 0 string")
        #expect(GGUFValue.uint32(7).description == "uint32 7")
        #expect(GGUFValue.float32(-1).description == "float32 -1.0")
        #expect(GGUFValue.string(String(repeating: "a", count: 70)).description == "string \"\(String(repeating: "a", count: 64))…\"")
    }

    @Test func limits() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Arrays nested 100 deep are refused (no unbounded recursion on hostile input).
        var w = Writer()
        w.header(version: 3, tensors: 0, kvs: 1)
        w.key("deep", type: 9)
        for _ in 0..<100 { w.u32(9); w.u64(1) }
        w.u32(0); w.u64(0)
        let deep = try writeTemp(w.data, name: "deep.gguf", in: dir)
        expectFormatError(deep, field: "metadata 'deep'") { _ = try GGUFFile(url: deep) }

        // A non-power-of-two alignment.
        var a = Writer()
        a.header(version: 3, tensors: 0, kvs: 1)
        a.key("general.alignment", type: 4); a.u32(48)
        let badAlign = try writeTemp(a.data, name: "align.gguf", in: dir)
        expectFormatError(badAlign, field: "general.alignment") { _ = try GGUFFile(url: badAlign) }

        // A tensor of a type without a dequantizer opens, but floats() says which type.
        var q = Writer()
        q.header(version: 3, tensors: 1, kvs: 0)
        q.string("iq"); q.u32(1); q.u64(256); q.u32(GGMLType.iq2_XXS.rawValue); q.u64(0)
        q.pad(to: 32)
        q.data.append(Data(count: GGMLType.iq2_XXS.bytesPerBlock))
        let iq = try writeTemp(q.data, name: "iq.gguf", in: dir)
        let f = try GGUFFile(url: iq)
        #expect(try f.rawBytes("iq").count == 66)
        expectFormatError(iq, field: "tensor 'iq' type") { _ = try f.floats("iq") }
        expectFormatError(iq, field: "tensor 'missing'") { _ = try f.floats("missing") }

        // Not a file at all.
        expectFormatError(dir, field: "file") { _ = try GGUFFile(url: dir) }
    }
}
