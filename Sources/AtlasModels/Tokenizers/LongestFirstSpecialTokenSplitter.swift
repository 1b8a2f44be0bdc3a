/// Cuts special tokens out of text exactly as llama.cpp's `tokenizer_st_partition` does: token by
/// token, longest first (equal lengths by id), each leftmost non-overlapping occurrence that lies
/// wholly in text not yet cut becomes that token. This is not leftmost-longest matching
/// (`SpecialTokenMatcher`): with the tokens "ab" and "bcd", "abcd" gives "a" and <bcd>.
///
/// Works on UTF-8 bytes, as llama.cpp does; all occurrences are found in one trie pass and then
/// claimed in llama.cpp's order, so the cost is linear in the text, not in text × tokens.
struct LongestFirstSpecialTokenSplitter: Sendable {
    /// Values are ranks: indices into `ids` / `lengths`, in llama.cpp's processing order.
    private var trie = ByteTrie()
    private var ids: [Int32] = []
    private var lengths: [Int] = []
    private var startsSomeToken = [Bool](repeating: false, count: 256)

    init(_ tokens: [(bytes: [UInt8], id: Int32)]) {
        let ordered = tokens.filter { !$0.bytes.isEmpty }
            .sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
        for (rank, t) in ordered.enumerated() {
            trie.insert(t.bytes, value: Int32(rank))
            ids.append(t.id)
            lengths.append(t.bytes.count)
            startsSomeToken[Int(t.bytes[0])] = true
        }
    }

    /// `bytes` cut into ordinary text and special tokens, in order.
    func split(_ bytes: [UInt8]) -> [SpecialTokenMatcher.Piece] {
        let n = bytes.count
        if n == 0 { return [] }
        if ids.isEmpty { return [.text(0..<n)] }
        let occurrences = bytes.withUnsafeBufferPointer(allOccurrences).sorted()
        if occurrences.isEmpty { return [.text(0..<n)] }

        var claimed = [Bool](repeating: false, count: n)
        var rankAt = [Int32](repeating: -1, count: n)
        for o in occurrences {
            let rank = Int(o >> 32), start = Int(o & 0xFFFF_FFFF)
            let end = start + lengths[rank]
            guard !claimed[start..<end].contains(true) else { continue }
            for i in start..<end { claimed[i] = true }
            rankAt[start] = Int32(rank)
        }

        var pieces: [SpecialTokenMatcher.Piece] = []
        var textStart = 0, i = 0
        while i < n {
            let rank = rankAt[i]
            if rank < 0 { i += 1; continue }
            if textStart < i { pieces.append(.text(textStart..<i)) }
            pieces.append(.special(ids[Int(rank)]))
            i += lengths[Int(rank)]
            textStart = i
        }
        if textStart < n { pieces.append(.text(textStart..<n)) }
        return pieces
    }

    /// Every (rank << 32 | start) at which some special token occurs, overlapping ones included.
    private func allOccurrences(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt64] {
        var found: [UInt64] = []
        for start in 0..<bytes.count where startsSomeToken[Int(bytes[start])] {
            var node: Int32 = 0
            var i = start
            while i < bytes.count, let next = trie.child(of: node, byte: bytes[i]) {
                node = next
                i += 1
                let rank = trie.values[Int(node)]
                if rank >= 0 { found.append(UInt64(rank) << 32 | UInt64(start)) }
            }
        }
        return found
    }
}
