import Foundation

/// Plain floating-point storage: F32 (copy), F16 (IEEE half), BF16 (upper half of a float32), F64.
extension Dequantize {
    public static let f32: Kernel = { src, dst, n in
        memcpy(dst, src, n * 4)
    }

    public static let f16: Kernel = { src, dst, n in
        halfTable.withUnsafeBufferPointer { table in
            for i in 0..<n {
                dst[i] = table[Int(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))]
            }
        }
    }

    public static let bf16: Kernel = { src, dst, n in
        for i in 0..<n {
            let bits = UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            dst[i] = Float(bitPattern: UInt32(bits) << 16)
        }
    }

    public static let f64: Kernel = { src, dst, n in
        for i in 0..<n {
            dst[i] = Float(Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
        }
    }
}
