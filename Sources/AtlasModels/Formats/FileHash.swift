import CCrypto
import Foundation

/// Content hashes of files (the provenance and cache keys of results), via the system libcrypto.
public enum FileHash {
    /// SHA-256 of the file at `url` as lowercase hex, streamed over a memory map in 1 MiB chunks.
    public static func sha256(url: URL) throws -> String {
        let map = try MappedFile(url: url)
        return try withExtendedLifetime(map) { try digest(map.bytes, file: url.path) }
    }

    /// SHA-256 of `data` as lowercase hex (cache keys of canonical JSON).
    public static func sha256(data: Data) -> String {
        // EVP only fails when libcrypto is unusable, which `sha256(url:)` reports as an error.
        data.withUnsafeBytes { (try? digest($0, file: "<data>")) ?? "" }
    }

    private static func digest(_ bytes: UnsafeRawBufferPointer, file: String) throws -> String {
        guard let ctx = EVP_MD_CTX_new() else {
            throw FormatError(file: file, field: "sha256", found: "EVP_MD_CTX_new failed", expected: "a digest context")
        }
        defer { EVP_MD_CTX_free(ctx) }
        func check(_ rc: Int32, _ step: String) throws {
            guard rc == 1 else { throw FormatError(file: file, field: "sha256", found: "\(step) failed", expected: "success") }
        }
        try check(EVP_DigestInit_ex(ctx, EVP_sha256(), nil), "EVP_DigestInit_ex")
        let chunk = 1 << 20
        var offset = 0
        while offset < bytes.count {
            let n = min(chunk, bytes.count - offset)
            try check(EVP_DigestUpdate(ctx, bytes.baseAddress! + offset, n), "EVP_DigestUpdate")
            offset += n
        }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        try check(EVP_DigestFinal_ex(ctx, &digest, &length), "EVP_DigestFinal_ex")
        return digest.prefix(Int(length)).map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}
