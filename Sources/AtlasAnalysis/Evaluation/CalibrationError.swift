/// Why calibration text or windows could not be made; each case names the file.
public enum CalibrationError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    /// The first byte of an invalid UTF-8 sequence is at `offset` (0-based).
    case invalidUTF8(file: String, offset: Int)
    /// The file is empty or holds only whitespace (or tokenized to no token).
    case emptyText(file: String)
    /// `tokens` text tokens give no complete window of `windowSize` (with BOS: `needed` = T − 1).
    case tooFewTokens(file: String, tokens: Int, needed: Int, windowSize: Int)
    case invalidWindowSize(file: String, windowSize: Int)
    case invalidCount(file: String, count: Int)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the calibration text: \(reason)"
        case let .invalidUTF8(file, offset):
            return "\(file): invalid UTF-8 at byte offset \(offset)"
        case let .emptyText(file):
            return "\(file): the calibration text is empty (expected some non-whitespace text)"
        case let .tooFewTokens(file, tokens, needed, windowSize):
            return "\(file): tokenizes to \(tokens) tokens, fewer than one window of \(windowSize) "
                + "(needs at least \(needed) text tokens)"
        case let .invalidWindowSize(file, size):
            return "\(file): window size \(size) is invalid (expected at least 2 tokens)"
        case let .invalidCount(file, count):
            return "\(file): window count \(count) is invalid (expected at least 1, or all windows)"
        }
    }
}
