extension SentencePieceTokenizer {
    /// llama.cpp `llm_tokenizer_spm_session::tokenize` on one escaped piece of text: one symbol per
    /// UTF-8 character; the adjacent pair whose concatenation is the highest-scored token (the
    /// leftmost among equal scores) is merged, over and over, with a heap of candidate pairs on a
    /// linked list of symbols (O(n log n)); each final symbol is its token, or else its bytes.
    func mergeCharacters(of text: [UInt8], into out: inout [Int32]) {
        guard !text.isEmpty else { return }
        text.withUnsafeBufferPointer { buf in
            var run = SentencePieceMergeRun(text: buf, vocabulary: vocabulary, scoreKeys: scoreKeys)
            run.mergeAll()
            run.emit(byteTokens: byteTokens, into: &out)
        }
    }
}

/// One candidate merge: `key` is (score key << 32 | left symbol), so the heap pops the highest
/// score first and, among equal scores, the leftmost pair, as llama.cpp's `llm_bigram_spm` orders.
private struct SentencePieceBigram: Comparable {
    let key: UInt64
    let right: Int32
    /// Bytes of left + right when pushed: a pair whose symbols changed since is stale.
    let size: Int32
    /// The trie node of the merged text.
    let node: Int32

    var left: Int { Int(key & 0xFFFF_FFFF) }

    static func < (a: Self, b: Self) -> Bool { a.key < b.key }
    static func == (a: Self, b: Self) -> Bool { a.key == b.key }
}

/// The symbols of one text and the heap of pairs that could merge.
private struct SentencePieceMergeRun {
    let text: UnsafeBufferPointer<UInt8>
    let vocabulary: ByteTrie
    let scoreKeys: [UInt32]
    var start: [Int32] = []
    /// Bytes in the symbol; 0 once merged into its left neighbour.
    var length: [Int32] = []
    var prev: [Int32] = []
    var next: [Int32] = []
    /// The trie node of the symbol's text, -1 when no token starts with it.
    var node: [Int32] = []
    var heap: MinHeap<SentencePieceBigram>

    init(text: UnsafeBufferPointer<UInt8>, vocabulary: ByteTrie, scoreKeys: [UInt32]) {
        self.text = text
        self.vocabulary = vocabulary
        self.scoreKeys = scoreKeys
        heap = MinHeap(reservingCapacity: text.count)
        var offset = 0
        while offset < text.count {
            let n = min(Self.utf8Length(text[offset]), text.count - offset)
            start.append(Int32(offset))
            length.append(Int32(n))
            node.append(vocabulary.walk(from: 0, text, offset..<(offset + n)) ?? -1)
            offset += n
        }
        let count = start.count
        prev = (0..<count).map { Int32($0 - 1) }
        next = (0..<count).map { $0 + 1 < count ? Int32($0 + 1) : -1 }
    }

    /// llama.cpp `unicode_len_utf8`: the length a lead byte announces (1 for a stray continuation byte).
    static func utf8Length(_ b: UInt8) -> Int {
        switch b >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }

    mutating func mergeAll() {
        for i in 1..<max(start.count, 1) { tryPair(Int32(i - 1), Int32(i)) }
        while let pair = heap.pop() {
            let l = pair.left, r = Int(pair.right)
            guard length[l] > 0, length[r] > 0, length[l] + length[r] == pair.size else { continue }
            length[l] += length[r]
            length[r] = 0
            node[l] = pair.node
            next[l] = next[r]
            if next[r] >= 0 { prev[Int(next[r])] = Int32(l) }
            tryPair(prev[l], Int32(l))
            tryPair(Int32(l), next[l])
        }
    }

    /// Queues left + right when their concatenation is a token (llama.cpp `try_add_bigram`).
    mutating func tryPair(_ left: Int32, _ right: Int32) {
        guard left >= 0, right >= 0 else { return }
        let l = Int(left), r = Int(right)
        guard node[l] >= 0 else { return }
        let rs = Int(start[r])
        guard let merged = vocabulary.walk(from: node[l], text, rs..<(rs + Int(length[r]))) else { return }
        let token = vocabulary.values[Int(merged)]
        guard token >= 0 else { return }
        heap.push(SentencePieceBigram(key: UInt64(scoreKeys[Int(token)]) << 32 | UInt64(l), right: right,
                                      size: length[l] + length[r], node: merged))
    }

    /// Each final symbol as its token, or its bytes as byte tokens (llama.cpp `resegment`).
    func emit(byteTokens: [Int32], into out: inout [Int32]) {
        var i = 0
        while i >= 0 {
            let token = node[i] >= 0 ? vocabulary.values[Int(node[i])] : -1
            if token >= 0 {
                out.append(token)
            } else {
                let s = Int(start[i])
                for k in s..<(s + Int(length[i])) { out.append(byteTokens[Int(text[k])]) }
            }
            i = Int(next[i])
        }
    }
}
