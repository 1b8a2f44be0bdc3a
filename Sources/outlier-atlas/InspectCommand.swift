import AtlasModels
import AtlasResults
import ArgumentParser
import Foundation

/// `outlier-atlas inspect`: what a model file holds, without running it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model's architecture, hyperparameters and tensor table (a GGUF file or a Hugging Face folder).")

    @Argument(help: "Model: a GGUF file, or a Hugging Face folder (config.json + safetensors).")
    var file: String

    func run() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
            return try inspectFolder(URL(fileURLWithPath: file))
        }
        let gguf = try GGUFFile(url: URL(fileURLWithPath: file))
        print("file: \(file)")
        print("format: GGUF v\(gguf.version), \(gguf.tensors.count) tensors")
        do {
            let c = try LlamaGGUFLoader.config(gguf)
            print("architecture: \(c.architecture)")
            print("blocks: \(c.blockCount)  hidden: \(c.hiddenSize)  ffn: \(c.ffnSize)  heads: \(c.headCount) (kv \(c.kvHeadCount), head dim \(c.headDim))")
            print("vocab: \(c.vocabSize)  context: \(c.contextLength)  rope theta: \(c.ropeTheta)  norm eps: \(c.normEps)  tied head: \(c.tiedEmbeddings)")
            if let window = c.slidingWindow {
                let locals = (0..<c.blockCount).filter { c.isLocal(block: $0) }.count
                print("local layers: \(locals) of \(c.blockCount) see the last \(window) tokens (rope theta \(c.localRopeTheta ?? c.ropeTheta))")
            }
        } catch {
            print(MessageText.escaped("architecture: \(gguf.metadata["general.architecture"]?.string ?? "unknown") (not runnable by this tool: \(error))"))
        }
        print("\nmetadata:")
        for key in gguf.metadataKeys {
            print(MessageText.escaped("  \(key) = \(MetadataFormat.short(gguf.metadata[key]!))"))
        }
        print("\ntensors:")
        let width = gguf.tensors.map(\.name.count).max() ?? 0
        for t in gguf.tensors {
            let name = MessageText.escaped(t.name).padding(toLength: width, withPad: " ", startingAt: 0)
            print("  \(name)  \(t.type.name.padding(toLength: 5, withPad: " ", startingAt: 0))  \(t.dims)")
        }
    }
}

extension InspectCommand {
    /// A Hugging Face folder: its family, every config.json key, the safetensors metadata and
    /// every tensor's dtype and shape, read from the headers only (no weights are loaded).
    func inspectFolder(_ url: URL) throws {
        let config = try HFConfig(directory: url)
        let weights = try SafetensorsFolder(directory: url)
        print(MessageText.escaped("file: \(file)"))
        print("format: Hugging Face folder, \(weights.files.count) safetensors file(s), \(weights.tensorNames.count) tensors")
        do {
            print(MessageText.escaped("family: \(try HFFolderLoader.modelType(config))"))
        } catch {
            print(MessageText.escaped("family: not runnable by this tool (\(error))"))
        }
        print("\nconfig.json:")
        for (key, value) in config.summary { print(MessageText.escaped("  \(key) = \(value)")) }
        if !weights.metadata.isEmpty {
            print("\nmetadata:")
            for key in weights.metadata.keys.sorted() { print(MessageText.escaped("  \(key) = \(weights.metadata[key]!)")) }
        }
        print("\ntensors:")
        let width = weights.tensorNames.map(\.count).max() ?? 0
        for name in weights.tensorNames {
            guard let info = weights.info(name) else { continue }
            let padded = MessageText.escaped(name).padding(toLength: width, withPad: " ", startingAt: 0)
            print("  \(padded)  \(info.dtype.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0))  \(info.shape)")
        }
    }
}

/// One-line rendering of a metadata value; long arrays are summarised.
enum MetadataFormat {
    static func short(_ v: GGUFValue) -> String {
        if let a = v.array {
            let head = a.prefix(4).map(short).joined(separator: ", ")
            return a.count > 4 ? "[\(head), … (\(a.count) items)]" : "[\(head)]"
        }
        if let s = v.string { return s.count > 60 ? "\"\(s.prefix(60))…\"" : "\"\(s)\"" }
        if let b = v.bool { return "\(b)" }
        if let i = v.int { return "\(i)" }
        if let d = v.double { return "\(d)" }
        return "\(v)"
    }
}
