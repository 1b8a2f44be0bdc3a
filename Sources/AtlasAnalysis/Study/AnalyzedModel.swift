import AtlasModels

/// A model as one analysis runs it: its network (a decoder or an encoder), the runtime
/// intervention of a mitigation (nil for a plain model) and the changes the mitigation makes to
/// its own quantization. Baseline and mitigated variants are analyzed through this one type;
/// every forward pass goes through `PassComposition`.
public struct AnalyzedModel: Sendable {
    /// The network, by kind (only decoders have logits).
    public enum Network: Sendable {
        case decoder(any DecoderModel)
        case encoder(any EncoderModel)
    }

    public var network: Network
    /// Rewrites taps on every forward (clipping, massive-activation removal), before anything else.
    public var intervention: (any TapObserver & Sendable)?
    public var adjustments: QuantizationAdjustments

    public init(_ network: Network, intervention: (any TapObserver & Sendable)? = nil, adjustments: QuantizationAdjustments = .plain) {
        self.network = network
        self.intervention = intervention
        self.adjustments = adjustments
    }

    public init(decoder: any DecoderModel, intervention: (any TapObserver & Sendable)? = nil, adjustments: QuantizationAdjustments = .plain) {
        self.init(.decoder(decoder), intervention: intervention, adjustments: adjustments)
    }

    /// A network analyzed as it is; nil for a network that is neither a decoder nor an encoder.
    public init?(_ network: any BlockModel) {
        if let decoder = network as? any DecoderModel {
            self.init(.decoder(decoder))
        } else if let encoder = network as? any EncoderModel {
            self.init(.encoder(encoder))
        } else {
            return nil
        }
    }

    /// The loaded network, analyzed as it is; neither kind is `LoadedModel.decoder()`'s error.
    public init(_ loaded: LoadedModel) throws {
        if let model = AnalyzedModel(loaded.network) { self = model } else { self.init(.decoder(try loaded.decoder())) }
    }

    /// The blocks and the family, whatever the kind.
    public var blocks: any BlockModel {
        switch network {
        case .decoder(let d): d
        case .encoder(let e): e
        }
    }

    public var family: ModelFamily { blocks.family }

    /// Every block Linear, in block then family-table order.
    public var linearSites: [LinearSite] { blocks.linearSites }

    /// The Linear at `site`.
    public func linear(at site: LinearSite) -> Linear { blocks.linear(at: site) }

    /// The decoder, nil for an encoder.
    public var decoder: (any DecoderModel)? {
        if case .decoder(let d) = network { return d }
        return nil
    }

    /// A copy with each block Linear replaced (`BlockModel.transformingLinears`); the
    /// intervention and adjustments are kept.
    public func transformingLinears(_ transform: (LinearSite, Linear) throws -> Linear) rethrows -> AnalyzedModel {
        var copy = self
        switch network {
        case .decoder(let d): copy.network = .decoder(try d.transformingLinears(transform))
        case .encoder(let e): copy.network = .encoder(try e.transformingLinears(transform))
        }
        return copy
    }

    /// One forward pass with `observer` composed after the intervention: a decoder's logits
    /// `[T, vocab]`, an encoder's final hidden states `[T, hidden]`.
    public func pass(tokens: [Int32], observer: TapObserver?) -> Matrix {
        let composed = PassComposition.after(intervention, observer)
        switch network {
        case .decoder(let d): return d.forward(tokens: tokens, observer: composed)
        case .encoder(let e): return e.hiddenStates(tokens: tokens, keyMask: nil, observer: composed)
        }
    }

    /// An encoder's sentence embedding of `tokens` (mean pooling of `pass`).
    public func sentenceEmbedding(tokens: [Int32], observer: TapObserver?) -> SentenceEmbedding {
        SentenceEmbedding(meanPooling: pass(tokens: tokens, observer: observer), keyMask: nil)
    }
}
