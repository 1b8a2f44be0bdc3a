/// Where one tensor lives in a GGUF file and how it is stored.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// ggml `ne`: innermost (fastest-varying, row length) first.
    public let dims: [Int]
    public let type: GGMLType
    /// Absolute byte offset of the tensor data in the file.
    public let offset: Int
    /// Bytes of tensor data.
    public let byteCount: Int

    public init(name: String, dims: [Int], type: GGMLType, offset: Int, byteCount: Int) {
        self.name = name
        self.dims = dims
        self.type = type
        self.offset = offset
        self.byteCount = byteCount
    }

    /// Number of values (the product of `dims`; 1 for a scalar).
    public var elementCount: Int { dims.reduce(1, *) }

    /// Row length (`ne[0]`), and the number of rows when every outer dim is flattened.
    public var rowLength: Int { dims.first ?? 1 }
    public var rowCount: Int { dims.dropFirst().reduce(1, *) }
}
