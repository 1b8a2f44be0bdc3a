import AtlasModels

/// Tensor data through every dequantizer: the first byte picks the ggml type, the rest is block
/// data (cut to whole blocks). `Dequantize.floats` must return exactly one value per element and
/// refuse (nil) any byte count that is not the one for the element count.
enum DequantizeTarget: FuzzTarget {
    static let name = "dequantize"
    static let types = GGMLType.allCases.filter(\.canDequantize)

    static func test(_ bytes: UnsafeRawBufferPointer) {
        guard let first = bytes.first else { return }
        let type = types[Int(first) % types.count]
        let payload = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
        let blocks = payload.count / type.bytesPerBlock
        let whole = UnsafeRawBufferPointer(rebasing: payload[0..<(blocks * type.bytesPerBlock)])
        let count = blocks * type.blockSize
        guard let values = Dequantize.floats(whole, type: type, count: count) else {
            fatalError("\(name): \(type.name) refused \(blocks) whole blocks")
        }
        Contract.require(values.count == count, name, "\(type.name): \(values.count) values for \(count) elements")
        if payload.count > whole.count {
            Contract.require(Dequantize.floats(payload, type: type, count: count) == nil, name,
                             "\(type.name) accepted \(payload.count) bytes for \(count) elements")
        }
        if type.blockSize > 1 {
            Contract.require(Dequantize.floats(whole, type: type, count: count + 1) == nil, name,
                             "\(type.name) accepted an element count that is not a multiple of the block size")
        }
    }
}
