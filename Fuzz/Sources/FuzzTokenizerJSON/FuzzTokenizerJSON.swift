import AtlasModels
import Foundation
import FuzzSupport

/// `tokenizer.json` in memory (`TokenizerJSON.load(data:)`): every layout the loader knows
/// (byte-level BPE, byte-fallback BPE, WordPiece). A tokenizer that loads encodes the probe
/// text and must emit only ids it has.
@_cdecl("FuzzTokenizerJSON_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv, fuzzTokenizerJSON)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizerJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    Contract.accept("tokenizer-json") {
        let tokenizer = try TokenizerJSON.load(data: Data(bytes: data, count: size), file: "tokenizer.json")
        TokenizerProbe.check(tokenizer, TokenizerProbe.sample, "tokenizer-json")
    }
    return 0
}
