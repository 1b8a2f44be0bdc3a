/// A normalisation with its parameters: RMSNorm `x / sqrt(mean(x²) + eps) · gamma`, or
/// LayerNorm `(x − mean) / sqrt(var + eps) · gamma + beta`.
public struct Norm: Sendable, Equatable {
    public let kind: ModelFamily.NormKind
    public var gamma: [Float]
    public var beta: [Float]?
    public let eps: Float

    public init(kind: ModelFamily.NormKind, gamma: [Float], beta: [Float]? = nil, eps: Float) {
        precondition(beta == nil || beta!.count == gamma.count)
        precondition(kind == .layer || beta == nil, "an RMSNorm has no beta")
        self.kind = kind
        self.gamma = gamma
        self.beta = beta
        self.eps = eps
    }

    public static func rms(_ gamma: [Float], eps: Float) -> Norm { Norm(kind: .rms, gamma: gamma, eps: eps) }
    public static func layer(_ gamma: [Float], beta: [Float]?, eps: Float) -> Norm { Norm(kind: .layer, gamma: gamma, beta: beta, eps: eps) }

    public func callAsFunction(_ x: Matrix) -> Matrix {
        switch kind {
        case .rms: Norms.rms(x, gamma: gamma, eps: eps)
        case .layer: Norms.layer(x, gamma: gamma, beta: beta, eps: eps)
        }
    }

    public var parameterCount: Int { gamma.count + (beta?.count ?? 0) }
}
