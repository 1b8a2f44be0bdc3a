import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Bit-exact dequantization against gguf-py's float32 output for every type in quant-blocks.gguf.
@Suite struct QuantBlocksTests {
    let gguf: GGUFFile
    let expected: SafetensorsFile

    init() throws {
        gguf = try GGUFFile(url: Fixtures.fixture("quant-blocks.gguf"))
        expected = try SafetensorsFile(url: Fixtures.fixture("quant-blocks.expected.safetensors"))
    }

    static let allTypes = ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"]

    @Test func fileHoldsEveryType() throws {
        let names = Set(gguf.tensors.map(\.type.name))
        #expect(names == Set(Self.allTypes))
        for t in gguf.tensors {
            #expect(t.dims == [512, 2])
            #expect(t.name == "quant.\(t.type.name)")
            #expect(t.byteCount == 2 * 512 / t.type.blockSize * t.type.bytesPerBlock)
        }
    }

    @Test(arguments: allTypes) func dequantizesBitExactly(typeName: String) throws {
        let info = try #require(gguf.tensors.first { $0.type.name == typeName })
        let raw = try gguf.rawBytes(info.name)
        #expect(Array(raw) == (try expected.uint8s("\(typeName).raw")))
        #expect(expected.info("\(typeName).raw")?.shape == [2, info.byteCount / 2])

        let ref = try expected.floats("\(typeName).dequant")
        let mine = try gguf.floats(info.name)
        #expect(mine.count == ref.count)
        let mismatches = zip(mine, ref).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first \(mismatches.prefix(3).map { "[\($0.offset)] \($0.element.0) vs \($0.element.1)" })")

        let m = try gguf.matrix(info.name)
        #expect(m.rows == 2 && m.cols == 512)
        #expect(m.data.elementsEqual(mine) { $0.bitPattern == $1.bitPattern })
    }

    @Test func f32EqualsSource() throws {
        let source = try expected.floats("F32.source")
        #expect(try gguf.floats("quant.F32") == source)
        #expect(source.contains { $0 != 0 })
    }

    @Test func unsupportedTypeIsAnError() throws {
        // An IQ type has a known block geometry but no dequantizer.
        #expect(!GGMLType.iq2_XXS.canDequantize)
        #expect(Dequantize.floats(UnsafeRawBufferPointer(start: nil, count: 0), type: .iq2_XXS, count: 0) == nil)
        for name in Self.allTypes { #expect(gguf.tensors.first { $0.type.name == name }?.type.canDequantize == true) }
    }
}
