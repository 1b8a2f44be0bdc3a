import Foundation
@testable import AtlasModels
import FuzzSupport

/// Two inputs in one target. Bytes starting with `{` are a `model.safetensors.index.json`, opened
/// as a sharded folder beside the two shards of the llama-tiny-sharded fixture. Anything else is
/// a `.safetensors` file: the header is parsed in memory, and a file whose header parses is opened
/// as a folder (tmpfs copy) and every tensor is read in the form its dtype allows.
@_cdecl("FuzzSafetensors_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv, fuzzSafetensors)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    Contract.accept("safetensors") {
        if size > 0, data[0] == UInt8(ascii: "{") {
            try readFolder(Scratch.write(bytes, to: "sharded/\(SafetensorsFolder.indexFileName)").deletingLastPathComponent())
            return
        }
        let header = try SafetensorsHeader.parse(bytes, file: "fuzz.safetensors")
        for info in header.tensors.values {
            Contract.require(info.byteRange.lowerBound >= 8 && info.byteRange.upperBound <= size, "safetensors",
                             "tensor '\(info.name)' bytes \(info.byteRange) outside the \(size)-byte input")
            Contract.require(info.elementCount * info.dtype.size == info.byteRange.count, "safetensors",
                             "tensor '\(info.name)' \(info.byteRange.count) bytes for shape \(info.shape)")
        }
        try readFolder(Scratch.write(bytes, to: "single/\(SafetensorsFolder.singleFileName)").deletingLastPathComponent())
    }
    return 0
}

/// The shards the index input refers to, linked once into the scratch folder.
let shards: Void = {
    _ = Scratch.linkedFolder("sharded", to: FuzzPaths.sharedFixtures.appendingPathComponent("llama-tiny-sharded"),
                             excluding: [SafetensorsFolder.indexFileName])
}()

func readFolder(_ directory: URL) throws {
    _ = shards
    let folder = try SafetensorsFolder(directory: directory)
    for name in folder.tensorNames {
        guard let info = folder.info(name) else { fatalError("safetensors: listed tensor '\(name)' has no info") }
        if info.dtype.isFloat {
            let values = try folder.floats(name)
            Contract.require(values.count == info.elementCount, "safetensors", "'\(name)': \(values.count) floats")
            if info.shape.count >= 1 { _ = try folder.matrix(name) }
        } else if info.dtype.isInteger {
            Contract.require(try folder.int64s(name).count == info.elementCount, "safetensors", "'\(name)': wrong integer count")
        }
    }
}
