import Foundation
@testable import AtlasModels

/// Two inputs in one target. Bytes starting with `{` are a `model.safetensors.index.json`, opened
/// as a sharded folder beside the two shards of the llama-tiny-sharded fixture. Anything else is
/// a `.safetensors` file: the header is parsed in memory, and a file whose header parses is opened
/// as a folder (tmpfs copy) and every tensor is read in the form its dtype allows.
enum SafetensorsTarget: FuzzTarget {
    static let name = "safetensors"

    /// The shards the index input refers to, linked once into the scratch folder.
    static let sharded = Scratch.linkedFolder("sharded", to: FuzzPaths.sharedFixtures.appendingPathComponent("llama-tiny-sharded"),
                                              excluding: [SafetensorsFolder.indexFileName])

    static func test(_ bytes: UnsafeRawBufferPointer) {
        Contract.accept(name) {
            if bytes.first == UInt8(ascii: "{") {
                Scratch.write(bytes, to: "sharded/\(SafetensorsFolder.indexFileName)")
                try read(sharded)
                return
            }
            let header = try SafetensorsHeader.parse(bytes, file: "fuzz.safetensors")
            for info in header.tensors.values {
                Contract.require(info.byteRange.lowerBound >= 8 && info.byteRange.upperBound <= bytes.count, name,
                                 "tensor '\(info.name)' bytes \(info.byteRange) outside the \(bytes.count)-byte input")
                Contract.require(info.elementCount * info.dtype.size == info.byteRange.count, name,
                                 "tensor '\(info.name)' \(info.byteRange.count) bytes for shape \(info.shape)")
            }
            try read(Scratch.write(bytes, to: "single/\(SafetensorsFolder.singleFileName)").deletingLastPathComponent())
        }
    }

    static func read(_ directory: URL) throws {
        let folder = try SafetensorsFolder(directory: directory)
        for tensor in folder.tensorNames {
            guard let info = folder.info(tensor) else { fatalError("\(name): listed tensor '\(tensor)' has no info") }
            if info.dtype.isFloat {
                let values = try folder.floats(tensor)
                Contract.require(values.count == info.elementCount, name, "'\(tensor)': \(values.count) floats")
                _ = try folder.matrix(tensor)
            } else if info.dtype.isInteger {
                Contract.require(try folder.int64s(tensor).count == info.elementCount, name, "'\(tensor)': wrong integer count")
            }
        }
    }
}
