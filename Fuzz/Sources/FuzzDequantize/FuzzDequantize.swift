import AtlasModels
import FuzzSupport

/// Tensor data through every dequantizer: the first byte picks the ggml type, the rest is block
/// data (cut to whole blocks). `Dequantize.floats` must return exactly one value per element and
/// refuse (nil) any byte count that is not the one for the element count.
@_cdecl("FuzzDequantize_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv, fuzzDequantize)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDequantize(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let types = GGMLType.allCases.filter(\.canDequantize)
    let type = types[Int(data[0]) % types.count]
    let payload = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let blocks = payload.count / type.bytesPerBlock
    let whole = UnsafeRawBufferPointer(rebasing: payload[0..<(blocks * type.bytesPerBlock)])
    let count = blocks * type.blockSize
    guard let values = Dequantize.floats(whole, type: type, count: count) else {
        fatalError("dequantize: \(type.name) refused \(blocks) whole blocks")
    }
    Contract.require(values.count == count, "dequantize", "\(type.name): \(values.count) values for \(count) elements")
    if payload.count > whole.count {
        Contract.require(Dequantize.floats(payload, type: type, count: count) == nil, "dequantize",
                         "\(type.name) accepted \(payload.count) bytes for \(count) elements")
    }
    if type.blockSize > 1 {
        Contract.require(Dequantize.floats(whole, type: type, count: count + 1) == nil, "dequantize",
                         "\(type.name) accepted an element count that is not a multiple of the block size")
    }
    return 0
}
