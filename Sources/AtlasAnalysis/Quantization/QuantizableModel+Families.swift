import AtlasModels

/// The plain-MLP families: Linears `q k v o up down` per block (no gate).
extension LinearKind {
    static let plain: [LinearKind] = [.q, .k, .v, .o, .up, .down]
}

/// A model made of plain-MLP blocks (`q k v o up down`): its Linear sites, lookup and copy
/// come from the blocks, shared by GPT-2/OPT and BERT.
protocol PlainBlockModel: QuantizableModel {
    associatedtype Block: PlainBlock
    var blocks: [Block] { get set }
}

extension PlainBlockModel {
    public var linearSites: [LinearSite] {
        (0..<blocks.count).flatMap { b in LinearKind.plain.map { LinearSite(block: b, kind: $0) } }
    }

    public func linear(at site: LinearSite) -> Linear {
        blocks[site.block].linear(site.kind)
    }

    public func transformingLinears(_ transform: (LinearSite, Linear) throws -> Linear) rethrows -> Self {
        var copy = self
        for i in copy.blocks.indices {
            try copy.blocks[i].transformLinears { try transform(LinearSite(block: i, kind: $0), $1) }
        }
        return copy
    }
}

/// GPT-2 and OPT: pre-LN blocks, so every Linear input is a tap of its own (attn.norm, attn.ctx,
/// ffn.norm, ffn.down_in), as in LLaMA.
extension LayerNormDecoder: PlainBlockModel {}

/// BERT (post-LN): q/k/v read the block input and the up projection reads `ffn.in`; the model
/// hands copies of both through `attn.norm` and `ffn.norm`, so activation quantization at those
/// taps leaves the residual stream alone, as in the pre-LN families.
extension BertModel: PlainBlockModel {}

/// A block with `attention` (SelfAttention) and a plain `mlp`.
protocol PlainBlock {
    var attention: SelfAttention { get set }
    var mlp: PlainMLP { get set }
}

extension LayerNormDecoderBlock: PlainBlock {}
extension BertBlock: PlainBlock {}

extension PlainBlock {
    func linear(_ kind: LinearKind) -> Linear {
        switch kind {
        case .q: return attention.q
        case .k: return attention.k
        case .v: return attention.v
        case .o: return attention.o
        case .up: return mlp.up
        case .down: return mlp.down
        case .gate: preconditionFailure("a plain MLP has no gate projection")
        }
    }

    mutating func transformLinears(_ transform: (LinearKind, Linear) throws -> Linear) rethrows {
        attention.q = try transform(.q, attention.q)
        attention.k = try transform(.k, attention.k)
        attention.v = try transform(.v, attention.v)
        attention.o = try transform(.o, attention.o)
        mlp.up = try transform(.up, mlp.up)
        mlp.down = try transform(.down, mlp.down)
    }
}
