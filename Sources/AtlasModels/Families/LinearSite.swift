/// The roles of the Linear layers of a transformer block, in block order. Which roles a family
/// has, what they are called in each format and which taps carry their input and output is
/// the family's `ModelFamily.linears`.
public enum LinearKind: String, CaseIterable, Sendable, Codable {
    case q, k, v, o, gate, up, down
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

/// The norms of a model by role: the two inside each block and the one after the last block
/// (or, for BERT, after the embeddings).
public enum NormRole: String, Sendable, CaseIterable {
    /// Before attention (pre-norm) or after its residual add (post-norm).
    case attn
    /// Before the FFN (pre-norm) or after its residual add (post-norm: the block output).
    case ffn
    /// After the last block (decoders) or after the embeddings (BERT).
    case final
    /// Gemma: on the attention output, before its residual add.
    case attnPost
    /// Gemma: on the FFN output, before its residual add.
    case ffnPost
    /// Gemma: over each head of q, and of k, before RoPE.
    case query, key
}
