import AtlasModels
import AtlasResults
import ArgumentParser
import Foundation

/// `outlier-atlas inspect`: what a model file holds, without running it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model file's architecture, hyperparameters and tensor table.")

    @Argument(help: "Model file (GGUF).")
    var file: String

    func run() throws {
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
