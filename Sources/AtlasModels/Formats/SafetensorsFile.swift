import Foundation

/// One Hugging Face `.safetensors` file, memory-mapped; the header is fully validated at open.
public final class SafetensorsFile: @unchecked Sendable {
    public let url: URL
    /// `__metadata__` (string → string), empty when absent.
    public let metadata: [String: String]
    /// Tensor names, sorted.
    public let tensorNames: [String]

    let map: MappedFile
    private let infos: [String: SafetensorsTensorInfo]

    public init(url: URL) throws {
        self.url = url
        map = try MappedFile(url: url)
        let header = try SafetensorsHeader.parse(map.bytes, file: url.path)
        infos = header.tensors
        metadata = header.metadata
        tensorNames = header.tensors.keys.sorted()
    }

    public func info(_ name: String) -> SafetensorsTensorInfo? { infos[name] }

    func requireInfo(_ name: String) throws -> SafetensorsTensorInfo {
        guard let info = infos[name] else {
            throw FormatError(file: url.path, field: "tensor '\(name)'", found: "no such tensor",
                              expected: "one of the \(infos.count) tensors in the file")
        }
        return info
    }

    /// The stored bytes of tensor `name` (valid while this file lives).
    public func rawBytes(_ name: String) throws -> UnsafeRawBufferPointer {
        let info = try requireInfo(name)
        return map.slice(offset: info.byteRange.lowerBound, length: info.byteRange.count)!   // checked at open
    }

    /// Tensor `name` as Float32 (F32, F16, BF16, F64 upcast/downcast exactly as a cast would).
    public func floats(_ name: String) throws -> [Float] {
        let info = try requireInfo(name)
        let type: GGMLType
        switch info.dtype {
        case .f32: type = .f32
        case .f16: type = .f16
        case .bf16: type = .bf16
        case .f64: type = .f64
        default:
            throw FormatError(file: url.path, field: "tensor '\(name)' dtype", found: info.dtype.rawValue,
                              expected: "a float dtype (F32, F16, BF16, F64)")
        }
        return Dequantize.floats(try rawBytes(name), type: type, count: info.elementCount)!
    }

    /// Tensor `name` as a matrix: the last dim is the columns, all leading dims flattened into rows.
    public func matrix(_ name: String) throws -> Matrix {
        let info = try requireInfo(name)
        let values = try floats(name)
        let cols = info.shape.last ?? 1
        return Matrix(rows: info.shape.dropLast().reduce(1, *), cols: cols, data: values)
    }

    /// An integer tensor (I64, I32, I16, I8, U32, U16, U8, BOOL) widened to Int64.
    public func int64s(_ name: String) throws -> [Int64] {
        let info = try requireInfo(name)
        let raw = try rawBytes(name)
        let n = info.elementCount
        func load<T: FixedWidthInteger>(_: T.Type) -> [Int64] {
            (0..<n).map { Int64(T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))) }
        }
        switch info.dtype {
        case .i64: return load(Int64.self)
        case .i32: return load(Int32.self)
        case .i16: return load(Int16.self)
        case .i8: return load(Int8.self)
        case .u32: return load(UInt32.self)
        case .u16: return load(UInt16.self)
        case .u8, .bool: return load(UInt8.self)
        default:
            throw FormatError(file: url.path, field: "tensor '\(name)' dtype", found: info.dtype.rawValue,
                              expected: "an integer dtype (I64, I32, I16, I8, U32, U16, U8, BOOL)")
        }
    }

    /// A U8 (or BOOL) tensor's bytes.
    public func uint8s(_ name: String) throws -> [UInt8] {
        let info = try requireInfo(name)
        guard info.dtype == .u8 || info.dtype == .bool else {
            throw FormatError(file: url.path, field: "tensor '\(name)' dtype", found: info.dtype.rawValue,
                              expected: "U8 or BOOL")
        }
        return Array(try rawBytes(name))
    }
}
