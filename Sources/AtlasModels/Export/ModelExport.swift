import Foundation

/// The file formats an export can be written in.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// A Hugging Face folder: config.json, model.safetensors (F32), the tokenizer, provenance.
    case safetensors
    /// One GGUF v3 file, every tensor F32.
    case ggufF32 = "gguf-f32"
    /// One GGUF v3 file, matrices F16 (norms F32, as llama.cpp's converter writes them).
    case ggufF16 = "gguf-f16"
    /// One GGUF v3 file as `llama-quantize --pure … Q8_0` writes it: every matrix Q8_0, norms F32.
    case ggufQ8_0 = "gguf-q8_0"
    /// As `llama-quantize --pure … Q4_K_S`: every matrix Q4_K, or Q5_0 where its rows are not a
    /// multiple of 256 (F16 where not even of 32), norms F32.
    case ggufQ4_K = "gguf-q4_k"
    /// As `llama-quantize --pure … Q6_K`: every matrix Q6_K, or Q8_0 (then F16) as for Q4_K.
    case ggufQ6_K = "gguf-q6_k"

    /// The type of a GGUF file's matrices; nil for safetensors.
    public var ggufDType: ExportDType? {
        switch self {
        case .safetensors: return nil
        case .ggufF32: return .f32
        case .ggufF16: return .f16
        case .ggufQ8_0: return .q8_0
        case .ggufQ4_K: return .q4_K
        case .ggufQ6_K: return .q6_K
        }
    }
}

/// Where an export came from: written as `outlier-atlas-export.json`, into the safetensors
/// `__metadata__` and as `outlier_atlas.*` GGUF metadata.
public struct ExportProvenance: Sendable, Equatable {
    public var sourceFile: String
    public var sourceSHA256: String
    /// The mitigations applied, in order, in canonical form (`smoothquant:alpha=0.5,windows=4`).
    public var mitigations: [String]
    public var toolVersion: String
    /// What each mitigation reported (calibration used, entries changed…).
    public var notes: [String]

    public init(sourceFile: String, sourceSHA256: String, mitigations: [String], toolVersion: String, notes: [String] = []) {
        self.sourceFile = sourceFile
        self.sourceSHA256 = sourceSHA256
        self.mitigations = mitigations
        self.toolVersion = toolVersion
        self.notes = notes
    }

    /// Flat strings (safetensors `__metadata__` and GGUF keys).
    public var strings: [String: String] {
        ["source_file": sourceFile, "source_sha256": sourceSHA256, "mitigations": mitigations.joined(separator: "; "),
         "tool": "outlier-atlas", "tool_version": toolVersion]
    }

    var json: [String: Any] {
        ["tool": "outlier-atlas", "tool_version": toolVersion, "source_file": sourceFile, "source_sha256": sourceSHA256,
         "mitigations": mitigations, "notes": notes]
    }
}

/// Writes a LLaMA-family model to disk in one of the `ExportFormat`s, all-or-nothing
/// (`AtomicOutput`), taking the tokenizer and descriptive metadata from the source it was loaded
/// from (a GGUF file or a Hugging Face folder).
public enum ModelExport {
    public static let provenanceFileName = "outlier-atlas-export.json"

    /// Whether `family`'s layouts can be written: the RoPE RMSNorm decoders (LLaMA, Mistral, Qwen2).
    public static func canExport(_ family: ModelFamily) -> Bool { family == .llama || family == .qwen2 }

    /// Writes any decoder whose family `canExport`; others are refused naming the file and family.
    /// `report` receives a GGUF export's `ExportTensor.typeSummary`.
    public static func write(_ model: any DecoderModel, source: URL, format: ExportFormat, provenance: ExportProvenance,
                             to target: URL, force: Bool = false, report: (String) -> Void = { _ in }) throws {
        guard canExport(model.family), let llama = model as? LlamaModel else {
            throw FormatError(file: source.path, field: "architecture", found: "\(model.architecture) (\(model.family.summary))",
                              expected: "a LLaMA-family model (llama, mistral, qwen2): export writes LLaMA layouts only")
        }
        try write(llama, source: source, format: format, provenance: provenance, to: target, force: force, report: report)
    }

