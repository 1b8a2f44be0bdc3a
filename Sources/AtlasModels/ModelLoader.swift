import Foundation

/// A model ready to analyze: the network, its tokenizer and the BOS policy its files ask for.
public struct LoadedModel: Sendable {
    public let url: URL
    /// `gguf` or `safetensors`.
    public let format: String
    /// The network; its `family.kind` tells a decoder from an encoder.
    public let network: any BlockModel
    public let tokenizer: any Tokenizer
    /// The BOS id to put at the start of every window, when the model's metadata asks for one.
    public let bos: Int32?
    /// Where the weight matrices live (Float32, or a GGUF's blocks kept quantized).
    public let weights: WeightResidency

    public init(url: URL, format: String, network: any BlockModel, tokenizer: any Tokenizer, bos: Int32?,
                weights: WeightResidency = .float32) {
        self.url = url
        self.format = format
        self.network = network
        self.tokenizer = tokenizer
        self.bos = bos
        self.weights = weights
    }

    /// The progress line that says the weights were kept quantized (nil for Float32).
    public var weightsNote: String? {
        weights == .quantized ? "weights: quantized (GGUF blocks kept memory-mapped, dequantized per product)" : nil
    }

    /// The same model with another BOS policy.
    public func with(bos: Int32?) -> LoadedModel {
        LoadedModel(url: url, format: format, network: network, tokenizer: tokenizer, bos: bos, weights: weights)
    }

    /// The encoder, when the network is one.
    public var encoder: (any EncoderModel)? { network as? any EncoderModel }

    /// The decoder; an encoder is refused with an error naming the file (it has no logits).
    public func decoder() throws -> any DecoderModel {
        guard let decoder = network as? any DecoderModel else {
            throw FormatError(file: url.path, field: "architecture", found: "\(network.architecture) (an encoder: no next-token logits)",
                              expected: "a decoder for this step")
        }
        return decoder
    }
}

/// Opens a model by what is at its path: a Hugging Face folder (config.json + safetensors),
/// or a GGUF file, and builds network and tokenizer.
public enum ModelLoader {
    /// `weights` decides whether a GGUF model's matrices are dequantized at load or kept in
    /// their blocks (Hugging Face folders are always Float32).
    public static func load(_ url: URL, weights: WeightPolicy = .fixed(.float32)) throws -> LoadedModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw FormatError(file: url.path, field: "file", found: "nothing at this path",
                              expected: "a GGUF file or a Hugging Face model folder")
        }
        if isDirectory.boolValue {
            let network = try HFFolderLoader.network(at: url)
            let tokenizer = try HFFolderLoader.tokenizer(at: url, for: network)
            let bos = try HFFolderLoader.bos(at: url)
            let config = url.appendingPathComponent("config.json").path
            try checkIDs(network: network, tokenizer: tokenizer, bos: bos.map(Int.init), file: config, bosField: "bos_token_id")
            return LoadedModel(url: url, format: "safetensors", network: network, tokenizer: tokenizer, bos: bos)
        }
        let gguf = try GGUFFile(url: url)
        let float32Bytes = gguf.tensors.reduce(0) { $0 + $1.elementCount * MemoryLayout<Float>.size }
        let budget = WeightPolicy.processBudget()
        let residency = weights.residency(float32Bytes: float32Bytes, budget: budget)
        if residency == .float32, let budget, float32Bytes > budget {
            throw FormatError(file: url.path, field: "weights", found: "\(float32Bytes / 1_000_000) MB of Float32 weights, "
                              + "\(budget / 1_000_000) MB of memory available to this process",
                              expected: "weights that fit (keep them quantized: --weights quantized or auto)")
        }
        let model = try LlamaGGUFLoader.load(gguf, weights: residency)
        let tokenizer = try GGUFTokenizerLoader.load(gguf, embeddingRows: model.vocabSize)
        let addBOS = gguf.metadata["tokenizer.ggml.add_bos_token"]?.bool ?? false
        var bos: Int?
        if addBOS {
            guard let id = gguf.metadata["tokenizer.ggml.bos_token_id"]?.int else {
                throw FormatError(file: url.path, field: "tokenizer.ggml.bos_token_id",
                                  found: gguf.metadata["tokenizer.ggml.bos_token_id"] == nil ? "nothing" : "a value that is not an integer",
                                  expected: "an integer token id (tokenizer.ggml.add_bos_token is true)")
            }
            bos = id
        }
        try checkIDs(network: model, tokenizer: tokenizer, bos: bos, file: url.path, bosField: "tokenizer.ggml.bos_token_id")
        return LoadedModel(url: url, format: "gguf", network: model, tokenizer: tokenizer, bos: bos.map { Int32($0) },
                           weights: residency)
    }

    /// Every id that can reach the embedding must have a row: the BOS id, and every id the
    /// tokenizer can emit (its vocabulary may be smaller than the embedding, padded, never
    /// larger). The release build does not bounds-check the embedding copy.
    static func checkIDs(network: any BlockModel, tokenizer: any Tokenizer, bos: Int?, file: String, bosField: String) throws {
        let rows = network.vocabSize
        if let bos, !(0..<rows).contains(bos) {
            throw FormatError(file: file, field: bosField, found: "\(bos)", expected: "a token id in 0…\(rows - 1) (the embedding has \(rows) rows)")
        }
        guard tokenizer.vocabularySize <= rows else {
            throw FormatError(file: file, field: "tokenizer", found: "\(tokenizer.vocabularySize) tokens",
                              expected: "at most the embedding's \(rows) rows (ids at or above \(rows) have no embedding)")
        }
    }
}

