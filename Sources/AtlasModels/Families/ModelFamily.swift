/// One model family described once, as data: the shape of its blocks (norm kind and placement,
/// feed-forward wiring, activation, positions), every Linear and norm with its role, its names
/// in GGUF and Hugging Face checkpoints, its shape and the taps around it, and the taps its
/// forward emits. Loaders, quantization, anatomy, export and mitigations read this table
/// instead of enumerating families; the capability questions below are answered from it.
public struct ModelFamily: Sendable, Equatable {
    public enum Kind: String, Sendable { case decoder, encoder }
    public enum NormKind: String, Sendable { case rms, layer }
    public enum NormPlacement: String, Sendable { case pre, post }
    /// How positions enter: RoPE inside attention (q/k rotated in halves, `rotate_half`) or a
    /// learned table added to the embeddings (read at `position + offset`).
    public enum Positions: Sendable, Equatable {
        case rope
        case learned(offset: Int)
    }
    /// A width in a weight's shape.
    public enum Width: String, Sendable { case hidden, ffn, queries, keyValues }

    /// One Linear of the block.
    public struct LinearSpec: Sendable, Equatable {
        public var kind: LinearKind
        /// `blk.<i>.<gguf>.weight` in GGUF files.
        public var gguf: String
        /// `<block prefix><hf>.weight` in Hugging Face checkpoints.
        public var hf: String
        /// The weight `[out, in]`.
        public var out: Width
        public var `in`: Width
        /// The tap carrying its input (a copy of the residual in post-norm blocks) and output.
        public var input: TapName
        public var output: TapName
        /// True when every checkpoint of the family has a bias (false: optional).
        public var bias: Bool
    }

    /// One norm.
    public struct NormSpec: Sendable, Equatable {
        public var role: NormRole
        /// The tap carrying its output; nil for the final norm.
        public var tap: TapName?
        /// The tap carrying its input; nil for the final norm.
        public var inputTap: TapName?
        /// GGUF name without `.weight` (`blk.<i>.` prepended for block norms).
        public var gguf: String
        /// Hugging Face name without `.weight`.
        public var hf: String
    }

    /// Short family name (`llama`, `gpt2`, `opt`, `bert`).
    public var name: String
    /// The family as papers write it (`LLaMA`, `GPT-2`), for messages and pages.
    public var displayName: String
    /// `general.architecture` (GGUF) and `model_type` (config.json) values of the family.
    public var architectures: [String]
    public var kind: Kind
    public var norm: NormKind
    public var placement: NormPlacement
    public var ffn: FFNFamily
    public var activation: Activation
    public var positions: Positions
    /// In block order (`LinearKind` order).
    public var linears: [LinearSpec]
    public var norms: [NormSpec]
    /// The taps every block emits, in order of appearance.
    public var taps: [TapName]
    /// llama.cpp's converter permutes the rows of q and k (`LlamaPermutation`) for this family.
    public var ggufPermutesQK: Bool
    /// The token embeddings are multiplied by √hidden before the first block (Gemma).
    public var scalesEmbedding = false
    /// A Hugging Face folder of this family can be loaded.
    public var loadsFromHF = true
    /// Hugging Face checkpoints store the RMSNorm weight γ of a norm that multiplies by 1 + γ
    /// (Gemma); llama.cpp's converter stores 1 + γ itself, so GGUF norms need nothing.
    public var hfNormMultiplierIsOnePlusWeight = false

    /// One line for messages: "GPT-2 family: LayerNorm pre-norm decoder, learned positions".
    public var summary: String {
        let positionText: String
        switch positions {
        case .rope: positionText = "RoPE"
        case .learned: positionText = "learned positions"
        }
        return "\(displayName) family: \(norm == .rms ? "RMSNorm" : "LayerNorm") \(placement.rawValue)-norm \(kind.rawValue), \(positionText)"
    }

    /// The Linear of role `kind`, when the family has one.
    public func linear(_ kind: LinearKind) -> LinearSpec? { linears.first { $0.kind == kind } }

    /// Where `kind`'s rows sit in the tensor it is stored in, named by `name` (`\.gguf` or
    /// `\.hf`): the widths of the Linears stored before it in the same tensor, and of all of them
    /// (one Linear alone: `[]` and its own width). Phi-3 stores q | k | v in one tensor
    /// (`attn_qkv`, `self_attn.qkv_proj`) and gate | up in another (`ffn_up`, `mlp.gate_up_proj`).
    public func rows(of kind: LinearKind, storedAs name: KeyPath<LinearSpec, String>) -> (before: [Width], all: [Width]) {
        guard let spec = linear(kind) else { return ([], []) }
        let sharing = linears.filter { $0[keyPath: name] == spec[keyPath: name] }
        return (Array(sharing.prefix { $0.kind != kind }.map(\.out)), sharing.map(\.out))
    }

    public func norm(_ role: NormRole) -> NormSpec? { norms.first { $0.role == role } }

    /// The Linears that read the output of `role`'s norm (q k v behind attn, gate up behind ffn).
    public func readers(of role: NormRole) -> [LinearKind] {
        guard let tap = norm(role)?.tap else { return [] }
        return linears.filter { $0.input == tap }.map(\.kind)
    }

    // MARK: Capabilities

    /// Pre-norm blocks whose norms have a gamma and no beta (RMSNorm): a gamma entry can be
    /// moved into the columns of the Linears that read the norm, exactly (SmoothQuant, gamma
    /// folding, rotation).
    public var hasFoldablePreNormGammas: Bool { placement == .pre && norm == .rms }

    /// The residual stream can be rotated exactly (RMSNorm with unit gamma commutes with an
    /// orthogonal matrix; LayerNorm's mean subtraction does not).
    /// Norms on a sublayer's output (Gemma's post norms) scale the residual per channel right
    /// before the add, where no Linear can absorb a rotation: such families are not invariant.
    public var isRotationInvariant: Bool {
        hasFoldablePreNormGammas && positions == .rope && norm(.attnPost) == nil && norm(.ffnPost) == nil
    }

    /// q and k are RMS-normalised per head after their projections (Gemma 3): rescaling rows of
    /// W_q or W_k is undone by the norm, so q/k balancing is not exact.
    public var hasQKNorms: Bool { norm(.query) != nil || norm(.key) != nil }

    /// q/k dims rotated together by RoPE come in halves (`rotate_half`): dims i and i + r/2.
    public var hasRoPEPairs: Bool { positions == .rope }

    /// Some Linear reads the residual stream itself (not a norm's output or a copy), so
    /// rewriting its input would quantize the residual too: such families take weight and
    /// KV-cache schemes only.
    public var linearInputsAreResidual: Bool {
        let residual: Set<TapName> = [.attnIn, .attnResid, .ffnIn, .ffnResid, .attnPostNorm, .ffnPostNorm]
        return linears.contains { residual.contains($0.input) }
    }

    /// Has next-token logits.
    public var isDecoder: Bool { kind == .decoder }
}
