@testable import AtlasModels
import FuzzSupport

/// GGUF header, metadata and tensor infos, parsed from the bytes in memory; a header that
/// parses is then loaded as a whole model (network and tokenizer, as `inspect` and `analyze`
/// do) from a tmpfs copy, and its tokenizer encodes a probe text.
@_cdecl("FuzzGGUF_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv, fuzzGGUF)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    Contract.accept("gguf") {
        let header = try GGUFParser.parse(bytes, file: "fuzz.gguf")
        for t in header.tensors {
            Contract.require(t.offset >= header.dataOffset && t.offset <= size - t.byteCount, "gguf",
                             "tensor '\(t.name)' bytes \(t.offset)+\(t.byteCount) outside the \(size)-byte input")
            Contract.require(t.type.byteCount(elements: t.elementCount, rowLength: t.rowLength) == t.byteCount, "gguf",
                             "tensor '\(t.name)' byte count \(t.byteCount) disagrees with its dims \(t.dims)")
        }
        for value in header.metadata.values {
            _ = (value.int, value.double, value.string, value.bool, value.strings, value.ints)
        }
        let model = try ModelLoader.load(Scratch.write(bytes, to: "model.gguf"))
        TokenizerProbe.check(model.tokenizer, TokenizerProbe.sample, "gguf")
        if let bos = model.bos {
            Contract.require(bos >= 0 && Int(bos) < model.network.vocabSize, "gguf", "BOS id \(bos) without an embedding row")
        }
    }
    return 0
}
