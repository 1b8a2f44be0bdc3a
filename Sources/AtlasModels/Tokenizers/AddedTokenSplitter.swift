/// HF `AddedVocabulary::find_matches`: added tokens found leftmost-longest (`SpecialTokenMatcher`),
/// then the whitespace before an `lstrip` token and after an `rstrip` token taken into the token
/// (so it is not encoded).
struct AddedTokenSplitter: Sendable {
    private let matcher: SpecialTokenMatcher
    private let lstrip: Set<Int32>
    private let rstrip: Set<Int32>

    init(_ tokens: [(text: String, id: Int32, lstrip: Bool, rstrip: Bool)]) {
        matcher = SpecialTokenMatcher(tokens.map { (text: $0.text, id: $0.id) })
        lstrip = Set(tokens.filter(\.lstrip).map(\.id))
        rstrip = Set(tokens.filter(\.rstrip).map(\.id))
    }

    func split(_ scalars: [Unicode.Scalar]) -> [SpecialTokenMatcher.Piece] {
        let pieces = matcher.split(scalars)
        if lstrip.isEmpty && rstrip.isEmpty { return pieces }
        var out: [SpecialTokenMatcher.Piece] = []
        out.reserveCapacity(pieces.count)
        var stripNext = false
        for piece in pieces {
            switch piece {
            case .special(let id):
                if lstrip.contains(id), case .text(let r)? = out.last {
                    var end = r.upperBound
                    while end > r.lowerBound && scalars[end - 1].properties.isWhitespace { end -= 1 }
                    out.removeLast()
                    if end > r.lowerBound { out.append(.text(r.lowerBound..<end)) }
                }
                out.append(piece)
                stripNext = rstrip.contains(id)
            case .text(let r):
                var start = r.lowerBound
                if stripNext {
                    while start < r.upperBound && scalars[start].properties.isWhitespace { start += 1 }
                }
                if start < r.upperBound { out.append(.text(start..<r.upperBound)) }
                stripNext = false
            }
        }
        return out
    }
}
