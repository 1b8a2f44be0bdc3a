/// A block count declared in metadata (`num_hidden_layers`, `n_layer`, `<arch>.block_count`)
/// checked against the blocks of tensors the file holds, before anything is allocated or looped
/// over by it: the blocks present must be exactly `0..<declared`. A count of 10^9 would otherwise
/// reserve room for 10^9 blocks before the first missing tensor is noticed, and a count smaller
/// than the tensors present would silently drop blocks.
enum DeclaredBlocks {
    /// The distinct block indices `i` of tensor names starting `<prefix><i>.`, sorted.
    static func present(in names: [String], prefix: String) -> [Int] {
        var indices = Set<Int>()
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), rest[..<dot].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let i = Int(rest[..<dot]) else { continue }
            indices.insert(i)
        }
        return indices.sorted()
    }

    /// Throws a `FormatError` on `field` of `file` unless the tensors named `<prefix><i>.…` cover
    /// exactly the blocks `0..<declared`, and there is at least one.
    static func check(_ declared: Int, field: String, file: String, tensorNames names: [String], prefix: String) throws {
        let present = present(in: names, prefix: prefix)
        guard declared >= 1 || !present.isEmpty else {
            throw FormatError(file: file, field: field, found: "\(declared)", expected: "at least 1 block")
        }
        guard present == Array(0..<present.count) else {
            let shown = present.prefix(8).map(String.init).joined(separator: ", ") + (present.count > 8 ? ", …" : "")
            throw FormatError(file: file, field: field, found: "\(declared), with tensors for blocks \(shown)",
                              expected: "tensors \(prefix)0… for every block from 0 without a gap")
        }
        guard declared == present.count else {
            let held = present.isEmpty ? "none" : "\(prefix)0 … \(prefix)\(present.count - 1)"
            throw FormatError(file: file, field: field, found: "\(declared)",
                              expected: "\(present.count), the blocks of tensors present (\(held))")
        }
    }
}