    public static func write(_ model: LlamaModel, source: URL, format: ExportFormat, provenance: ExportProvenance,
                             to target: URL, force: Bool = false, report: (String) -> Void = { _ in }) throws {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory)
        let gguf: GGUFFile? = try isDirectory.boolValue ? nil : GGUFFile(url: source)
        let sourceConfig: [String: Any]? = try gguf == nil ? jsonObject(source.appendingPathComponent("config.json")) : nil
        let bos = gguf?.metadata["tokenizer.ggml.bos_token_id"]?.int ?? (sourceConfig?["bos_token_id"] as? Int)
        let eos = gguf?.metadata["tokenizer.ggml.eos_token_id"]?.int ?? (sourceConfig?["eos_token_id"] as? Int)
        if let dtype = format.ggufDType {
            let tokenizer = try gguf == nil ? TokenizerExport.ggufMetadata(folder: source, bos: bos, eos: eos) : []
            let metadata = LlamaExportMetadata.gguf(model, source: gguf, tokenizer: tokenizer, dtype: dtype, provenance: provenance.strings)
            let tensors = LlamaExportTensors.gguf(model, dtype: dtype)
            try AtomicOutput.write(target, force: force, directory: false) { file in
                try GGUFWriter.write(metadata: metadata, tensors: tensors, to: file)
            }
            report(ExportTensor.typeSummary(tensors, requested: dtype))
        } else {
            let c = model.config
            guard c.rotaryDims == c.headDim else {
                throw FormatError(file: source.path, field: "\(c.architecture).rope.dimension_count", found: "\(c.rotaryDims) of head dim \(c.headDim)",
                                  expected: "RoPE over the whole head (Hugging Face LLaMA has no partial rotary)")
            }
            try AtomicOutput.write(target, force: force, directory: true) { dir in
                try write(data: try TokenizerExport.json(LlamaExportMetadata.huggingFaceConfig(model, sourceConfig: sourceConfig, bos: bos, eos: eos)),
                          to: dir.appendingPathComponent("config.json"))
                var metadata = provenance.strings.mapKeys { "outlier_atlas.\($0)" }
                metadata["format"] = "pt"
                try SafetensorsWriter.write(LlamaExportTensors.huggingFace(model), metadata: metadata,
                                            to: dir.appendingPathComponent(SafetensorsFolder.singleFileName))
                if let gguf {
                    let files = try TokenizerExport.huggingFaceFiles(from: gguf, contextLength: model.config.contextLength)
                    try write(data: files.tokenizer, to: dir.appendingPathComponent("tokenizer.json"))
                    try write(data: files.config, to: dir.appendingPathComponent("tokenizer_config.json"))
                } else {
                    for name in ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"]
                    where FileManager.default.fileExists(atPath: source.appendingPathComponent(name).path) {
                        try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: dir.appendingPathComponent(name))
                    }
                }
                try write(data: try TokenizerExport.json(provenance.json), to: dir.appendingPathComponent(provenanceFileName))
            }
        }
    }

    static func jsonObject(_ url: URL) throws -> [String: Any] {
        guard let data = try? Data(contentsOf: url), let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw FormatError(file: url.path, field: "(root)", found: "no readable JSON object", expected: "a Hugging Face config.json")
        }
        return object
    }

    static func write(data: Data, to url: URL) throws {
        do { try data.write(to: url) } catch {
            throw FormatError(file: url.path, field: "file", found: "\(error.localizedDescription)", expected: "a writable location")
        }
    }
}

extension Dictionary {
    func mapKeys<K: Hashable>(_ transform: (Key) -> K) -> [K: Value] {
        Dictionary<K, Value>(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
