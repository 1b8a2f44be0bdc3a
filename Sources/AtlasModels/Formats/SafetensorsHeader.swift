import Foundation

/// Parses and validates a safetensors header: `u64 N`, N bytes of JSON, then the data section.
enum SafetensorsHeader {
    /// The safetensors reference implementation's limit (MAX_HEADER_SIZE).
    static let maxHeaderLength = 100_000_000

    static func parse(_ bytes: UnsafeRawBufferPointer, file: String)
        throws -> (tensors: [String: SafetensorsTensorInfo], metadata: [String: String]) {
        func fail(_ field: String, _ found: String, _ expected: String) -> FormatError {
            FormatError(file: file, field: field, found: found, expected: expected)
        }
        guard bytes.count >= 8 else {
            throw fail("header length", "a file of \(bytes.count) bytes", "at least 8 bytes (u64 header length)")
        }
        let n = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard n <= UInt64(maxHeaderLength) else {
            throw fail("header length", "\(n)", "at most \(maxHeaderLength) bytes")
        }
        let headerLength = Int(n)
        guard headerLength <= bytes.count - 8 else {
            throw fail("header length", "\(n) (past the end of the \(bytes.count)-byte file)",
                       "at most \(bytes.count - 8)")
        }
        let dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart

        let json = Data(UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart]))
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw fail("header JSON", "malformed JSON (\(error.localizedDescription))", "a JSON object")
        }
        guard let root = object as? [String: Any] else {
            throw fail("header JSON", "\(type(of: object))", "a JSON object")
        }

        var metadata: [String: String] = [:]
        var tensors: [String: SafetensorsTensorInfo] = [:]
        for (name, value) in root {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw fail("__metadata__", "\(type(of: value))", "an object of strings") }
                for (k, v) in m {
                    guard let s = v as? String else { throw fail("__metadata__.\(k)", "\(v)", "a string") }
                    metadata[k] = s
                }
                continue
            }
            let field = "tensor '\(name)'"
            guard let entry = value as? [String: Any] else { throw fail(field, "\(type(of: value))", "an object") }
            guard let dtypeName = entry["dtype"] as? String else {
                throw fail("\(field) dtype", "\(entry["dtype"] ?? "nothing")", "a dtype string")
            }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw fail("\(field) dtype", "'\(dtypeName)'",
                           "one of \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let shapeAny = entry["shape"] as? [Any], let shape = integers(shapeAny), shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("\(field) shape", "\(entry["shape"] ?? "nothing")", "an array of non-negative integers")
            }
            guard let offAny = entry["data_offsets"] as? [Any], let offsets = integers(offAny), offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw fail("\(field) data_offsets", "\(entry["data_offsets"] ?? "nothing")", "[begin, end] with 0 <= begin <= end")
            }
            // The product of the non-zero dims must fit (it bounds rows × cols of any flattening).
            var nonZeroProduct = 1
            for d in shape {
                let (p, o) = nonZeroProduct.multipliedReportingOverflow(by: max(d, 1))
                guard !o else { throw fail("\(field) shape", "\(shape) (element count overflows)", "a size that fits in 64 bits") }
                nonZeroProduct = p
            }
            let count = shape.contains(0) ? 0 : nonZeroProduct
            let (byteCount, o) = count.multipliedReportingOverflow(by: dtype.size)
            guard !o, byteCount == offsets[1] - offsets[0] else {
                throw fail("\(field) shape", "\(shape) of \(dtype.rawValue) = \(o ? "overflow" : "\(byteCount)") bytes",
                           "\(offsets[1] - offsets[0]) bytes (data_offsets \(offsets))")
            }
            guard offsets[1] <= dataSize else {
                throw fail("\(field) data_offsets", "\(offsets) (past the end)", "inside the \(dataSize)-byte data section")
            }
            tensors[name] = SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape,
                                                  byteRange: (dataStart + offsets[0])..<(dataStart + offsets[1]))
        }

        if let overlap = TensorOverlap.first(tensors.values.map { ($0.name, $0.byteRange) }) {
            throw fail("tensor '\(overlap.later)' data_offsets", "bytes overlapping tensor '\(overlap.earlier)'", "disjoint byte ranges")
        }
        return (tensors, metadata)
    }

    /// JSON numbers that are exact integers, or nil (NSNumber → Int bridging is exact-only).
    static func integers(_ values: [Any]) -> [Int]? {
        var out: [Int] = []
        out.reserveCapacity(values.count)
        for v in values {
            guard let i = v as? Int else { return nil }
            out.append(i)
        }
        return out
    }
}
