import Foundation

/// Reading tensor data out of a `GGUFFile`: raw bytes, dequantized floats, matrices.
extension GGUFFile {
    func requireInfo(_ name: String) throws -> GGUFTensorInfo {
        guard let info = tensorInfo(name) else {
            throw FormatError(file: url.path, field: "tensor '\(name)'", found: "no such tensor",
                              expected: "one of the \(tensors.count) tensors in the file")
        }
        return info
    }

    /// The stored bytes of tensor `name` (valid while this `GGUFFile` lives).
    public func rawBytes(_ name: String) throws -> UnsafeRawBufferPointer {
        let info = try requireInfo(name)
        guard let bytes = map.slice(offset: info.offset, length: info.byteCount) else {
            throw FormatError(file: url.path, field: "tensor '\(name)' data", found: "range past the end",
                              expected: "a range inside the file")   // unreachable: checked at open
        }
        return bytes
    }

    /// All values of tensor `name` dequantized to Float32, row-major with `ne[0]` fastest.
    public func floats(_ name: String) throws -> [Float] {
        let info = try requireInfo(name)
        let bytes = try rawBytes(name)
        guard let values = Dequantize.floats(bytes, type: info.type, count: info.elementCount) else {
            throw FormatError(file: url.path, field: "tensor '\(name)' type", found: info.type.name,
                              expected: "a type the dequantizer supports (F32, F16, BF16, Q4_0…Q8_1, Q2_K…Q8_K)")
        }
        return values
    }

    /// Tensor `name` as a matrix: rows = product of ne[1...], cols = ne[0]
    /// (a 2-D GGUF tensor `ne = [in, out]` becomes the HF `[out, in]` matrix; 1-D gives 1×ne[0]).
    public func matrix(_ name: String) throws -> Matrix {
        let info = try requireInfo(name)
        let values = try floats(name)
        return Matrix(rows: info.rowCount, cols: info.rowLength, data: values)
    }
}
