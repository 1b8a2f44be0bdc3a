import Foundation

/// Opens a Hugging Face model folder: `config.json` decides the family (`model_type`, else
/// `architectures`), the safetensors checkpoint (single or sharded) gives the weights, and
/// `tokenizer.json` (or `vocab.txt` for WordPiece) the tokenizer.
public enum HFFolderLoader {
    /// `model_type` values this loader runs: every family's, less `gemma3`, which in a config.json
    /// is the multimodal Gemma 3 (its text model nested in `text_config`, weights under
    /// `language_model.`); the text-only checkpoint is `gemma3_text`.
    public static let supportedModelTypes = ModelFamily.all.filter(\.loadsFromHF).flatMap(\.architectures)
        .filter { $0 != "gemma3" }.sorted()

    /// `architectures` class names → model type, for configs without `model_type`.
    static let architectureClasses: [String: String] = [
        "LlamaForCausalLM": "llama", "LlamaModel": "llama", "MistralForCausalLM": "mistral",
        "Qwen2ForCausalLM": "qwen2", "GPT2LMHeadModel": "gpt2", "GPT2Model": "gpt2",
        "OPTForCausalLM": "opt", "OPTModel": "opt", "BertModel": "bert", "Gemma2ForCausalLM": "gemma2",
        "Gemma3ForCausalLM": "gemma3_text", "Phi3ForCausalLM": "phi3",
    ]

    /// The family named by config.json.
    public static func modelType(_ c: HFConfig) throws -> String {
        let type: String
        if c.has("model_type") {
            type = try c.string("model_type")
        } else if let first = try c.architectures().first {
            guard let t = architectureClasses[first] else {
                throw FormatError(file: c.url.path, field: "architectures", found: "\"\(first)\"",
                                  expected: "one of \(architectureClasses.keys.sorted().joined(separator: ", "))")
            }
            type = t
        } else {
            throw FormatError(file: c.url.path, field: "model_type", found: "nothing (and no architectures)",
                              expected: "one of \(supportedModelTypes.joined(separator: ", "))")
        }
        guard type != "gemma3" else {
            throw FormatError(file: c.url.path, field: "model_type", found: "\"gemma3\" (Gemma3ForConditionalGeneration, text and vision)",
                              expected: "\"gemma3_text\" (Gemma3ForCausalLM; the multimodal checkpoint is not read)")
        }
        guard supportedModelTypes.contains(type) else {
            throw FormatError(file: c.url.path, field: "model_type", found: "\"\(type)\" (not supported)",
                              expected: "one of \(supportedModelTypes.joined(separator: ", "))")
        }
        return type
    }

    /// The network of the folder, from its config.json and safetensors weights.
    public static func network(at directory: URL) throws -> any BlockModel {
        let config = try HFConfig(directory: directory)
        let type = try modelType(config)
        let weights = try SafetensorsFolder(directory: directory)
        switch type {
        case "gpt2": return try GPT2HFLoader.load(config, weights: weights)
        case "opt": return try OPTHFLoader.load(config, weights: weights)
        case "bert": return try BertHFLoader.load(config, weights: weights)
        default: return try LlamaHFLoader.load(config, modelType: type, weights: weights)
        }
    }

    /// The folder's tokenizer, checked against the network: WordPiece for encoders, byte-level
    /// BPE for decoders, and no id beyond the embedding table.
    public static func tokenizer(at directory: URL, for network: any BlockModel) throws -> any Tokenizer {
        let json = directory.appendingPathComponent("tokenizer.json")
        let vocab = directory.appendingPathComponent("vocab.txt")
        let fm = FileManager.default
        let tokenizer: any Tokenizer, source: URL
        if fm.fileExists(atPath: json.path) {
            (tokenizer, source) = (try TokenizerJSON.load(url: json), json)
        } else if !network.family.isDecoder, fm.fileExists(atPath: vocab.path) {
            (tokenizer, source) = (try WordPieceTokenizer.fromVocabTxt(url: vocab), vocab)
        } else {
            throw FormatError(file: directory.path, field: "tokenizer", found: "neither tokenizer.json nor vocab.txt",
                              expected: "the model's tokenizer beside config.json")
        }
        let isEncoder = !network.family.isDecoder
        guard (tokenizer is WordPieceTokenizer) == isEncoder else {
            throw FormatError(file: source.path, field: "model.type", found: tokenizer.name,
                              expected: isEncoder ? "a WordPiece tokenizer for the \(network.architecture) encoder"
                                                  : "a BPE tokenizer for the \(network.architecture) decoder")
        }
        guard tokenizer.vocabularySize <= network.vocabSize else {
            throw FormatError(file: source.path, field: "vocabulary size", found: "\(tokenizer.vocabularySize) ids",
                              expected: "at most the model's vocab_size \(network.vocabSize)")
        }
        return tokenizer
    }

    /// The BOS id when `tokenizer_config.json` asks for one (`add_bos_token: true`) and
    /// config.json names it (`bos_token_id`).
    public static func bos(at directory: URL) throws -> Int32? {
        let url = directory.appendingPathComponent("tokenizer_config.json")
        guard let data = try? Data(contentsOf: url),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              object["add_bos_token"] as? Bool == true else { return nil }
        let config = try HFConfig(directory: directory)
        let id = try config.int("bos_token_id")
        guard let small = Int32(exactly: id) else {
            throw FormatError(file: directory.appendingPathComponent("config.json").path, field: "bos_token_id", found: "\(id)",
                              expected: "a token id of the vocabulary")
        }
        return small
    }
}
