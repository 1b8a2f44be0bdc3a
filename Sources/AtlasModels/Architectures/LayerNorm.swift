/// A LayerNorm with its parameters: `(x − mean) / sqrt(var + eps) · gamma + beta`.
public struct LayerNorm: Sendable {
    public var gamma: [Float]
    public var beta: [Float]?
    public let eps: Float

    public init(gamma: [Float], beta: [Float]?, eps: Float) {
        precondition(beta == nil || beta!.count == gamma.count)
        self.gamma = gamma
        self.beta = beta
        self.eps = eps
    }

    public func callAsFunction(_ x: Matrix) -> Matrix { Norms.layer(x, gamma: gamma, beta: beta, eps: eps) }

    public var parameterCount: Int { gamma.count + (beta?.count ?? 0) }
}

extension Linear {
    /// Weights plus bias.
    public var parameterCount: Int { weight.count + (bias?.count ?? 0) }
}

extension SelfAttention {
    /// Weights and biases of the four projections.
    public var parameterCount: Int { [q, k, v, o].reduce(0) { $0 + $1.parameterCount } }
}

extension Matrix {
    /// Rows `indices` of this table, as a `[indices.count, cols]` matrix (embedding look-up).
    public func gatherRows(_ indices: [Int]) -> Matrix {
        var out = Matrix(zeros: indices.count, cols)
        let d = cols
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for (r, index) in indices.enumerated() {
                    precondition(index >= 0 && index < rows, "row \(index) outside a table of \(rows)")
                    (dst.baseAddress! + r * d).update(from: src.baseAddress! + index * d, count: d)
                }
            }
        }
        return out
    }
}
