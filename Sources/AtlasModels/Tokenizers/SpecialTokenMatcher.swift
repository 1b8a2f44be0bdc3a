/// Finds special (control / added) tokens whole in text, leftmost-longest,
/// so that they are never pre-tokenized or merged.
struct SpecialTokenMatcher: Sendable {
    /// A piece of input: ordinary text to tokenize, or one special token's id.
    enum Piece: Equatable {
        case text(Range<Int>)
        case special(Int32)
    }

    /// Candidates by first scalar value, longest first.
    private var byFirst: [UInt32: [(scalars: [Unicode.Scalar], id: Int32)]] = [:]

    var isEmpty: Bool { byFirst.isEmpty }

    init(_ tokens: [(text: String, id: Int32)]) {
        for (text, id) in tokens {
            let scalars = Array(text.unicodeScalars)
            guard let first = scalars.first else { continue }
            byFirst[first.value, default: []].append((scalars, id))
        }
        for key in byFirst.keys { byFirst[key]!.sort { $0.scalars.count > $1.scalars.count } }
    }

    /// `scalars` cut into ordinary text and special tokens.
    func split(_ scalars: [Unicode.Scalar]) -> [Piece] {
        guard !isEmpty else { return scalars.isEmpty ? [] : [.text(0..<scalars.count)] }
        var pieces: [Piece] = []
        var textStart = 0
        var i = 0
        let n = scalars.count
        outer: while i < n {
            if let candidates = byFirst[scalars[i].value] {
                for cand in candidates where i + cand.scalars.count <= n {
                    var k = 1
                    while k < cand.scalars.count && scalars[i + k] == cand.scalars[k] { k += 1 }
                    if k == cand.scalars.count {
                        if textStart < i { pieces.append(.text(textStart..<i)) }
                        pieces.append(.special(cand.id))
                        i += k
                        textStart = i
                        continue outer
                    }
                }
            }
            i += 1
        }
        if textStart < n { pieces.append(.text(textStart..<n)) }
        return pieces
    }
}
