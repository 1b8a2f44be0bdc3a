@testable import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// `Quantize` against llama.cpp's reference C quantizers (Tests/Fixtures/quantize-reference,
/// made by ggml-quants.c's `quantize_row_*_ref`; see its README), the quality of the round trip
/// on Gaussian data, and the edge cases of C's conversions.
@Suite struct QuantizeReferenceTests {
    static let folder = "quantize-reference"
    static let rowLength = 512

    static func input() throws -> [Float] {
        let data = try Data(contentsOf: Fixtures.repoFixture("\(folder)/input.f32"))
        return data.withUnsafeBytes { raw in (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
    }

    @Test(arguments: [GGMLType.q8_0, .q5_0, .q4_K, .q6_K])
    func bytesEqualLlamaCppReference(type: GGMLType) throws {
        let x = try Self.input()
        #expect(x.count == 6 * Self.rowLength)
        let expected = [UInt8](try Data(contentsOf: Fixtures.repoFixture("\(Self.folder)/\(type.name).bin")))
        let mine = Quantize.blocks(x, type: type)
        #expect(mine.count == expected.count && mine.count == x.count / type.blockSize * type.bytesPerBlock)
        let differing = zip(mine, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(differing.isEmpty, "\(type.name): \(differing.count) bytes differ, first in blocks \(Set(differing.prefix(8).map { $0 / type.bytesPerBlock }).sorted())")
        // One row at a time gives the same bytes (blocks are independent).
        let perRow = (0..<6).flatMap { r in Quantize.blocks(Array(x[(r * Self.rowLength)..<((r + 1) * Self.rowLength)]), type: type) }
        #expect(perRow == mine)
    }

    /// Seeded N(0, 1) values (splitmix64, Box–Muller).
    static func gaussian(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (Double((z ^ (z >> 31)) >> 11) + 0.5) / 9_007_199_254_740_992
        }
        return (0..<count).map { _ in Float((-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())) }
    }

    /// Measured on 65 536 values: Q8_0 45.5 dB, Q6_K 35.0 dB, Q5_0 27.4 dB, Q4_K 23.0 dB
    /// (about 6 dB per bit, Q4_K's search worth ~1 bit over a plain 4-bit grid); the bounds
    /// sit 2–2.5 dB below.
    @Test(arguments: [(GGMLType.q8_0, 43.0), (.q6_K, 33.0), (.q5_0, 25.0), (.q4_K, 21.0)])
    func gaussianRoundTripSQNR(type: GGMLType, minSQNR: Double) {
        let x = Self.gaussian(1 << 16, seed: 42)
        let back = Quantize.roundTrip(x, type: type)
        let sqnr = QuantizeTests.sqnr(x, back)
        #expect(sqnr > minSQNR && sqnr.isFinite, "\(type.name): SQNR \(sqnr) dB")
    }

    /// What the C's float → int8 conversions do where they are undefined (x86-64 `cvttss2si`).
    @Test func cConversionsMatchX86() {
        #expect(Quantize.cInt32(-3.9) == -3 && Quantize.cInt32(31.99) == 31 && Quantize.cInt32(-2_147_483_648) == .min)
        #expect(Quantize.cInt32(.infinity) == .min && Quantize.cInt32(-.infinity) == .min && Quantize.cInt32(.nan) == .min)
        #expect(Quantize.cInt32(2_147_483_520) == 2_147_483_520 && Quantize.cInt32(2_147_483_648) == .min)
        // A subnormal block maximum makes 1/d infinite; the block still quantizes (no trap).
        let tiny = [Float](repeating: Float.leastNormalMagnitude / 16, count: 32)
        #expect(Quantize.blocks(tiny, type: .q8_0).count == 34 && Quantize.blocks(tiny, type: .q5_0).count == 22)
    }

    /// A block whose float16 scale overflows (above 65504) is found, per type.
    @Test func overflowingScalesAreFound() {
        var x = [Float](repeating: 0.5, count: 512)
        for type in [GGMLType.q8_0, .q5_0, .q4_K, .q6_K] { #expect(Quantize.firstInvalidBlock(Quantize.blocks(x, type: type), type: type) == nil) }
        x[300] = 3e5    // Q8_0 d = 2362, Q5_0 d = −18750: fine
        #expect(Quantize.firstInvalidBlock(Quantize.blocks(x, type: .q8_0), type: .q8_0) == nil)
        #expect(Quantize.firstInvalidBlock(Quantize.blocks(x, type: .q5_0), type: .q5_0) == nil)
        x[300] = 1e7    // Q8_0 d = 78740
        #expect(Quantize.firstInvalidBlock(Quantize.blocks(x, type: .q8_0), type: .q8_0) == 300 / 32)
        x[300] = -2e6   // Q5_0 d = 125000
        #expect(Quantize.firstInvalidBlock(Quantize.blocks(x, type: .q5_0), type: .q5_0) == 300 / 32)
        x[300] = -1e10  // Q4_K dmin ≈ 1.6e8, Q6_K d ≈ 2.4e6, in super-block 1
        #expect(Quantize.firstInvalidBlock(Quantize.blocks(x, type: .q4_K), type: .q4_K) == 1)
        #expect(Quantize.firstInvalidBlock(Quantize.blocks(x, type: .q6_K), type: .q6_K) == 1)
    }

    /// llama-quant.cpp `tensor_type_fallback`.
    @Test func fallbackForRowsThatDoNotHoldWholeBlocks() {
        #expect(GGMLType.q4_K.stored(rowLength: 1536) == .q4_K)
        #expect(GGMLType.q4_K.stored(rowLength: 576) == .q5_0)
        #expect(GGMLType.q6_K.stored(rowLength: 576) == .q8_0)
        #expect(GGMLType.q6_K.stored(rowLength: 50) == .f16 && GGMLType.q4_K.stored(rowLength: 100) == .f16)
        #expect(GGMLType.q8_0.stored(rowLength: 64) == .q8_0)
        #expect(GGMLType.q8_0.stored(rowLength: 50) == nil && GGMLType.q5_0.stored(rowLength: 50) == nil)
        #expect(GGMLType.iq2_XS.llamaFallback == .iq4_NL && GGMLType.q3_K.llamaFallback == .q4_0 && GGMLType.q5_K.llamaFallback == .q5_1)
    }
}
