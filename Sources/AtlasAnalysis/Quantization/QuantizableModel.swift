import AtlasModels

/// The Linear layers of a transformer block that a scheme quantizes, with the taps that carry
/// their inputs and outputs.
public enum LinearKind: String, CaseIterable, Sendable, Codable {
    case q, k, v, o, gate, up, down

    /// The tap whose value is this Linear's input in the pre-norm families (LLaMA, GPT-2, OPT).
    public var defaultInputTap: TapName {
        switch self {
        case .q, .k, .v: return .attnNorm
        case .o: return .attnCtx
        case .gate, .up: return .ffnNorm
        case .down: return .ffnDownIn
        }
    }

    /// The tap whose value is this Linear's output (`attn.q/k/v` before RoPE).
    public var outputTap: TapName {
        switch self {
        case .q: return .attnQ
        case .k: return .attnK
        case .v: return .attnV
        case .o: return .attnOut
        case .gate: return .ffnGate
        case .up: return .ffnUp
        case .down: return .ffnDownOut
        }
    }
}

/// One Linear of one block.
public struct LinearSite: Hashable, Sendable, Comparable {
    public var block: Int
    public var kind: LinearKind

    public init(block: Int, kind: LinearKind) {
        self.block = block
        self.kind = kind
    }

    /// The name include/exclude patterns match: `blk.<block>.<kind>`.
    public var tensorName: String { "blk.\(block).\(kind.rawValue)" }

    public static func < (a: LinearSite, b: LinearSite) -> Bool {
        (a.block, LinearKind.allCases.firstIndex(of: a.kind)!) < (b.block, LinearKind.allCases.firstIndex(of: b.kind)!)
    }
}

/// A model whose block Linears can be read and replaced: what weight quantization needs.
/// LLaMA conforms here, GPT-2/OPT (`LayerNormDecoder`) and BERT in QuantizableModel+Families:
/// a family lists its Linears (`q k v o up down` without a gate) and overrides `inputTap(of:)`
/// where a Linear reads another tap than the pre-norm one (BERT's post-LN blocks).
public protocol QuantizableModel: TransformerModel {
    /// Every Linear of every block, in block order then `LinearKind` order.
    var linearSites: [LinearSite] { get }
    func linear(at site: LinearSite) -> Linear
    /// A copy of the model with each block Linear replaced by `transform(site, linear)`;
    /// embeddings, head and norms are shared unchanged.
    func transformingLinears(_ transform: (LinearSite, Linear) throws -> Linear) rethrows -> Self
    /// The tap carrying the input of `site`'s Linear.
    func inputTap(of site: LinearSite) -> TapName
    /// True when some Linear input tap is also the residual stream (BERT's q/k/v read attn.in,
    /// its up projection ffn.in), so rewriting it would quantize the residual too: such models
    /// take weight and KV-cache schemes only.
    var linearInputsAreResidual: Bool { get }
    /// How a mitigated variant changes its own quantization (weight clip search, mixed-precision
    /// activations); `.plain` for a plain model.
    var quantizationAdjustments: QuantizationAdjustments { get }
}

extension QuantizableModel {
    public func inputTap(of site: LinearSite) -> TapName { site.kind.defaultInputTap }
    public var linearInputsAreResidual: Bool { false }
    public var quantizationAdjustments: QuantizationAdjustments { .plain }
}

extension LlamaModel: QuantizableModel {
    public var linearSites: [LinearSite] {
        (0..<blocks.count).flatMap { b in LinearKind.allCases.map { LinearSite(block: b, kind: $0) } }
    }

    public func linear(at site: LinearSite) -> Linear {
        let b = blocks[site.block]
        switch site.kind {
        case .q: return b.attention.q
        case .k: return b.attention.k
        case .v: return b.attention.v
        case .o: return b.attention.o
        case .gate: return b.mlp.gate
        case .up: return b.mlp.up
        case .down: return b.mlp.down
        }
    }

    public func transformingLinears(_ transform: (LinearSite, Linear) throws -> Linear) rethrows -> LlamaModel {
        var copy = self
        for i in copy.blocks.indices {
            func t(_ kind: LinearKind, _ l: Linear) throws -> Linear { try transform(LinearSite(block: i, kind: kind), l) }
            copy.blocks[i].attention.q = try t(.q, copy.blocks[i].attention.q)
            copy.blocks[i].attention.k = try t(.k, copy.blocks[i].attention.k)
            copy.blocks[i].attention.v = try t(.v, copy.blocks[i].attention.v)
            copy.blocks[i].attention.o = try t(.o, copy.blocks[i].attention.o)
            copy.blocks[i].mlp.gate = try t(.gate, copy.blocks[i].mlp.gate)
            copy.blocks[i].mlp.up = try t(.up, copy.blocks[i].mlp.up)
            copy.blocks[i].mlp.down = try t(.down, copy.blocks[i].mlp.down)
        }
        return copy
    }
}
