import AtlasAnalysis
import AtlasTestSupport
import Foundation
import Testing

@Suite struct CalibrationWindowTests {
    let ten = (0..<10).map(Int32.init)

    @Test func plainWindowsDropTheTail() throws {
        let w = try CalibrationWindows.make(tokens: ten, windowSize: 4, count: nil, bos: nil)
        #expect(w == [[0, 1, 2, 3], [4, 5, 6, 7]])
        #expect(try CalibrationWindows.make(tokens: ten, windowSize: 4, count: 1, bos: nil) == [[0, 1, 2, 3]])
        #expect(try CalibrationWindows.make(tokens: ten, windowSize: 4, count: 9, bos: nil).count == 2)
        #expect(try CalibrationWindows.make(tokens: ten, windowSize: 5, count: nil, bos: nil).count == 2)
    }

    @Test func bosOverwritesTheFirstTokenOfEachChunkLikeLlamaCpp() throws {
        // Stream [BOS, 0, 1, ..., 9] cut at multiples of 4, first token of each chunk set to BOS:
        // token 3 (stream index 4) is overwritten, 7, 8, 9 are the tail.
        let w = try CalibrationWindows.make(tokens: ten, windowSize: 4, count: nil, bos: 99)
        #expect(w == [[99, 0, 1, 2], [99, 4, 5, 6]])
        let eleven = (0..<11).map(Int32.init)
        #expect(try CalibrationWindows.make(tokens: eleven, windowSize: 4, count: nil, bos: 99)
                == [[99, 0, 1, 2], [99, 4, 5, 6], [99, 8, 9, 10]])
        // T − 1 text tokens suffice for one window with BOS.
        #expect(try CalibrationWindows.make(tokens: [5, 6, 7], windowSize: 4, count: nil, bos: 1) == [[1, 5, 6, 7]])
        for window in w { #expect(window.count == 4) }
    }

    @Test func errorsNameTheFile() {
        #expect(throws: CalibrationError.tooFewTokens(file: "wiki.raw", tokens: 3, needed: 4, windowSize: 4)) {
            try CalibrationWindows.make(tokens: [1, 2, 3], windowSize: 4, count: nil, bos: nil, file: "wiki.raw")
        }
        #expect(throws: CalibrationError.emptyText(file: "e.txt")) {
            try CalibrationWindows.make(tokens: [], windowSize: 4, count: nil, bos: 1, file: "e.txt")
        }
        #expect(throws: CalibrationError.invalidWindowSize(file: "f", windowSize: 1)) {
            try CalibrationWindows.make(tokens: ten, windowSize: 1, count: nil, bos: nil, file: "f")
        }
        #expect(throws: CalibrationError.invalidCount(file: "f", count: 0)) {
            try CalibrationWindows.make(tokens: ten, windowSize: 2, count: 0, bos: nil, file: "f")
        }
        let e = CalibrationError.tooFewTokens(file: "wiki.raw", tokens: 3, needed: 4, windowSize: 4)
        #expect(e.description.contains("wiki.raw") && e.description.contains("3 tokens"))
    }
}

@Suite struct CalibrationTextTests {
    @Test func joinedModeMimicsHuggingFaceRowsJoinedWithBlankLines() throws {
        let text = " \n = A = \n \n\tx y\n\t \u{a0}\nlast"
        let expected = "" + "\n\n" + " = A = \n" + "\n\n" + "" + "\n\n" + "\tx y\n" + "\n\n" + "" + "\n\n" + "last"
        #expect(CalibrationText.joined(text) == expected)
        #expect(try CalibrationText.prepare(Array(text.utf8), mode: .joined, file: "t") == expected)
        // A file ending in "\n" has no empty last row.
        #expect(CalibrationText.joined("a\nb\n") == "a\n\n\nb\n")
        #expect(CalibrationText.joined("a\n\n") == "a\n\n\n")
    }

    @Test func rawModeIsByteIdentical() throws {
        let bytes = Array(" \r\n\u{feff}é 🤖\n\n".utf8)
        #expect(Array(try CalibrationText.prepare(bytes, mode: .raw, file: "r").utf8) == bytes)
    }

    @Test func invalidUTF8NamesFileAndOffset() throws {
        #expect(CalibrationText.firstInvalidUTF8([0x41, 0x42, 0xC3, 0x28]) == 2)
        #expect(CalibrationText.firstInvalidUTF8([0xC0, 0x80]) == 0)           // overlong
        #expect(CalibrationText.firstInvalidUTF8([0x41, 0xED, 0xA0, 0x80]) == 1) // surrogate
        #expect(CalibrationText.firstInvalidUTF8([0x41, 0xF0, 0x9F, 0xA4]) == 1) // truncated
        #expect(CalibrationText.firstInvalidUTF8([0xF4, 0x90, 0x80, 0x80]) == 0) // > U+10FFFF
        #expect(CalibrationText.firstInvalidUTF8(Array("é🤖".utf8)) == nil)
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("bad.txt")
        try Data([0x68, 0x69, 0xFF, 0x21]).write(to: url)
        #expect(throws: CalibrationError.invalidUTF8(file: url.path, offset: 2)) {
            try CalibrationText.load(url, mode: .raw)
        }
        #expect(CalibrationError.invalidUTF8(file: url.path, offset: 2).description.contains("bad.txt"))
        let empty = dir.appendingPathComponent("empty.txt")
        try Data(" \n\n".utf8).write(to: empty)
        #expect(throws: CalibrationError.emptyText(file: empty.path)) { try CalibrationText.load(empty, mode: .joined) }
        #expect(throws: (any Error).self) { try CalibrationText.load(dir.appendingPathComponent("missing"), mode: .raw) }
    }

    static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// Reference values from Python: rows = [r if r.strip() else "" for r in open(f)], "\n\n".join(rows).
    @Test func wikiTextTestSplitMatchesThePythonReading() throws {
        let url = Fixtures.wikiTextTest
        let raw = try CalibrationText.load(url, mode: .raw)
        #expect(raw.utf8.count == 1_290_590)
        #expect(Self.fnv1a(raw.utf8) == 0x7619_faf3_7bb0_e80d)
        #expect(Self.fnv1a(try Data(contentsOf: url)) == 0x7619_faf3_7bb0_e80d)
        let joined = try CalibrationText.load(url, mode: .joined)
        #expect(joined.utf8.count == 1_296_370)
        #expect(joined.hasPrefix("\n\n = Robert Boulter = \n\n\n\n\n Robert Boulter is an English film"))
        #expect(joined.hasSuffix("Eddie Pelkey . \n\n\n"))
        #expect(Self.fnv1a(joined.utf8) == 0x8521_b84b_6856_8ffb)
    }
}
