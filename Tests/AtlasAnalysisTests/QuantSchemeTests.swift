@testable import AtlasAnalysis
import AtlasModels
import AtlasTestSupport
import Testing

/// Scheme names, custom specs, and every impossible scheme as an error before a model runs.
@Suite struct QuantSchemeTests {
    static let tiny: LlamaModel = {
        try! ModelLoader.load(Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")).network as! LlamaModel
    }()

    @Test func presets() throws {
        let w8a8 = try QuantSchemeParser.parse("W8A8")
        #expect(w8a8.name == "W8A8")
        #expect(w8a8.weights == .uniform(format: .integer(bits: 8, symmetric: true), granularity: .perChannel, clip: 1))
        #expect(w8a8.activations == ActivationQuantization(format: .integer(bits: 8, symmetric: true), granularity: .perToken))
        #expect(try QuantSchemeParser.parse("w8a16").activations == nil)
        #expect(try QuantSchemeParser.parse("W4A16").weights == .uniform(format: .integer(bits: 4, symmetric: true), granularity: .perChannel, clip: 1))
        let g128 = try QuantSchemeParser.parse("W4A16-g128")
        #expect(g128.name == "W4A16-g128")
        #expect(g128.weights == .uniform(format: .integer(bits: 4, symmetric: true), granularity: .perGroup(128), clip: 1))
        #expect(try QuantSchemeParser.parse("W4A8").activations?.format == .integer(bits: 8, symmetric: true))
        #expect(try QuantSchemeParser.parse("W6A6").weights == .uniform(format: .integer(bits: 6, symmetric: true), granularity: .perChannel, clip: 1))
        #expect(try QuantSchemeParser.parse("W4A4").activations?.format == .integer(bits: 4, symmetric: true))
        #expect(try QuantSchemeParser.parse("q4_k").weights == .gguf(.q4_K))
        #expect(try QuantSchemeParser.parse("Q8_0").name == "Q8_0")
        #expect(try QuantSchemeParser.parse("FP8").weights == .uniform(format: .fp8(.e4m3), granularity: .perChannel, clip: 1))
        // -static: one per-tensor activation scale per Linear input, calibrated and then fixed.
        let static8 = try QuantSchemeParser.parse("w8a8-static")
        #expect(static8.name == "W8A8-static" && static8.weights == w8a8.weights)
        #expect(static8.activations == ActivationQuantization(format: .integer(bits: 8, symmetric: true), granularity: .perTensor))
        #expect(try QuantSchemeParser.parse("W4A8-static").weights == .uniform(format: .integer(bits: 4, symmetric: true), granularity: .perChannel, clip: 1))
        #expect(w8a8.description == "weights: int8 sym per-channel; activations: int8 sym per-token (dynamic); round to nearest, ties to even")
    }

    @Test func customSpec() throws {
        let s = try QuantSchemeParser.parse("name=mine; w=int4,asym,g64,clip0.9; a=int8,tensor; kv=fp8e5m2; include=blk.*.down,blk.0.*; exclude=blk.0.q")
        #expect(s.name == "mine")
        #expect(s.weights == .uniform(format: .integer(bits: 4, symmetric: false), granularity: .perGroup(64), clip: 0.9))
        #expect(s.activations == ActivationQuantization(format: .integer(bits: 8, symmetric: true), granularity: .perTensor))
        #expect(s.kvCache == ActivationQuantization(format: .fp8(.e5m2), granularity: .perToken))
        #expect(s.include == ["blk.*.down", "blk.0.*"] && s.exclude == ["blk.0.q"])
        #expect(s.selects("blk.2.down") && s.selects("blk.0.k") && !s.selects("blk.0.q") && !s.selects("blk.1.up"))
        let plan = try QuantPlan.make(s, for: Self.tiny)
        #expect(plan.sites.map(\.tensorName) == ["blk.0.k", "blk.0.v", "blk.0.o", "blk.0.gate", "blk.0.up", "blk.0.down", "blk.1.down", "blk.2.down"])
        #expect(plan.inputTaps[1] == [.ffnDownIn])
        #expect(plan.rewrites(block: 0, tap: .attnK) && !plan.rewrites(block: 1, tap: .attnK))
        #expect(try QuantSchemeParser.parse("w=q6_k").weights == .gguf(.q6_K))
    }

    static let invalid: [(spec: String, field: String)] = [
        ("W1A16", "weight bits"), ("W9A8", "weight bits"), ("W8A1", "activation bits"), ("w=int9", "w bits"),
        ("w=int1", "w bits"), ("W4A16-g0", "group size"), ("w=int4,g0", "group size"), ("Q7_0", "GGUF type"),
        ("Q3_K", "GGUF type"), ("w=q2_k", "w GGUF type"), ("w=q4_0,sym", "w"), ("w=int4,clip1.5", "w clip ratio"),
        ("a=fp8e4m3,asym", "a"), ("a=int8,channel", "a granularity"), ("colour=red", "colour"), ("w=int4,fancy", "w"),
        ("", "scheme"), ("W4", "name"), ("w=float", "w/a/kv"), ("W8A16-static", "-static"), ("-static", "name"), ("W8A8-g-static", "group"),
    ]

    @Test(arguments: invalid)
    func impossibleSchemesAreErrors(spec: String, field: String) {
        do {
            let s = try QuantSchemeParser.parse(spec)
            Issue.record("'\(spec)' parsed as \(s)")
        } catch {
            #expect(error.field == field, "\(error)")
            #expect(error.description.contains("found") && error.description.contains("expected"))
        }
    }

    @Test func patternMatchingNoTensorIsAnError() throws {
        for spec in ["w=int4; include=blk.9.*", "w=int8; exclude=blk.*.qq"] {
            let scheme = try QuantSchemeParser.parse(spec)
            #expect(throws: QuantSchemeError.self) { _ = try QuantPlan.make(scheme, for: Self.tiny) }
        }
        let all = try QuantSchemeParser.parse("w=int4; exclude=blk.*")
        #expect(throws: QuantSchemeError.self) { _ = try QuantPlan.make(all, for: Self.tiny) }
    }

    @Test func kQuantsFallBackOnShortRows() throws {
        // llama-tiny rows are 64 and 160 wide: not multiples of 256.
        let plan = try QuantPlan.make(try QuantSchemeParser.parse("Q4_K"), for: Self.tiny)
        #expect(plan.weightFormats[LinearSite(block: 0, kind: .q)] == .gguf(.q5_0))
        let q6 = try QuantPlan.make(try QuantSchemeParser.parse("Q6_K"), for: Self.tiny)
        #expect(q6.weightFormats[LinearSite(block: 2, kind: .down)] == .gguf(.q8_0))
    }

    @Test func globs() {
        #expect(Glob.matches("blk.*.down", "blk.12.down"))
        #expect(!Glob.matches("blk.*.down", "blk.12.up"))
        #expect(Glob.matches("blk.?.q", "blk.3.q") && !Glob.matches("blk.?.q", "blk.13.q"))
        #expect(Glob.matches("*", "anything") && Glob.matches("blk.1*", "blk.1") && !Glob.matches("blk.1", "blk.10"))
    }
}
