import AtlasModels

/// B's values against A's at one tap, accumulated over windows: the energies for SQNR, per-row
/// cosines, the largest |b − a| and |a|. Rows are tokens. Pure.
struct TapDivergence {
    var energy = ErrorEnergy()
    var cosineSum = 0.0
    var worstCosine = 1.0
    var rows = 0
    var maxAbsDelta: Float = 0
    var maxAbs: Float = 0

    /// Adds `a` (A's rows) against `b` (B's, same shape); `channelDelta`, when given, takes the
    /// max |b − a| of each column.
    mutating func add(reference a: Matrix, checkpoint b: Matrix, channelDelta: UnsafeMutablePointer<Float>? = nil) {
        let cols = a.cols
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                // One pass gives the SQNR energies, the cosines and the largest values.
                for r in 0..<min(a.rows, b.rows) {
                    let x = pa.baseAddress! + r * cols, y = pb.baseAddress! + r * cols
                    var dot = 0.0, aa = 0.0, bb = 0.0, noise = 0.0
                    var rowDelta: Float = 0, rowAbs: Float = 0
                    for c in 0..<cols {
                        let u = x[c], v = y[c], d = abs(v - u)
                        dot += Double(u) * Double(v)
                        aa += Double(u) * Double(u)
                        bb += Double(v) * Double(v)
                        noise += (Double(u) - Double(v)) * (Double(u) - Double(v))
                        rowDelta = max(rowDelta, d)
                        rowAbs = max(rowAbs, abs(u))
                        if let channelDelta { channelDelta[c] = max(channelDelta[c], d) }
                    }
                    energy.signal += aa
                    energy.noise += noise
                    let cosine = Self.cosine(dot: dot, aa: aa, bb: bb)
                    cosineSum += cosine
                    worstCosine = min(worstCosine, cosine)
                    rows += 1
                    maxAbsDelta = max(maxAbsDelta, rowDelta)
                    maxAbs = max(maxAbs, rowAbs)
                }
            }
        }
    }

    /// cos(a, b); 1 for two zero rows, 0 when only one is zero.
    static func cosine(dot: Double, aa: Double, bb: Double) -> Double {
        if aa == 0 && bb == 0 { return 1 }
        if aa == 0 || bb == 0 { return 0 }
        return dot / (aa.squareRoot() * bb.squareRoot())
    }

    var meanCosine: Double { rows > 0 ? cosineSum / Double(rows) : 1 }

    /// SQNR in dB; infinity when B is exact (also for an all-zero tap, which B reproduces).
    var sqnr: Double { energy.copySQNR }
}
