@testable import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// The Swift GGUF quantizers: byte-exact against gguf-py on the quant-blocks fixture, and
/// round trips through the dequantizers for the K-types (which gguf-py cannot make). The
/// comparison with llama.cpp's C on every type is `QuantizeReferenceTests`.
@Suite struct QuantizeTests {
    let expected: SafetensorsFile

    init() throws {
        expected = try SafetensorsFile(url: Fixtures.fixture("quant-blocks.expected.safetensors"))
    }

    @Test(arguments: ["Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"])
    func bytesEqualGGUFPy(typeName: String) throws {
        let type = try #require(Quantize.supported.first { $0.name == typeName })
        let source = try expected.floats("\(typeName).source")
        let raw = try expected.uint8s("\(typeName).raw")
        let mine = Quantize.blocks(source, type: type)
        #expect(mine.count == raw.count)
        let differing = zip(mine, raw).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(differing.isEmpty, "\(differing.count) bytes differ, first at \(differing.prefix(5))")
        // and the round trip is gguf-py's dequantization
        let dequant = try expected.floats("\(typeName).dequant")
        #expect(Quantize.roundTrip(source, type: type).elementsEqual(dequant) { $0.bitPattern == $1.bitPattern })
    }

    /// Q4_K and Q6_K on the fixture source (its second row holds a zero block, a constant
    /// block, a tiny block with an outlier, a negative block, a ramp and a -30 outlier).
    @Test(arguments: [(GGMLType.q4_K, 20.0), (GGMLType.q6_K, 28.0)])
    func kQuantsRoundTrip(type: GGMLType, minSQNR: Double) throws {
        let source = try expected.floats("Q8_0.source")
        let bytes = Quantize.blocks(source, type: type)
        #expect(bytes.count == 2 * 512 / 256 * type.bytesPerBlock)
        let back = Quantize.roundTrip(source, type: type)
        let sqnr = Self.sqnr(source, back)
        #expect(sqnr > minSQNR, "SQNR \(sqnr) dB")
        // The all-zero block (row 1, cols 0-31) comes back exactly zero.
        #expect(back[512..<544].allSatisfy { $0 == 0 })
        // Q4_K's search beats Q4_0 (same 4 bits, one scale per 32 values) on this data.
        if type == .q4_K {
            #expect(sqnr > Self.sqnr(source, Quantize.roundTrip(source, type: .q4_0)))
        }
    }

    /// 20·log10(‖x‖ / ‖x − x̂‖) dB, accumulated in Double.
    static func sqnr(_ x: [Float], _ y: [Float]) -> Double {
        let signal = x.reduce(0.0) { $0 + Double($1) * Double($1) }
        let noise = zip(x, y).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
        return 10 * log10(signal / noise)
    }

    /// FNV-1a (64-bit) of the bytes ggml's reference `quantize_row_q4_K_ref` /
    /// `quantize_row_q6_K_ref` produce (ggml-quants.c built with gcc -O2 -ffp-contract=off, no
    /// FMA contraction) for the fixture source and for `pattern` below.
    static let ggmlReference: [(type: GGMLType, input: String, fnv: UInt64)] = [
        (.q4_K, "source", 0x5d86_eca3_d2be_98df), (.q4_K, "pattern", 0xb3fd_164b_9821_bfd7),
        (.q6_K, "source", 0xe2da_cffe_761c_a0c2), (.q6_K, "pattern", 0x148f_a4b6_edb5_53db),
    ]

    /// 16 super-blocks: a sawtooth of ±13.5 with ×25 outliers every 97 values, super-block 3
    /// all zero, super-block 5 all positive.
    static var pattern: [Float] {
        var x = (0..<4096).map { i -> Float in
            let v = Float((i * 7919) % 1000 - 500) / 37
            return i % 97 == 0 ? v * 25 : v
        }
        for i in 768..<1024 { x[i] = 0 }
        for i in 1280..<1536 { x[i] = abs(x[i]) }
        return x
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    @Test(arguments: ggmlReference)
    func kQuantBytesEqualGGMLReference(type: GGMLType, input: String, fnv: UInt64) throws {
        let x = input == "pattern" ? Self.pattern : try expected.floats("Q8_0.source")
        let bytes = Quantize.blocks(x, type: type)
        #expect(bytes.count == x.count / 256 * type.bytesPerBlock)
        #expect(Self.fnv1a(bytes) == fnv, "FNV-1a \(String(Self.fnv1a(bytes), radix: 16))")
    }

    @Test func allZeroSuperBlocks() {
        let zeros = [Float](repeating: 0, count: 256)
        #expect(Quantize.blocks(zeros, type: .q6_K) == [UInt8](repeating: 0, count: 210))
        #expect(Quantize.roundTrip(zeros, type: .q4_K) == zeros)
        #expect(Quantize.roundTrip(zeros, type: .q8_0) == zeros)
    }

    /// Values already on a Q6_K grid with power-of-two scales come back exactly.
    @Test func q6KExactOnItsGrid() {
        // Each 16-block: integers -32…31 times 2⁻⁴; max |x| = 2 (= -32 · 2⁻⁴) in every block.
        var x = [Float](repeating: 0, count: 256)
        for i in 0..<256 { x[i] = Float((i * 7) % 64 - 32) / 16 }
        for b in 0..<16 { x[16 * b] = -2 }
        let back = Quantize.roundTrip(x, type: .q6_K)
        let maxError = zip(x, back).map { abs($0 - $1) }.max()!
        #expect(maxError <= 1.0 / 32, "max error \(maxError)")
    }

    @Test func nearestIntIsTiesToEven() {
        #expect([0.5, 1.5, 2.5, -0.5, -1.5, 3.49, -3.51].map(Quantize.nearestInt) == [0, 2, 2, 0, -2, 3, -4])
    }
}