/// Builds the tokenizer a GGUF file's `tokenizer.ggml.*` metadata describes: `model = gpt2`
/// → byte-level BPE, `model = llama` → SentencePiece (llama.cpp SPM).
public enum GGUFTokenizerLoader {
    /// - Parameter embeddingRows: the network's embedding rows, when known: it decides which of
    ///   two per-token arrays of different lengths is the wrong one.
    public static func load(_ file: GGUFFile, embeddingRows: Int? = nil) throws -> any Tokenizer {
        let path = file.url.path
        try checkPerTokenArrays(file, embeddingRows: embeddingRows)
        let model = try GGUFMeta.string(file, "tokenizer.ggml.model")
        switch model {
        case "gpt2": return try byteLevelBPE(file)
        case "llama": return try SentencePieceTokenizer.fromGGUFMetadata(file.metadata, file: path)
        default:
            throw FormatError(file: path, field: "tokenizer.ggml.model", found: model,
                              expected: "gpt2 (byte-level BPE) or llama (SentencePiece)")
        }
    }

    /// `tokenizer.ggml.token_type` and `.scores` hold one entry per token of `.tokens`. When they
    /// differ, the array that also differs from the embedding's rows is blamed: a token list
    /// shortened by one is reported as `tokens`, not as the intact `token_type`.
    static func checkPerTokenArrays(_ file: GGUFFile, embeddingRows: Int?) throws {
        let fields = TokenizerFieldNames.gguf
        guard let tokens = file.metadata[fields.tokens]?.array?.count else { return }
        for field in [fields.tokenTypes, fields.scores] {
            guard let count = file.metadata[field]?.array?.count, count != tokens else { continue }
            if count == embeddingRows {
                throw FormatError(file: file.url.path, field: fields.tokens, found: "\(tokens) entries",
                                  expected: "\(count), like \(field) and the embedding's rows")
            }
            throw FormatError(file: file.url.path, field: field, found: "\(count) entries", expected: "\(tokens), one per token")
        }
    }

    private static func byteLevelBPE(_ file: GGUFFile) throws -> ByteLevelBPETokenizer {
        let path = file.url.path
        guard let tokens = file.metadata["tokenizer.ggml.tokens"]?.strings else {
            throw FormatError(file: path, field: "tokenizer.ggml.tokens", found: "missing or not strings", expected: "an array of strings")
        }
        guard let merges = file.metadata["tokenizer.ggml.merges"]?.strings else {
            throw FormatError(file: path, field: "tokenizer.ggml.merges", found: "missing or not strings", expected: "an array of strings")
        }
        let types = file.metadata["tokenizer.ggml.token_type"]?.ints?.map { Int32(truncatingIfNeeded: $0) }
            ?? [Int32](repeating: 1, count: tokens.count)
        let pre = file.metadata["tokenizer.ggml.pre"]?.string ?? "gpt2"
        return try ByteLevelBPETokenizer.fromGGUFMetadata(tokens: tokens, merges: merges, tokenTypes: types,
                                                           pre: pre, file: path)
    }
}
