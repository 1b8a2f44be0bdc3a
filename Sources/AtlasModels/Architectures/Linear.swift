/// A linear layer `y = x Wᵀ + b` with the weight in checkpoint layout `[out, in]`, held in
/// Float32 or in its GGUF blocks (`WeightMatrix`).
public struct Linear: Sendable {
    public var weights: WeightMatrix
    public var bias: [Float]?

    public init(weight: Matrix, bias: [Float]? = nil) {
        self.init(weights: WeightMatrix(weight), bias: bias)
    }

    public init(weights: WeightMatrix, bias: [Float]? = nil) {
        precondition(bias == nil || bias!.count == weights.rows)
        self.weights = weights
        self.bias = bias
    }

    /// The weight in Float32 (dequantized on each read when it is kept quantized; edits store Float32).
    public var weight: Matrix {
        get { weights.matrix }
        set { weights.matrix = newValue }
        _modify { yield &weights.matrix }
    }

    public var inFeatures: Int { weights.cols }
    public var outFeatures: Int { weights.rows }

    /// Weights plus bias.
    public var parameterCount: Int { weights.rows * weights.cols + (bias?.count ?? 0) }

    public func callAsFunction(_ x: Matrix) -> Matrix {
        var y = weights.linear(x)
        if let bias { y.addRowVector(bias) }
        return y
    }
}
