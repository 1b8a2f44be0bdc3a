import AtlasResults
import Foundation
import Testing

/// Text quoted from input is escaped to one harmless line, and a DecodingError reads as a field
/// path and what was expected, with no Swift internals.
@Suite struct MessageTextTests {
    @Test func controlCharactersBecomeVisibleEscapes() {
        #expect(MessageText.escaped("a\nb\rc\td\0e\u{1B}[2Jf\u{7F}g\u{85}h\u{2028}i\u{202E}j")
            == #"a\nb\rc\td\0e\u{1B}[2Jf\u{7F}g\u{85}h\u{2028}i\u{202E}j"#)
        #expect(MessageText.escaped("plain é ✓ \\n stays") == "plain é ✓ \\n stays")
        let once = MessageText.escaped("x\n\u{1B}")
        #expect(MessageText.escaped(once) == once)
    }

    @Test func errorDescriptionsAreOneLine() {
        let error = ResultsError(file: "r\n.json", detail: "label \u{1B}]0;pwned\u{7}")
        #expect(error.description == #"r\n.json: label \u{1B}]0;pwned\u{7}"#)
    }

    struct Sample: Decodable { var taps: [Tap] }
    struct Tap: Decodable { var block: Int; var name: String }

    @Test(arguments: [
        (#"{"taps": [{"block": 1, "name": "a"}, {"name": "b"}]}"#, "taps[1].block: missing, expected a value"),
        (#"{"taps": [{"block": "one", "name": "a"}]}"#, "taps[0].block: found another kind of value, expected an integer"),
        (#"{"taps": [{"block": null, "name": "a"}]}"#, "taps[0].block: found null, expected an integer"),
        (#"{"taps": {"block": 1}}"#, "taps: found another kind of value, expected an array"),
        (#"{"taps": [{"block": 1e30, "name": "a"}]}"#, "found a number that does not fit its field (a fraction or an out-of-range value where an integer belongs)"),
        (#"{"taps": [{"block": 1.5, "name": "a"}]}"#, "found a number that does not fit its field (a fraction or an out-of-range value where an integer belongs)"),
        (#"{"taps": ["#, "not valid JSON"),
    ])
    func decodingErrorsNameThePathAndTheExpectation(json: String, message: String) {
        do {
            _ = try ResultsJSON.decode(Sample.self, from: Data(json.utf8), file: "s.json", what: "a sample")
            Issue.record("decoded \(json)")
        } catch {
            #expect("\(error)" == "s.json: not a sample: " + message)
            #expect(!"\(error)".contains("DecodingError") && !"\(error)".contains("Debug"))
        }
    }
}
