/// BPE merges by rank over a sequence of token ids, as Hugging Face tokenizers' `Word::merge_all`
/// runs them: the adjacent pair with the lowest-ranked merge is merged first (the leftmost among
/// equal ranks), again and again until no adjacent pair has a merge. Shared by byte-level BPE and
/// BPE with byte fallback, which differ only in how a word becomes its first ids.
struct RankedMerges: Sendable {
    /// Which rank a pair listed twice keeps.
    enum Duplicates {
        /// The first (llama.cpp's `bpe_ranks.emplace`).
        case firstWins
        /// The last (HF tokenizers collects the merges into a hash map).
        case lastWins
    }

    /// (left id << 32 | right id) → (rank << 32 | merged id).
    private let table: [UInt64: UInt64]

    /// - Parameters:
    ///   - pairs: `(left, right)` tokens, highest priority (rank 0) first.
    ///   - idOf: the id of a token given by its UTF-8 bytes.
    ///   - source, field: named in the error for a pair whose tokens or merged token are no tokens.
    init(_ pairs: [(String, String)], idOf: ([UInt8]) -> Int32?, duplicates: Duplicates,
         source: String, field: String) throws {
        var table: [UInt64: UInt64] = [:]
        table.reserveCapacity(pairs.count)
        for (rank, (l, r)) in pairs.enumerated() {
            let lb = Array(l.utf8), rb = Array(r.utf8)
            guard let li = idOf(lb), let ri = idOf(rb), let mi = idOf(lb + rb) else {
                throw FormatError(file: source, field: "\(field)[\(rank)]", found: "\"\(l) \(r)\"",
                                  expected: "a merge of two tokens of the vocabulary into a token of the vocabulary")
            }
            let key = UInt64(UInt32(li)) << 32 | UInt64(UInt32(ri))
            if duplicates == .lastWins || table[key] == nil { table[key] = UInt64(rank) << 32 | UInt64(UInt32(mi)) }
        }
        self.table = table
    }

    /// The packed (rank << 32 | merged id) of the pair, if it merges.
    @inline(__always)
    private func merge(_ l: Int32, _ r: Int32) -> UInt64? {
        table[UInt64(UInt32(l)) << 32 | UInt64(UInt32(r))]
    }

    /// `ids` merged, with a heap of candidate pairs over a linked list of symbols: O(n log n).
    func apply(_ input: [Int32]) -> [Int32] {
        var ids = input
        let n = ids.count
        if n < 2 { return ids }
        if n == 2 {
            if let m = merge(ids[0], ids[1]) { return [Int32(truncatingIfNeeded: m)] }
            return ids
        }
        var next = [Int32](unsafeUninitializedCapacity: n) { b, c in
            for i in 0..<n { b[i] = Int32(i + 1) }; b[n - 1] = -1; c = n
        }
        var prev = [Int32](unsafeUninitializedCapacity: n) { b, c in
            for i in 0..<n { b[i] = Int32(i - 1) }; c = n
        }
        var alive = [Bool](repeating: true, count: n)
        var heap = MinHeap<UInt64>()  // packed (rank << 32 | position) keys
        for i in 0..<(n - 1) {
            if let m = merge(ids[i], ids[i + 1]) { heap.push((m >> 32) << 32 | UInt64(i)) }
        }
        while let top = heap.pop() {
            let rank = top >> 32
            let pos = Int(top & 0xFFFF_FFFF)
            guard alive[pos] else { continue }
            let r = Int(next[pos])
            guard r >= 0, let m = merge(ids[pos], ids[r]), m >> 32 == rank else { continue }
            ids[pos] = Int32(truncatingIfNeeded: m)
            alive[r] = false
            let rn = next[r]
            next[pos] = rn
            if rn >= 0 { prev[Int(rn)] = Int32(pos) }
            let p = prev[pos]
            if p >= 0, let m2 = merge(ids[Int(p)], ids[pos]) { heap.push((m2 >> 32) << 32 | UInt64(p)) }
            if rn >= 0, let m3 = merge(ids[pos], ids[Int(rn)]) { heap.push((m3 >> 32) << 32 | UInt64(pos)) }
        }
        var out: [Int32] = []
        var i = 0
        while i >= 0 { out.append(ids[i]); i = Int(next[i]) }
        return out
    }
}
