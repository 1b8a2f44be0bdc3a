@testable import AtlasAnalysis
import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

@Suite struct MitigationTests {
    static func tiny() throws -> LlamaModel {
        try LlamaGGUFLoader.load(try GGUFFile(url: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")))
    }

    /// Two windows of fixed pseudo-random ids, the first starting with the planted BOS-like id
    /// is not needed: block-1 channel 117 is specific to one id, found by the calibration.
    static let windows: [[Int32]] = [(0..<24).map { Int32(($0 * 37 + 11) % 320) }, (0..<24).map { Int32(($0 * 53 + 5) % 320) }]

    static func maxRelativeDiff(_ a: Matrix, _ b: Matrix) -> Float {
        let range = (a.data.max()! - a.data.min()!)
        return zip(a.data, b.data).map { abs($0 - $1) }.max()! / range
    }

    @Test(arguments: [12, 20, 28, 36, 576, 64, 768])
    func hadamardIsOrthogonal(order: Int) throws {
        let h = try #require(Hadamard(order: order)).dense()
        for i in 0..<order { for j in 0..<order {
            let dot = (0..<order).reduce(Float(0)) { $0 + h[i * order + $1] * h[j * order + $1] }
            #expect(dot == (i == j ? Float(order) : 0))
        } }
    }

    @Test func specParserDefaultsAndErrors() throws {
        #expect(try MitigationSpecParser.parse("smoothquant").description == "smoothquant:alpha=0.5,windows=4")
        #expect(try MitigationSpecParser.parse("tma-removal:mode=zero").parameters["mode"] == "zero")
        #expect(throws: MitigationError.self) { try MitigationSpecParser.parse("smoothquant:beta=1") }
        #expect(throws: MitigationError.self) { try MitigationSpecParser.parse("smoothquant:alpha=2") }
        #expect(throws: MitigationError.self) { try MitigationSpecParser.parse("tma-removal:mode=drop") }
        do { _ = try MitigationSpecParser.parse("awq"); Issue.record("no error") } catch {
            #expect(error.field == "name" && error.found == "'awq'")
        }
    }

    @Test(arguments: ["smoothquant", "rotation", "gamma-smoothing:mode=fold,k=1.05", "otc-tuning:k=0"])
    func exactMitigationsKeepTheLogits(spec: String) throws {
        let model = try Self.tiny()
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse(spec), to: model, calibration: Self.windows)
        #expect(outcome.exact)
        for w in Self.windows {
            let d = Self.maxRelativeDiff(model.forward(tokens: w), outcome.model.forward(tokens: w, observer: nil))
            #expect(d < 1e-3, "\(spec): \(d)")
        }
    }

    @Test func lossyGammaSmoothingChangesTheLogits() throws {
        let model = try Self.tiny()
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse("gamma-smoothing:mode=lossy,k=1.05"), to: model, calibration: Self.windows)
        #expect(!outcome.exact)
        #expect(Self.maxRelativeDiff(model.forward(tokens: Self.windows[0]), outcome.model.forward(tokens: Self.windows[0], observer: nil)) > 1e-3)
    }

    @Test(arguments: ["zero", "clamp", "mean"])
    func tmaRemovalRemovesThePlantedMassiveActivation(mode: String) throws {
        let model = try Self.tiny()
        // The planted id: the one maximizing block-1 down_in channel 117 at position 0.
        let ids = (0..<320).map { Int32($0) }
        let stats = ChannelAbsmaxObserver.calibrate(model, taps: [.ffnResid], windows: [ids])
        let base = try #require(stats.absmax[.ffnResid]?[1])
        #expect(base[7] > 100)
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse("tma-removal:mode=\(mode)"), to: model, calibration: [ids])
        #expect(outcome.model.intervention != nil)
        let after = ChannelAbsmaxObserver.calibrate(outcome.model, taps: [.ffnResid], windows: [ids])
        #expect(try #require(after.absmax[.ffnResid]?[1])[7] < base[7] / 10)
    }
}
