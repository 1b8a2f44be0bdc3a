import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasTestSupport
import Testing

/// The massive activation planted in llama-tiny (block 1's output, dim 7, position 0 of both
/// sequences, carried into block 2's output) is reported exactly, and nothing else is.
@Suite struct PlantedMassiveActivationTests {
    @Test func blockOutputsReportExactlyThePlantedEntries() throws {
        let model = try LlamaGGUFLoader.load(try GGUFFile(url: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")))
        let ref = try SafetensorsFile(url: Fixtures.fixture("llama-tiny/expected.safetensors"))
        let ids = try ref.int64s("input_ids").map { Int32($0) }
        let observer = StatisticsObserver(taps: [.ffnResid], topK: 4, criterion: MassiveCriterion())
        for w in 0..<2 {
            let window = Array(ids[(w * 24)..<((w + 1) * 24)])
            observer.beginWindow(index: w, tokens: window)
            _ = model.forward(tokens: window, observer: observer)
        }
        let found = observer.massiveActivations(tokenText: { "\($0)" })
        let keys = found.map { [$0.layer, $0.window, $0.position, $0.dim] }
        #expect(keys == [[1, 0, 0, 7], [1, 1, 0, 7], [2, 0, 0, 7], [2, 1, 0, 7]])
        #expect(found.allSatisfy { abs($0.value - 193) < 0.01 && $0.token == "255" })
        // A stricter criterion than the plant's ratio (6454× the median) finds nothing.
        let strict = StatisticsObserver(taps: [.ffnResid], topK: 4, criterion: MassiveCriterion(absolute: 100, relative: 10_000))
        strict.beginWindow(index: 0, tokens: Array(ids[0..<24]))
        _ = model.forward(tokens: Array(ids[0..<24]), observer: strict)
        #expect(strict.massiveActivations(tokenText: { "\($0)" }).isEmpty)
    }
}
