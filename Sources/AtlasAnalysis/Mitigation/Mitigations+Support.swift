import AtlasModels

extension Mitigations {
    /// True when `model` takes mitigations: the LLaMA family (RMSNorm, gated FFN). GPT-2/OPT
    /// (LayerNorm with beta and biases) and BERT (post-LN) need their own folding rules.
    public static func supports(_ network: any TransformerModel) -> Bool { network is LlamaModel }
}
