import AtlasModels

/// What the anatomy tracer reads from an architecture's weights. Each family conforms once
/// (LLaMA below); GELU families (GPT-2/BERT/OPT) plug in by naming their down projection,
/// the norm in front of each sublayer and W_q. Matrices are in checkpoint layout `[out, in]`,
/// so `downProjection(block:)[dim, channel]` is the weight from FFN channel to hidden dim.
public protocol AnatomyWeights {
    var ffnFamily: FFNFamily { get }
    var blockCount: Int { get }
    /// W_down `[hidden, ffn]` of block i (GPT-2's transposed Conv1D already turned around).
    func downProjection(block: Int) -> Linear
    /// W_q `[q, hidden]` of block i.
    func queryProjection(block: Int) -> Linear
    /// The gamma of the norm whose output is `normTap` (`attn.norm` or `ffn.norm`) in block i.
    func normGamma(block: Int, normTap: TapName) -> [Float]?
    /// Every weight matrix by name, for weight statistics.
    func namedWeights() -> [NamedWeight]
    /// Every norm's gamma by name.
    func namedNorms() -> [NamedNorm]
}

/// A weight matrix with its display name and block.
public struct NamedWeight: Sendable {
    public var name: String
    public var block: Int?
    public var matrix: Matrix

    public init(name: String, block: Int?, matrix: Matrix) {
        self.name = name
        self.block = block
        self.matrix = matrix
    }
}

/// A norm's gamma with its display name and block.
public struct NamedNorm: Sendable {
    public var name: String
    public var block: Int?
    public var gamma: [Float]

    public init(name: String, block: Int?, gamma: [Float]) {
        self.name = name
        self.block = block
        self.gamma = gamma
    }
}

extension AnatomyWeights {
    /// The tap that feeds the norm producing `normTap` (the "before" side of the rescaling).
    public func normInputTap(_ normTap: TapName) -> TapName? {
        switch normTap {
        case .attnNorm: return .attnIn
        case .ffnNorm: return .ffnIn
        default: return nil
        }
    }
}

/// LLaMA/Qwen/Mistral, with GGUF tensor names (`blk.N.ffn_down.weight`).
extension LlamaModel: AnatomyWeights {
    public func downProjection(block: Int) -> Linear { blocks[block].mlp.down }
    public func queryProjection(block: Int) -> Linear { blocks[block].attention.q }

    public func normGamma(block: Int, normTap: TapName) -> [Float]? {
        switch normTap {
        case .attnNorm: return blocks[block].attnNorm
        case .ffnNorm: return blocks[block].ffnNorm
        default: return nil
        }
    }

    public func namedWeights() -> [NamedWeight] {
        var out = [NamedWeight(name: "token_embd.weight", block: nil, matrix: embedding)]
        for (i, b) in blocks.enumerated() {
            let a = b.attention, m = b.mlp
            let parts: [(String, Linear)] = [("attn_q", a.q), ("attn_k", a.k), ("attn_v", a.v), ("attn_output", a.o),
                                             ("ffn_gate", m.gate), ("ffn_up", m.up), ("ffn_down", m.down)]
            out += parts.map { NamedWeight(name: "blk.\(i).\($0.0).weight", block: i, matrix: $0.1.weight) }
        }
        if !config.tiedEmbeddings { out.append(NamedWeight(name: "output.weight", block: nil, matrix: head)) }
        return out
    }

    public func namedNorms() -> [NamedNorm] {
        var out: [NamedNorm] = []
        for (i, b) in blocks.enumerated() {
            out.append(NamedNorm(name: "blk.\(i).attn_norm.weight", block: i, gamma: b.attnNorm))
            out.append(NamedNorm(name: "blk.\(i).ffn_norm.weight", block: i, gamma: b.ffnNorm))
        }
        out.append(NamedNorm(name: "output_norm.weight", block: nil, gamma: finalNorm))
        return out
    }
}
