@testable import AtlasAnalysis
import Testing

/// FP8 E4M3 / E5M2 rounding: ties to even, saturation, subnormals, NaN, signed zero.
@Suite struct QuantFP8Tests {
    static func p2(_ e: Int) -> Float { Float(sign: .plus, exponent: e, significand: 1) }

    @Test func e4m3NormalRoundingTiesToEven() {
        let f = FP8Format.e4m3
        #expect(f.round(1) == 1)
        #expect(f.round(1.0625) == 1)       // halfway 1 … 1.125: even mantissa 000
        #expect(f.round(1.1875) == 1.25)    // halfway 1.125 … 1.25: even mantissa 010
        #expect(f.round(1.07) == 1.125)
        #expect(f.round(-1.1875) == -1.25)
        #expect(f.round(240) == 240)
        #expect(f.round(300) == 288)        // spacing 32 in [256, 448]: 300 → 288
        #expect(f.round(1.9999) == 2)       // carries into the next binade
    }

    @Test func e4m3SaturatesAtMax() {
        let f = FP8Format.e4m3
        #expect(f.maxFinite == 448)
        #expect(f.round(448) == 448)
        #expect(f.round(460) == 448)
        #expect(f.round(464) == 448)        // halfway to 480, which is NaN in E4M3: saturates
        #expect(f.round(1e6) == 448 && f.round(-1e6) == -448)
        #expect(f.round(.infinity) == 448 && f.round(-.infinity) == -448)
        #expect(f.round(.nan).isNaN)
    }

    @Test func e4m3Subnormals() {
        let f = FP8Format.e4m3
        #expect(f.round(Self.p2(-6)) == Self.p2(-6))          // smallest normal
        #expect(f.round(Self.p2(-9)) == Self.p2(-9))          // smallest subnormal
        #expect(f.round(3 * Self.p2(-9)) == 3 * Self.p2(-9))  // subnormals are evenly spaced
        #expect(f.round(Self.p2(-10)) == 0)                   // halfway 0 … 2⁻⁹: to even (0)
        #expect(f.round(3 * Self.p2(-10)) == Self.p2(-8))     // 1.5 quanta → 2 (even)
        #expect(f.round(1.2 * Self.p2(-10)) == Self.p2(-9))
        #expect(f.round(Self.p2(-12)) == 0)
        let negativeZero = f.round(-Self.p2(-12))
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
    }

    @Test func e5m2() {
        let f = FP8Format.e5m2
        #expect(f.maxFinite == 57344)
        #expect(f.round(1.125) == 1)        // halfway 1 … 1.25: even
        #expect(f.round(1.375) == 1.5)      // halfway 1.25 … 1.5: even mantissa 10
        #expect(f.round(60000) == 57344)
        #expect(f.round(-.infinity) == -57344)
        #expect(f.round(Self.p2(-16)) == Self.p2(-16))
        #expect(f.round(Self.p2(-17)) == 0)
        #expect(f.round(3 * Self.p2(-17)) == Self.p2(-15))
    }

    @Test func scaledGridMapsTheAbsMaxToTheLargestValue() {
        let grid = QuantGrid(format: .fp8(.e4m3), min: -2, max: 896)
        #expect(grid.scale == 2)
        #expect(grid.apply(896) == 896)
        #expect(grid.apply(2.125) == 2)     // 1.0625 → 1 after scaling
        #expect(grid.apply(-2) == -2)
    }
}
