import AtlasModels
import Foundation

/// SplitMix64: a small seeded generator so random tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Standard normal (Box–Muller).
    mutating func gaussian() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}

enum TestData {
    /// A `[rows, cols]` activation-like matrix: Gaussian values, a few quantized values (so |x|
    /// ties occur), exact zeros, rare huge entries and, when `nonFinite`, NaN/±Inf.
    static func activations(rows: Int, cols: Int, rng: inout SeededGenerator, nonFinite: Bool = true) -> Matrix {
        var data = [Float](repeating: 0, count: rows * cols)
        for i in 0..<data.count {
            let u = Int.random(in: 0..<1000, using: &rng)
            switch u {
            case 0..<700: data[i] = Float(rng.gaussian() * 0.5)
            case 700..<900: data[i] = Float(Int.random(in: -8...8, using: &rng)) * 0.25
            case 900..<960: data[i] = 0
            case 960..<990: data[i] = Float(rng.gaussian() * 30)
            case 990..<996: data[i] = Float(Int.random(in: -3...3, using: &rng)) * 600
            default:
                data[i] = nonFinite ? [Float.nan, .infinity, -.infinity][Int.random(in: 0..<3, using: &rng)] : 1
            }
        }
        return Matrix(rows: rows, cols: cols, data: data)
    }

    static func tokens(_ n: Int, rng: inout SeededGenerator) -> [Int32] {
        (0..<n).map { _ in Int32.random(in: 0..<1000, using: &rng) }
    }
}

/// |a − b| <= rel × scale (scale: a magnitude that bounds the rounding error, e.g. Σ|x|^k).
func close(_ a: Double, _ b: Double, rel: Double, scale: Double) -> Bool {
    abs(a - b) <= rel * Swift.max(scale, abs(a), abs(b))
}
