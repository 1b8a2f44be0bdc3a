import AtlasResults
@testable import AtlasSite
import Foundation
import Testing

@Suite struct CSVTests {
    @Test func quotesOnlyWhatRFC4180Requires() {
        let table = CSVTable(header: ["a", "b"], rows: [
            [.text("plain"), .text("with,comma")],
            [.text("say \"hi\""), .text("two\nlines")],
            [.text("cr\ronly"), .empty],
        ])
        let text = String(decoding: table.encoded(), as: UTF8.self)
        #expect(text == "a,b\r\nplain,\"with,comma\"\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n\"cr\ronly\",\r\n")
    }

    @Test func formulaTriggersInTextAreNeutralizedButNumbersAreNot() {
        let cells: [CSVTable.Cell] = [.text("=1+1"), .text("+x"), .text("-2"), .text("@SUM(A1)"), .text("\tx"),
                                      .text("ok=1"), .number(-3.5), .integer(-7), .text(" =x")]
        let fields = cells.map(CSVTable.text(of:))
        #expect(fields == ["'=1+1", "'+x", "'-2", "'@SUM(A1)", "'\tx", "ok=1", "-3.5", "-7", " =x"])
        #expect(CSVTable.text(of: .number(.nan)) == "nan" && CSVTable.text(of: .number(-.infinity)) == "-inf")
        #expect(CSVTable.text(of: .number(1200)) == "1200.0" && CSVTable.text(of: .number(1.5e-5)) == "1.5e-05")
    }

    /// Found by the CSV fuzz target (Fuzz/Corpus/csv/crash-db402a69c0e5a0e386a40e8c624eded3de54f463:
    /// `"` + U+0594): a quote, comma or formula trigger followed by a combining mark is one
    /// `Character` unequal to the bare one, so it was neither doubled, quoted nor neutralized.
    @Test func combiningMarksDoNotHideQuotesCommasOrFormulaTriggers() throws {
        let texts = ["\u{FFFD}\"\"\"\u{594}\"\"\"", "a,\u{301}b", "=\u{301}1+1", "@\u{308}SUM(A1)", "x\"\u{301}"]
        let table = CSVTable(header: ["t"], rows: texts.map { [.text($0)] })
        let records = try RFC4180.parse(table.encoded())
        #expect(records.dropFirst().map { $0 } == texts.map { [CSVTable.neutralized($0)] })
        #expect(CSVTable.neutralized("=\u{301}1+1") == "'=\u{301}1+1")
        #expect(CSVTable.neutralized("@\u{308}SUM(A1)").hasPrefix("'"))
    }

    @Test func hostileTokensRoundTripThroughAStrictParser() throws {
        let tokens = SampleResults.hostileTokens + ["a,b", "\"q\"", "line\r\nbreak", "=HYPERLINK(\"x\")", "-", "@"]
        let result = SampleResults.result(label: "t", layers: 10, tokens: tokens, massivePerLayer: 10)
        let massive = ModelPageBuilder.sortedMassive(result)
        let records = try RFC4180.parse(DataTables.csv(massive, columns: DataTables.massiveColumns))
        #expect(records.first == ["layer", "window", "position", "dim", "value", "token"])
        #expect(records.count == massive.count + 1)
        for (record, activation) in zip(records.dropFirst(), massive) {
            #expect(record.count == 6)
            #expect(record[5] == CSVTable.neutralized(activation.token))
            #expect(Double(record[4]) == activation.value)
        }
        #expect(records.dropFirst().contains { $0[5] == "'=HYPERLINK(\"x\")" })
    }
}

@Suite struct DownloadTests {
    let files: [String: Data]

    init() throws { files = try SampleResults.site(SampleResults.ordinary) }

    @Test func tapsCSVAndJSONHoldTheSameRowsAsTheResults() throws {
        let result = SampleResults.ordinary[0] // "SmolLM2-135M Q4_1", 5 layers × 3 taps
        let csv = try RFC4180.parse(try #require(files["data/smollm2-135m-q4-1/taps.csv"]))
        #expect(csv.first == DataTables.tapColumns.map(\.0))
        #expect(csv.count == 1 + result.taps.count)
        struct Row: Decodable { var block: Int; var tap: String; var maxAbs: Double; var nonFiniteCount: Int; var ratio: Double? }
        let json = try JSONDecoder().decode([Row].self, from: try #require(files["data/smollm2-135m-q4-1/taps.json"]))
        #expect(json.count == result.taps.count)
        for (record, row) in zip(csv.dropFirst(), json) {
            #expect(record[0] == String(row.block) && record[1] == row.tap)
            #expect(Double(record[4]) == row.maxAbs && record[8] == String(row.nonFiniteCount))
        }
        #expect(json.map(\.block) == json.map(\.block).sorted())
        #expect(json.filter { $0.tap == "ffn.down_in" }.map(\.nonFiniteCount) == [0, 1, 2, 3, 4])
    }

    @Test func rawResultsDecodeToTheSameResult() throws {
        let decoded = try ResultsCoding.decode(try #require(files["data/minilm-l6/results.json"]), file: "results.json")
        #expect(decoded == SampleResults.ordinary[1])
    }

    @Test func massiveJSONIsSortedByLayerWindowPositionDim() throws {
        let rows = try JSONDecoder().decode([LocatedActivation<Double>].self, from: try #require(files["data/smollm2-135m-q4-1/massive.json"]))
        #expect(rows.count == 4)
        #expect(rows == ModelPageBuilder.sortedMassive(SampleResults.ordinary[0]))
    }
}
