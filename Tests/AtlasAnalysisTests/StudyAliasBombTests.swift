import AtlasAnalysis
import Foundation
import Testing

/// Aliases that expand to millions of nodes, and nesting deep enough to exhaust recursion, are
/// refused from the event stream before the node tree is built (`YAMLExpansionBound`): the
/// fuzzer's study-yaml target hung for minutes on such a file (Yams hashes every expanded key).
@Suite struct StudyAliasBombTests {
    /// Nine levels of nine aliases each: 9^9 scalars once expanded.
    static let bomb: String = {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for i in 1...8 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]") }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func aliasBombIsRefusedWithItsLine() throws {
        let e = try #require(try StudyFixture().error(Self.bomb + "models: *a8\n"))
        #expect(e.key == "(document)")
        #expect(e.found.contains("once its aliases are expanded"))
        // The fifth level is the first past 100,000 nodes (9 + 81 + … + 9^6 > 10^5).
        #expect(e.line == 6)
    }

    @Test func aliasBombAsAMappingKeyIsRefused() throws {
        // The shape the fuzzer found: the expanded list is a key, so the composer hashes it.
        let e = try #require(try StudyFixture().error(Self.bomb + "? *a8\n: 1\nmodels: []\n"))
        #expect(e.found.contains("once its aliases are expanded"))
    }

    @Test func theFuzzersHangIsAnErrorNow() throws {
        let input = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/Corpus/study-yaml/regression-alias-bomb-key.yaml").standardized
        let yaml = String(decoding: try Data(contentsOf: input), as: UTF8.self)
        let e = try #require(try StudyFixture().error(yaml))
        #expect(e.found.contains("once its aliases are expanded") || e.found.hasPrefix("invalid YAML"))
    }

    @Test func deepNestingIsRefused() throws {
        func nested(_ depth: Int) -> String {
            "models: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        }
        let e = try #require(try StudyFixture().error(nested(500)))
        #expect(e.found.contains("nested more than 64 deep"))
        #expect(e.line == 1)
        // Past libyaml's own limit (1,000 levels) the parser refuses first, with the line.
        let deeper = try #require(try StudyFixture().error(nested(10_000)))
        #expect(deeper.found.hasPrefix("invalid YAML (Maximum nesting level") && deeper.line == 1)
    }

    @Test func ordinaryAliasesStillWork() throws {
        let f = try StudyFixture(yaml: """
        models:
          - {label: A, path: a.gguf}
        datasets:
          - &short {name: short, file: text.txt, window_size: 16, windows: 2}
        schemes: &schemes [W8A8, W4A16-g128]
        mitigations: []
        """)
        let s = try f.load()
        #expect(s.schemes == ["W8A8", "W4A16-g128"])
        #expect(s.datasets.map(\.windowSize) == [16])
    }
}
