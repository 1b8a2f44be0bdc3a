import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Every fixture family from its Hugging Face folder against transformers' float32 tensors:
/// hidden states, logits, every tap listed in its expected.md (README tolerance: 1e-4 × max|ref|
/// per tensor, attention probabilities 1e-4 absolute).
@Suite struct HFFamilyFixtureTests {
    /// ../shared/fixtures, then the repository's own (Tests/Fixtures: Gemma 2, Gemma 3, Phi-3,
    /// made by scripts/reference/make_family_fixtures.py).
    static let repoFolders = ["gemma2-tiny", "gemma3-tiny", "phi3-tiny"]
    static let folders = ["llama-tiny", "llama-tiny-sharded", "qwen2-tiny", "gpt2-tiny", "opt-tiny", "bert-tiny"] + repoFolders

    static func run(_ folder: String) throws -> HFFixtureRun {
        let expectedFolder = folder == "llama-tiny-sharded" ? "llama-tiny" : folder
        let inRepo = repoFolders.contains(folder)
        let place = { (path: String) -> URL in inRepo ? Fixtures.repoFixture(path) : Fixtures.fixture(path) }
        return try HFFixtureRun(folder: place(folder), expected: place("\(expectedFolder)/expected.safetensors"))
    }

    @Test(arguments: folders) func everyExpectedTensorMatches(folder: String) throws {
        let run = try Self.run(folder)
        let errors = try run.referenceErrors()
        for (name, error) in errors {
            let value: Double = error ?? .infinity  // not produced
            #expect(value <= 1e-4, "\(folder): \(name) error \(value)")
        }
        let worst = errors.compactMap(\.error).max() ?? 0
        #expect(errors.count >= 20)
        print("\(folder): \(run.expected.tensorNames.count) reference tensors, max error \(worst)")
    }

    @Test(arguments: [("llama-tiny", "llama"), ("qwen2-tiny", "qwen2"), ("gpt2-tiny", "gpt2"), ("opt-tiny", "opt"), ("bert-tiny", "bert")])
    func familyAndShapeComeFromConfig(folder: String, architecture: String) throws {
        let network = try HFFolderLoader.network(at: Fixtures.fixture(folder))
        #expect(network.architecture == architecture)
        #expect(network.blockCount == 3 && network.hiddenSize == 64 && network.vocabSize == 320)
        #expect(network.ffnFamily == (["llama", "qwen2"].contains(architecture) ? .gated : .plain))
        #expect((network is any EncoderModel) == (architecture == "bert"))
    }

    @Test func qwen2HasQKVBiasesUntiedHeadAndItsTheta() throws {
        let model = try #require(try HFFolderLoader.network(at: Fixtures.fixture("qwen2-tiny")) as? LlamaModel)
        #expect(model.config.ropeTheta == 1_000_000 && model.config.normEps == 1e-6 && !model.config.tiedEmbeddings)
        #expect(model.blocks[0].attention.q.bias != nil && model.blocks[0].attention.o.bias == nil)
        #expect(model.head != model.tokenEmbedding)
    }

    /// The planted massive activation (Sun et al.: > 100 and > 1000 × median) at hidden.2[:, 0, 7].
    @Test(arguments: ["llama-tiny", "qwen2-tiny", "gpt2-tiny", "opt-tiny"])
    func plantedMassiveActivationIsVisible(folder: String) throws {
        let run = try Self.run(folder)
        let reference = try run.expected.floats("hidden.2")
        for hidden in try #require(run.values["hidden.2"]) {
            let sorted = hidden.map(abs).sorted()
            let median = sorted[sorted.count / 2]
            let massive = hidden.indices.filter { abs(hidden[$0]) > 100 && abs(hidden[$0]) > 1000 * median }
            #expect(massive == [7], "\(folder): massive entries \(massive) (position 0, dim 7 expected alone)")
            #expect(abs(abs(hidden[7]) - abs(reference[7])) <= 1e-4 * abs(reference[7]))
        }
    }

    /// A folder loads to identical weights and outputs whether single-file or sharded.
    @Test func shardedFolderEqualsSingleFile() throws {
        let single = try #require(try HFFolderLoader.network(at: Fixtures.fixture("llama-tiny")) as? LlamaModel)
        let sharded = try #require(try HFFolderLoader.network(at: Fixtures.fixture("llama-tiny-sharded")) as? LlamaModel)
        let tokens: [Int32] = (0..<24).map { Int32(($0 * 53) % 320) }
        #expect(single.forward(tokens: tokens) == sharded.forward(tokens: tokens))
    }

    /// The same llama-tiny from its HF folder and from its F32 GGUF (q/k un-permuted) gives
    /// identical hidden states.
    @Test func safetensorsAndGGUFGiveIdenticalHiddenStates() throws {
        let hf = try #require(try HFFolderLoader.network(at: Fixtures.fixture("llama-tiny")) as? LlamaModel)
        let gguf = try LlamaGGUFLoader.load(try GGUFFile(url: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")))
        #expect(hf.config.ropeTheta == gguf.config.ropeTheta && hf.config.normEps == gguf.config.normEps)
        let tokens: [Int32] = [255] + (1..<24).map { Int32(($0 * 41) % 319) }
        #expect(hf.hiddenStates(tokens: tokens) == gguf.hiddenStates(tokens: tokens))
        #expect(hf.forward(tokens: tokens) == gguf.forward(tokens: tokens))
    }
}
