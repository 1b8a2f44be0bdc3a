/// The GGUF header, metadata and tensor-info table, parsed and validated from raw bytes
/// (the layout of ggml's `gguf.cpp` / gguf-py `GGUFReader`, versions 2 and 3).
struct GGUFHeader {
    var version: UInt32
    var metadata: [String: GGUFValue]
    var metadataKeys: [String]
    var tensors: [GGUFTensorInfo]
    var alignment: Int
    var dataOffset: Int
}

enum GGUFParser {
    static let magic: UInt32 = 0x4655_4747          // "GGUF" read little-endian
    static let maxDims = 4                             // GGML_MAX_DIMS
    static let maxArrayDepth = 8
    static let defaultAlignment = 32

    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws -> GGUFHeader {
        var r = ByteReader(bytes: bytes, file: file)
        let m = try r.read(UInt32.self, "magic")
        guard m == magic else {
            throw FormatError(file: file, field: "magic", found: hexBytes(m), expected: "\"GGUF\" (47 47 55 46)")
        }
        let version = try r.read(UInt32.self, "version")
        guard version == 2 || version == 3 else {
            let hint = version == 1 ? " (GGUF v1, 32-bit counts, unsupported)"
                : version.byteSwapped == 2 || version.byteSwapped == 3 ? " (big-endian file, unsupported)" : ""
            throw FormatError(file: file, field: "version", found: "\(version)\(hint)", expected: "2 or 3")
        }
        // Smallest tensor info: name length (8) + n_dims (4) + type (4) + offset (8).
        let tensorCount = try r.readCount("tensor_count", minBytesEach: 24)
        // Smallest key/value: key length (8) + type (4) + one byte of value.
        let kvCount = try r.readCount("metadata_kv_count", minBytesEach: 13)

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        keys.reserveCapacity(kvCount)
        for i in 0..<kvCount {
            let key = try r.readString("metadata key #\(i)")
            let rawType = try r.read(UInt32.self, "metadata '\(key)' type")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw FormatError(file: file, field: "metadata '\(key)' type", found: "\(rawType)",
                                  expected: "a GGUF value type 0...12")
            }
            let value = try readValue(&r, type: type, field: "metadata '\(key)'", depth: 0)
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw FormatError(file: file, field: "metadata '\(key)'", found: "a duplicate key", expected: "unique keys")
            }
            keys.append(key)
        }

        var alignment = defaultAlignment
        if let a = metadata["general.alignment"] {
            guard let v = a.int, v > 0, v <= 1 << 30, v & (v - 1) == 0 else {
                throw FormatError(file: file, field: "metadata 'general.alignment'", found: "\(a)",
                                  expected: "a power of two integer")
            }
            alignment = v
        }

        var raw: [(name: String, dims: [Int], type: GGMLType, relOffset: Int)] = []
        raw.reserveCapacity(tensorCount)
        var seen = Set<String>()
        for i in 0..<tensorCount {
            let name = try r.readString("tensor info #\(i) name")
            let field = "tensor '\(name)'"
            let nDims = try r.read(UInt32.self, "\(field) n_dims")
            guard nDims <= UInt32(maxDims) else {
                throw FormatError(file: file, field: "\(field) n_dims", found: "\(nDims)", expected: "at most \(maxDims)")
            }
            var dims: [Int] = []
            // Product of the non-zero dims: bounds every partial product (rows, cols) even when
            // a zero dim makes the element count 0.
            var product = 1
            for d in 0..<Int(nDims) {
                let ne = try r.read(Int64.self, "\(field) ne[\(d)]")
                guard ne >= 0, let n = Int(exactly: ne) else {
                    throw FormatError(file: file, field: "\(field) ne[\(d)]", found: "\(ne)", expected: "a non-negative size")
                }
                let (p, o) = product.multipliedReportingOverflow(by: max(n, 1))
                guard !o else {
                    throw FormatError(file: file, field: "\(field) dims", found: "\(dims + [n]) (element count overflows)",
                                      expected: "an element count that fits in 64 bits")
                }
                product = p
                dims.append(n)
            }
            let rawType = try r.read(UInt32.self, "\(field) type")
            guard let type = GGMLType(rawValue: rawType) else {
                throw FormatError(file: file, field: "\(field) type", found: "ggml type \(rawType)",
                                  expected: "a known ggml type (\(GGMLType.allCases.map { "\($0.rawValue)" }.joined(separator: ", ")))")
            }
            let off = try r.read(UInt64.self, "\(field) offset")
            guard let relOffset = Int(exactly: off) else {
                throw FormatError(file: file, field: "\(field) offset", found: "\(off)", expected: "an offset inside the file")
            }
            guard seen.insert(name).inserted else {
                throw FormatError(file: file, field: "\(field) name", found: "a duplicate tensor name", expected: "unique tensor names")
            }
            raw.append((name, dims, type, relOffset))
        }

        // The data section starts at the next multiple of the alignment after the tensor infos.
        let headerEnd = r.offset
        let dataOffset = (headerEnd + alignment - 1) / alignment * alignment
        let fileSize = bytes.count

        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(raw.count)
        for t in raw {
            let field = "tensor '\(t.name)'"
            let rowLength = t.dims.first ?? 1
            let count = t.dims.reduce(1, *)
            guard let byteCount = t.type.byteCount(elements: count, rowLength: rowLength) else {
                throw FormatError(file: file, field: "\(field) dims", found: "\(t.dims) of \(t.type.name)",
                                  expected: "ne[0] a multiple of the block size \(t.type.blockSize)")
            }
            guard t.relOffset % alignment == 0 else {
                throw FormatError(file: file, field: "\(field) offset", found: "\(t.relOffset) (misaligned)",
                                  expected: "a multiple of general.alignment \(alignment)")
            }
            let (start, o1) = dataOffset.addingReportingOverflow(t.relOffset)
            let (end, o2) = start.addingReportingOverflow(byteCount)
            guard !o1, !o2, end <= fileSize else {
                throw FormatError(file: file, field: "\(field) data",
                                  found: "bytes \(t.relOffset) + \(byteCount) after data start \(dataOffset) (past the end)",
                                  expected: "a range inside the file of \(fileSize) bytes")
            }
            tensors.append(GGUFTensorInfo(name: t.name, dims: t.dims, type: t.type, offset: start, byteCount: byteCount))
        }

        if let overlap = TensorOverlap.first(tensors.map { ($0.name, $0.offset..<($0.offset + $0.byteCount)) }) {
            throw FormatError(file: file, field: "tensor '\(overlap.later)' offset",
                              found: "data overlapping tensor '\(overlap.earlier)'", expected: "disjoint tensor data")
        }

        return GGUFHeader(version: version, metadata: metadata, metadataKeys: keys, tensors: tensors,
                          alignment: alignment, dataOffset: dataOffset)
    }

    static func readValue(_ r: inout ByteReader, type: GGUFValueType, field: @autoclosure () -> String, depth: Int) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try r.read(UInt8.self, field()))
        case .int8: return .int8(try r.read(Int8.self, field()))
        case .uint16: return .uint16(try r.read(UInt16.self, field()))
        case .int16: return .int16(try r.read(Int16.self, field()))
        case .uint32: return .uint32(try r.read(UInt32.self, field()))
        case .int32: return .int32(try r.read(Int32.self, field()))
        case .uint64: return .uint64(try r.read(UInt64.self, field()))
        case .int64: return .int64(try r.read(Int64.self, field()))
        case .float32: return .float32(try r.readFloat(field()))
        case .float64: return .float64(try r.readDouble(field()))
        case .bool:
            let b = try r.read(UInt8.self, field())
            guard b <= 1 else { throw FormatError(file: r.file, field: field(), found: "bool byte \(b)", expected: "0 or 1") }
            return .bool(b == 1)
        case .string: return .string(try r.readString(field()))
        case .array:
            guard depth < maxArrayDepth else {
                throw FormatError(file: r.file, field: field(), found: "arrays nested deeper than \(maxArrayDepth)",
                                  expected: "at most \(maxArrayDepth) levels")
            }
            let rawType = try r.read(UInt32.self, "\(field()) array type")
            guard let elementType = GGUFValueType(rawValue: rawType) else {
                throw FormatError(file: r.file, field: "\(field()) array type", found: "\(rawType)",
                                  expected: "a GGUF value type 0...12")
            }
            let count = try r.readCount("\(field()) array count", minBytesEach: elementType.minimumSize)
            var values: [GGUFValue] = []
            values.reserveCapacity(count)
            for i in 0..<count {
                values.append(try readValue(&r, type: elementType, field: "\(field())[\(i)]", depth: depth + 1))
            }
            return .array(elementType: elementType, values)
        }
    }

    static func hexBytes(_ v: UInt32) -> String {
        withUnsafeBytes(of: v.littleEndian) { $0.map { String($0, radix: 16) }.joined(separator: " ") }
    }
}
