@testable import AtlasModels

/// GGUF header, metadata and tensor infos, parsed from the bytes in memory; a header that
/// parses is then loaded as a whole model (network and tokenizer, as `inspect` and `analyze`
/// do) from a tmpfs copy, and its tokenizer encodes a probe text.
enum GGUFTarget: FuzzTarget {
    static let name = "gguf"

    static func test(_ bytes: UnsafeRawBufferPointer) {
        Contract.accept(name) {
            let header = try GGUFParser.parse(bytes, file: "fuzz.gguf")
            for t in header.tensors {
                Contract.require(t.offset >= header.dataOffset && t.offset <= bytes.count - t.byteCount, name,
                                 "tensor '\(t.name)' bytes \(t.offset)+\(t.byteCount) outside the \(bytes.count)-byte input")
                Contract.require(t.type.byteCount(elements: t.elementCount, rowLength: t.rowLength) == t.byteCount, name,
                                 "tensor '\(t.name)' byte count \(t.byteCount) disagrees with its dims \(t.dims)")
            }
            for value in header.metadata.values {
                _ = (value.int, value.double, value.string, value.bool, value.strings, value.ints)
            }
            let model = try ModelLoader.load(Scratch.write(bytes, to: "model.gguf"))
            TokenizerProbe.check(model.tokenizer, TokenizerProbe.sample, name)
            if let bos = model.bos {
                Contract.require(bos >= 0 && Int(bos) < model.network.vocabSize, name, "BOS id \(bos) without an embedding row")
            }
        }
    }
}
