import AtlasResults
import Foundation
import Testing

/// Results files that no analysis writes (a block index outside the model, a ragged grid,
/// channel vectors that disagree, sizes beyond `ResultsLimits`) are refused when decoded, with
/// the file and the field path; they used to render and merge.
@Suite struct ResultsValidationTests {
    /// The sample result (4 blocks, 64 channels) as a JSON object, edited, decoded again.
    func decode(_ sample: RunResult = SampleResults.result(label: "m"), _ edit: (inout [String: Any]) -> Void) throws -> RunResult {
        let data = try ResultsCoding.encode(sample)
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        edit(&object)
        return try ResultsCoding.decode(try JSONSerialization.data(withJSONObject: object), file: "r.json")
    }

    func expectRefused(_ message: String, in sample: RunResult = SampleResults.result(label: "m"),
                       sourceLocation: SourceLocation = #_sourceLocation, _ edit: (inout [String: Any]) -> Void) {
        do {
            _ = try decode(sample, edit)
            Issue.record("decoded; expected \(message)", sourceLocation: sourceLocation)
        } catch let error as ResultsError {
            #expect(error.description == "r.json: " + message, sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a ResultsError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    /// `object[key][index][field] = value`.
    static func set(_ object: inout [String: Any], _ key: String, _ index: Int, _ field: String, _ value: Any) {
        var list = object[key] as! [[String: Any]]
        list[index][field] = value
        object[key] = list
    }

    @Test func theSampleDecodes() throws {
        #expect(try decode { _ in } == SampleResults.result(label: "m"))
        #expect(try decode(AnatomySample.result(label: "a", tokens: ["x"])) { _ in } == AnatomySample.result(label: "a", tokens: ["x"]))
        #expect(try decode(ComparisonSample.result) { _ in } == ComparisonSample.result)
    }

    /// Indices and grids deep inside the anatomy and the variants are found by the same walk.
    @Test func nestedIndicesAndGridsAreChecked() throws {
        let anatomy = AnatomySample.result(label: "a", tokens: ["x"])
        let rows = try #require(anatomy.anatomy?.heatmap?.values)
        expectRefused("anatomy.heatmap.values[\(rows.count)]: found 1 values, expected \(rows[0].count) like row 0 (a rectangular grid)", in: anatomy) {
            var a = $0["anatomy"] as! [String: Any], h = a["heatmap"] as! [String: Any], values = h["values"] as! [[Double]]
            values.append([1])
            h["values"] = values; a["heatmap"] = h; $0["anatomy"] = a
        }
        let variants = ComparisonSample.result
        expectRefused("variants[0].profile.blocks[1]: found 99, expected a block index in 0…\(variants.model.blockCount - 1) (model.blockCount \(variants.model.blockCount))", in: variants) {
            var list = $0["variants"] as! [[String: Any]], profile = list[0]["profile"] as! [String: Any], blocks = profile["blocks"] as! [Int]
            blocks[1] = 99
            profile["blocks"] = blocks; list[0]["profile"] = profile; $0["variants"] = list
        }
        expectRefused("taps[0].top[0].layer: found 7, expected a block index in 0…3 (model.blockCount 4)") {
            var taps = $0["taps"] as! [[String: Any]]
            taps[0]["top"] = [["layer": 7, "window": 0, "position": 0, "dim": 0, "value": 1.0, "token": "t"]]
            $0["taps"] = taps
        }
    }

    @Test(arguments: [1_000_000_000, -1, 4])
    func aTapBlockOutsideTheModelIsRefused(block: Int) {
        expectRefused("taps[2].block: found \(block), expected a block index in 0…3 (model.blockCount 4)") {
            Self.set(&$0, "taps", 2, "block", block)
        }
    }

    @Test func pairsAreChecked() throws {
        var sample = SampleResults.result(label: "m")
        sample.pairs = [ParityPageTests.pair(label: "B", blocks: 4, divergeAt: 1)]
        #expect(try decode(sample) { _ in }.pairs == sample.pairs)
        var wrongBlock = sample
        wrongBlock.pairs![0].taps[0].block = 9
        expectRefused("pairs[0].taps[0].block: found 9, expected a block index in 0…3 (model.blockCount 4)", in: wrongBlock) { _ in }
        var narrow = sample
        narrow.pairs![0].blockOutputs[1].channelMaxAbsDelta = [1, 2]
        expectRefused("pairs[0].blockOutputs[1].channelMaxAbsDelta: found 2 channels, expected model.hiddenSize 64 (one heatmap row per block)", in: narrow) { _ in }
    }

    @Test func aMassiveActivationOutsideTheModelIsRefused() {
        expectRefused("massiveActivations[0].layer: found -1, expected a block index in 0…3 (model.blockCount 4)") {
            Self.set(&$0, "massiveActivations", 0, "layer", -1)
        }
    }

    @Test func aBlockCountBeyondTheLimitIsRefused() {
        expectRefused("model.blockCount: found 1000000000, expected 1…1024 blocks (ResultsLimits.maxBlocks)") {
            var model = $0["model"] as! [String: Any]
            model["blockCount"] = 1_000_000_000
            $0["model"] = model
        }
    }

    @Test func raggedBlockOutputsAreRefused() {
        // Block 1's output (taps[5]) has 10 channels where block 0's (taps[2]) has 64.
        expectRefused("taps[5].channelAbsmax: found 10 channels, expected model.hiddenSize 64 at the block output") {
            Self.set(&$0, "taps", 5, "channelAbsmax", Array(repeating: 1.0, count: 10))
        }
        expectRefused(#"taps[4].channelAbsmax: found 10 channels, expected 256 like taps[1] (the same tap "ffn.down_in" in another block)"#) {
            Self.set(&$0, "taps", 4, "channelAbsmax", Array(repeating: 1.0, count: 10))
        }
        expectRefused("taps[1].channelKurtosis: found 3 values, expected 256, one per channel of channelAbsmax") {
            Self.set(&$0, "taps", 1, "channelKurtosis", [3.0, 3.0, 3.0])
        }
    }

    @Test func aMillionChannelsAreRefused() {
        expectRefused("taps[1].channelAbsmax: found 1000000 values, expected at most 65536 (ResultsLimits.maxChannels)") {
            Self.set(&$0, "taps", 1, "channelAbsmax", Array(repeating: 1.0, count: 1_000_000))
        }
    }

    @Test func decodingErrorsNameTheFieldPath() {
        expectRefused("not a results file: taps[2].block: found null, expected an integer") {
            Self.set(&$0, "taps", 2, "block", NSNull())
        }
        expectRefused("not a results file: taps[2].tap: missing, expected a value") {
            var taps = $0["taps"] as! [[String: Any]]
            taps[2]["tap"] = nil
            $0["taps"] = taps
        }
        expectRefused("not a results file: taps[0].maxAbs: found another kind of value, expected a number") {
            Self.set(&$0, "taps", 0, "maxAbs", "big")
        }
        expectRefused("not a results file: model: missing, expected a value") { $0["model"] = nil }
    }
}
