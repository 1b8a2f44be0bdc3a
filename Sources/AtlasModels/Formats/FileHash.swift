import CCrypto
import Foundation

/// Content hashes of files (the provenance and cache keys of results), via the system libcrypto.
public enum FileHash {
    /// SHA-256 of the file at `url` as lowercase hex, streamed over a memory map in 1 MiB chunks.
    public static func sha256(url: URL) throws -> String {
        let map = try MappedFile(url: url)
        return try sha256(map.bytes, count: map.count, file: url.path)
    }

    /// SHA-256 of `data` as lowercase hex (cache keys of canonical JSON).
    public static func sha256(data: Data) -> String {
        // EVP only fails when libcrypto is unusable, which `sha256(url:)` reports as an error.
        data.withUnsafeBytes { (try? sha256($0, count: $0.count, file: "<data>")) ?? "" }
    }

    /// SHA-256 of `bytes` as lowercase hex (`file` names the source in errors).
    public static func sha256(bytes: [UInt8], file: String = "<bytes>") throws -> String {
        try bytes.withUnsafeBytes { try sha256($0, count: $0.count, file: file) }
    }

    /// The identity of a model at `url`: a file's SHA-256, or for a Hugging Face folder the
    /// SHA-256 of its manifest `name sha256\n` over config.json, the tokenizer files and every
    /// safetensors file / index, sorted by name.
    public static func sha256(model url: URL) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return try sha256(url: url)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        let hashed = names.filter {
            $0.hasSuffix(".safetensors") || $0.hasSuffix(".safetensors.index.json")
                || ["config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt"].contains($0)
        }.sorted()
        var manifest = ""
        for name in hashed { manifest += "\(name) \(try sha256(url: url.appendingPathComponent(name)))\n" }
        return try sha256(bytes: Array(manifest.utf8), file: url.path)
    }

    private static func sha256(_ bytes: UnsafeRawBufferPointer, count: Int, file: String) throws -> String {
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
        while offset < count {
            let n = min(chunk, count - offset)
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
