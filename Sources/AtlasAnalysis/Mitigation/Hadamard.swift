/// Hadamard matrices (±1 entries, H·Hᵀ = n·I) of order n = m · 2^k with m ∈ {1, 2, 4, 12, 20, 28, 36}:
/// a Paley matrix of order m (Paley I from q = 11, 19; Paley II from q = 5, 13, 17) Kronecker a
/// Sylvester matrix of order 2^k. SmolLM2's hidden size 576 = 36 × 16.
public struct Hadamard: Sendable {
    /// The non-power-of-two factor A (`m × m`, row-major ±1).
    public let small: [Float]
    public let m: Int
    /// The Sylvester order n = 2^k (applied by the fast Walsh–Hadamard transform).
    public let n: Int
    public var order: Int { m * n }

    /// nil when `order` has no factorization m · 2^k with a known m.
    public init?(order: Int) {
        // Choose m among the known orders so that m · (power of two) = order.
        for m in [1, 12, 20, 28, 36] where order % m == 0 {
            let p = order / m
            guard p > 0, p & (p - 1) == 0, let a = Hadamard.paley(m) else { continue }
            self.small = a; self.m = m; self.n = p
            return
        }
        return nil
    }

    /// Paley matrices: I for q ≡ 3 (mod 4) giving q + 1; II for q ≡ 1 (mod 4) giving 2(q + 1).
    static func paley(_ m: Int) -> [Float]? {
        switch m {
        case 1: return [1]
        case 12: return paleyI(11)
        case 20: return paleyI(19)
        case 28: return paleyII(13)
        case 36: return paleyII(17)
        default: return nil
        }
    }

    /// Legendre symbol χ(a) mod prime q.
    static func chi(_ a: Int, _ q: Int) -> Float {
        let r = ((a % q) + q) % q
        if r == 0 { return 0 }
        return (1..<q).contains { ($0 * $0) % q == r } ? 1 : -1
    }

    /// Conference matrix [[0, 1ᵀ], [±1, Q]] with Jacobsthal Q[i][j] = χ(j − i).
    static func conference(_ q: Int, skew: Bool) -> [[Float]] {
        var c = [[Float]](repeating: [Float](repeating: 0, count: q + 1), count: q + 1)
        for i in 1...q { c[0][i] = 1; c[i][0] = skew ? -1 : 1 }
        for i in 0..<q { for j in 0..<q { c[i + 1][j + 1] = chi(j - i, q) } }
        return c
    }

    static func paleyI(_ q: Int) -> [Float] {
        let c = conference(q, skew: true)
        return (0...q).flatMap { i in (0...q).map { j in c[i][j] + (i == j ? 1 : 0) } }
    }

    static func paleyII(_ q: Int) -> [Float] {
        let c = conference(q, skew: false), size = 2 * (q + 1)
        var h = [Float](repeating: 0, count: size * size)
        let zero: [Float] = [1, -1, -1, -1], one: [Float] = [1, 1, 1, -1]
        for i in 0...q { for j in 0...q {
            let block = c[i][j] == 0 ? zero : one.map { $0 * c[i][j] }
            for u in 0..<2 { for v in 0..<2 { h[(2 * i + u) * size + 2 * j + v] = block[u * 2 + v] } }
        } }
        return h
    }

    /// x ← x · H in place for a row of length `order` (x viewed as m × n: X ← Aᵀ (X B)).
    public func multiplyRow(_ x: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        // X B: fast Walsh–Hadamard on each of the m rows of length n (B symmetric).
        for a in 0..<m {
            let r = x + a * n
            var h = 1
            while h < n {
                var i = 0
                while i < n {
                    for j in i..<(i + h) { let u = r[j], v = r[j + h]; r[j] = u + v; r[j + h] = u - v }
                    i += 2 * h
                }
                h *= 2
            }
        }
        guard m > 1 else { return }
        // Aᵀ X: y[a', b] = Σ_a A[a, a'] X[a, b].
        scratch.update(repeating: 0, count: m * n)
        small.withUnsafeBufferPointer { A in
            for a in 0..<m { for a2 in 0..<m {
                let w = A[a * m + a2]
                let src = x + a * n, dst = scratch + a2 * n
                for b in 0..<n { dst[b] += w * src[b] }
            } }
        }
        x.update(from: scratch, count: m * n)
    }

    /// The dense matrix (tests and small uses).
    public func dense() -> [Float] {
        let d = order
        var out = [Float](repeating: 0, count: d * d)
        var scratch = [Float](repeating: 0, count: d)
        out.withUnsafeMutableBufferPointer { o in
            scratch.withUnsafeMutableBufferPointer { s in
                for i in 0..<d { o[i * d + i] = 1; multiplyRow(o.baseAddress! + i * d, scratch: s.baseAddress!) }
            }
        }
        return out
    }
}
