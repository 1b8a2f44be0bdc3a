import AtlasResults
import Foundation
import Testing

/// Per-channel vectors in results files: base64 float32, lossless, and older number arrays
/// still read.
@Suite struct PackedFloatsTests {
    static func tap(_ absmax: [Float], kurtosis: [Float]?) -> TapSummary {
        TapSummary(block: 2, tap: "ffn.down_in", yIndex: "y6", elementCount: 12, maxAbs: 3, medianAbs: 0.5, top: [],
                   massiveCount: 0, channelAbsmax: absmax, nonFiniteCount: 0, channelKurtosis: kurtosis)
    }

    @Test func everyBitPatternSurvivesARoundTrip() throws {
        let values: [Float] = [0, -0.0, 1, -1.5, .pi, .ulpOfOne, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                               .infinity, -.infinity, 123_456.78, 1e-30]
        let back = try ResultsJSON.decode(TapSummary.self, from: try ResultsJSON.encode(Self.tap(values, kurtosis: [.nan, 3, 2.9999998])))
        #expect(back.channelAbsmax.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(back.channelKurtosis?.count == 3 && back.channelKurtosis![0].isNaN && back.channelKurtosis![2] == 2.9999998)
    }

    @Test func vectorsAreOneBase64StringAndNilKurtosisIsLeftOut() throws {
        let data = try ResultsJSON.encode(Self.tap([1, 2, 3, 4], kurtosis: nil))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let packed = try #require(object["channelAbsmax"] as? String)
        #expect(Data(base64Encoded: packed)?.count == 16)
        #expect(object["channelKurtosis"] == nil)
        #expect(try ResultsJSON.decode(TapSummary.self, from: data).channelKurtosis == nil)
    }

    @Test func olderNumberArraysStillRead() throws {
        let json = #"{"block":1,"tap":"attn.in","elementCount":4,"maxAbs":2,"medianAbs":1,"top":[],"massiveCount":0,"# +
            #""channelAbsmax":[0.5,2,"inf"],"nonFiniteCount":0,"channelKurtosis":[3,"nan"]}"#
        let tap = try ResultsJSON.decode(TapSummary.self, from: Data(json.utf8))
        #expect(tap.channelAbsmax == [0.5, 2, .infinity])
        #expect(tap.channelKurtosis?.first == 3 && tap.channelKurtosis?.last?.isNaN == true)
    }

    @Test(arguments: ["not base64!", "AAAA/w"])
    func badPackedVectorsAreRefusedWithTheirField(text: String) throws {
        let json = #"{"block":1,"tap":"attn.in","elementCount":4,"maxAbs":2,"medianAbs":1,"top":[],"massiveCount":0,"# +
            #""channelAbsmax":"\#(text)","nonFiniteCount":0}"#
        do {
            _ = try ResultsJSON.decode(TapSummary.self, from: Data(json.utf8))
            Issue.record("decoded '\(text)'")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.codingPath.map(\.stringValue) == ["channelAbsmax"])
        }
    }
}
