/// The named operator outputs inside a block (docs/architecture.md, "Taps"). Raw values are the
/// stable names used in results and on the site. The two post-norm taps exist only in post-LN
/// blocks (BERT) and come last in the order.
public enum TapName: String, CaseIterable, Sendable, Codable, Comparable {
    case attnIn = "attn.in"
    case attnNorm = "attn.norm"
    case attnQ = "attn.q"
    case attnK = "attn.k"
    case attnV = "attn.v"
    case attnProbs = "attn.probs"
    case attnCtx = "attn.ctx"
    case attnOut = "attn.out"
    case attnResid = "attn.resid"
    case ffnIn = "ffn.in"
    case ffnNorm = "ffn.norm"
    case ffnGate = "ffn.gate"
    case ffnUp = "ffn.up"
    case ffnAct = "ffn.act"
    case ffnDownIn = "ffn.down_in"
    case ffnDownOut = "ffn.down_out"
    case ffnResid = "ffn.resid"
    /// Post-LN families (BERT): LayerNorm(attn.resid), which is also `ffn.in`.
    case attnPostNorm = "attn.post_norm"
    /// Post-LN families (BERT): LayerNorm(ffn.resid), the block output.
    case ffnPostNorm = "ffn.post_norm"

    /// Order of appearance inside a block.
    public static func < (a: TapName, b: TapName) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The FFN wiring of a family, which decides the study's y-numbering of the FFN taps.
public enum FFNFamily: String, Sendable, Codable {
    /// LLaMA/Qwen/Mistral: y1 in, y2 norm, y3 gate, y4 up, y5 act, y6 down_in, y7 down_out, y8 resid.
    case gated
    /// GPT-2/BERT/OPT: y1 in, y2 norm, y3 up, y4 down_in (activation output), y5 down_out, y6 resid.
    /// (BERT is post-LN: it has no y2, and its y6 is taken before the block's output LayerNorm.)
    case plain

    /// The study's y-index of a tap in this family, e.g. `y6`; nil for attention taps.
    public func yIndex(_ tap: TapName) -> String? {
        let order: [TapName]
        switch self {
        case .gated: order = [.ffnIn, .ffnNorm, .ffnGate, .ffnUp, .ffnAct, .ffnDownIn, .ffnDownOut, .ffnResid]
        case .plain: order = [.ffnIn, .ffnNorm, .ffnUp, .ffnDownIn, .ffnDownOut, .ffnResid]
        }
        return order.firstIndex(of: tap).map { "y\($0 + 1)" }
    }
}

/// Receives tap values during a forward pass. The model asks `wants` before it materialises a
/// tap, so a pass with no observer (or an observer that wants nothing) pays nothing.
///
/// An observer may also be an *intervention*: when `rewrites` answers true, `rewrite` changes the
/// value in place before the model uses it further (fake quantization of a Linear's input,
/// removal of massive entries, …). Rewrites happen first, then `observe` sees the new value.
///
/// Values are `[tokens, features]` matrices, except `attn.probs`: `[heads × tokens, tokens]`
/// (row `h * T + i` holds query position i of head h; observe-only).
public protocol TapObserver: AnyObject {
    func wants(block: Int, tap: TapName) -> Bool
    func observe(block: Int, tap: TapName, value: Matrix)
    func rewrites(block: Int, tap: TapName) -> Bool
    func rewrite(block: Int, tap: TapName, value: inout Matrix)
}

extension TapObserver {
    public func rewrites(block: Int, tap: TapName) -> Bool { false }
    public func rewrite(block: Int, tap: TapName, value: inout Matrix) {}
}

/// Several observers and interventions on one pass, called in order.
public final class TapObservers: TapObserver {
    public let members: [TapObserver]

    public init(_ members: [TapObserver]) { self.members = members }

    public func wants(block: Int, tap: TapName) -> Bool { members.contains { $0.wants(block: block, tap: tap) } }

    public func observe(block: Int, tap: TapName, value: Matrix) {
        for m in members where m.wants(block: block, tap: tap) { m.observe(block: block, tap: tap, value: value) }
    }

    public func rewrites(block: Int, tap: TapName) -> Bool { members.contains { $0.rewrites(block: block, tap: tap) } }

    public func rewrite(block: Int, tap: TapName, value: inout Matrix) {
        for m in members where m.rewrites(block: block, tap: tap) { m.rewrite(block: block, tap: tap, value: &value) }
    }
}
