import Foundation

/// A Hugging Face checkpoint folder: a single `model.safetensors`, or shards listed by
/// `model.safetensors.index.json` (`weight_map`: tensor → shard file), read as one set of tensors.
public final class SafetensorsFolder: @unchecked Sendable {
    public static let singleFileName = "model.safetensors"
    public static let indexFileName = "model.safetensors.index.json"

    public let directory: URL
    /// The opened files (one, or every shard named by the index), in name order.
    public let files: [SafetensorsFile]
    /// Tensor names, sorted.
    public let tensorNames: [String]
    /// The union of the files' `__metadata__`.
    public let metadata: [String: String]
    private let owner: [String: SafetensorsFile]

    public init(directory: URL) throws {
        self.directory = directory
        let index = directory.appendingPathComponent(Self.indexFileName)
        let single = directory.appendingPathComponent(Self.singleFileName)
        let fm = FileManager.default
        if fm.fileExists(atPath: index.path) {
            let weightMap = try Self.readWeightMap(index)
            var shards: [String: SafetensorsFile] = [:]
            for shardName in Set(weightMap.values).sorted() {
                let shardURL = directory.appendingPathComponent(shardName)
                guard fm.fileExists(atPath: shardURL.path) else {
                    throw FormatError(file: index.path, field: "weight_map shard '\(shardName)'",
                                      found: "no such file in \(directory.path)", expected: "every listed shard present")
                }
                shards[shardName] = try SafetensorsFile(url: shardURL)
            }
            var owner: [String: SafetensorsFile] = [:]
            for (tensor, shardName) in weightMap {
                let shard = shards[shardName]!
                guard shard.info(tensor) != nil else {
                    throw FormatError(file: index.path, field: "weight_map['\(tensor)']",
                                      found: "no tensor '\(tensor)' in \(shardName)", expected: "the tensor in its shard")
                }
                owner[tensor] = shard
            }
            self.owner = owner
            files = shards.keys.sorted().map { shards[$0]! }
        } else if fm.fileExists(atPath: single.path) {
            let file = try SafetensorsFile(url: single)
            owner = Dictionary(uniqueKeysWithValues: file.tensorNames.map { ($0, file) })
            files = [file]
        } else {
            throw FormatError(file: directory.path, field: "checkpoint",
                              found: "neither \(Self.singleFileName) nor \(Self.indexFileName)",
                              expected: "a safetensors checkpoint folder")
        }
        tensorNames = owner.keys.sorted()
        metadata = files.reduce(into: [:]) { $0.merge($1.metadata) { a, _ in a } }
    }

    /// Reads and validates `weight_map` of an index file.
    static func readWeightMap(_ index: URL) throws -> [String: String] {
        let data: Data
        do { data = try Data(contentsOf: index) } catch {
            throw FormatError(file: index.path, field: "file", found: "unreadable (\(error.localizedDescription))", expected: "a readable file")
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw FormatError(file: index.path, field: "JSON", found: "malformed JSON or not an object", expected: "a JSON object")
        }
        guard let map = root["weight_map"] as? [String: Any] else {
            throw FormatError(file: index.path, field: "weight_map", found: "\(root["weight_map"].map { "\(type(of: $0))" } ?? "nothing")",
                              expected: "an object of tensor name → shard file")
        }
        var out: [String: String] = [:]
        for (tensor, value) in map {
            guard let shard = value as? String, !shard.isEmpty, !shard.contains("/"), shard != ".", shard != ".." else {
                throw FormatError(file: index.path, field: "weight_map['\(tensor)']", found: "\(value)",
                                  expected: "a shard file name in the same folder")
            }
            out[tensor] = shard
        }
        return out
    }

    func file(for name: String) throws -> SafetensorsFile {
        guard let f = owner[name] else {
            throw FormatError(file: directory.path, field: "tensor '\(name)'", found: "no such tensor",
                              expected: "one of the \(owner.count) tensors in the checkpoint")
        }
        return f
    }

    public func info(_ name: String) -> SafetensorsTensorInfo? { owner[name]?.info(name) }
    /// The file that holds tensor `name`.
    public func url(of name: String) -> URL? { owner[name]?.url }
    public func floats(_ name: String) throws -> [Float] { try file(for: name).floats(name) }
    public func matrix(_ name: String) throws -> Matrix { try file(for: name).matrix(name) }
    public func int64s(_ name: String) throws -> [Int64] { try file(for: name).int64s(name) }
    public func uint8s(_ name: String) throws -> [UInt8] { try file(for: name).uint8s(name) }
}
