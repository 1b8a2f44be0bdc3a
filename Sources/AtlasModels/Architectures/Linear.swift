/// A linear layer `y = x Wᵀ + b` with the weight in checkpoint layout `[out, in]`.
public struct Linear: Sendable {
    public var weight: Matrix
    public var bias: [Float]?

    public init(weight: Matrix, bias: [Float]? = nil) {
        precondition(bias == nil || bias!.count == weight.rows)
        self.weight = weight
        self.bias = bias
    }

    public var inFeatures: Int { weight.cols }
    public var outFeatures: Int { weight.rows }

    /// Weights plus bias.
    public var parameterCount: Int { weight.count + (bias?.count ?? 0) }

    public func callAsFunction(_ x: Matrix) -> Matrix {
        var y = BLAS.linear(x, weight)
        if let bias { y.addRowVector(bias) }
        return y
    }
}
