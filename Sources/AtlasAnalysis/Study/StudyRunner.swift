import AtlasModels
import AtlasResults
import Foundation

/// What happened to one unit in a run.
public struct UnitOutcome: Sendable {
    public var unit: WorkUnit
    /// The unit's content address (`UnitKey.digest`).
    public var key: String
    /// The result and its canonical bytes (what its results file holds), encoded once.
    public var stored: StoredResult
    /// true: read from the cache, no forward pass.
    public var cached: Bool

    public var result: RunResult { stored.result }
}

/// Runs a study's units through the content-addressed cache: a unit whose key is cached is read
/// back; any other is computed (its model loaded once for all its units) and stored.
public struct StudyRunner {
    public let study: Study
    public let taps: Set<TapName>
    public let cache: UnitCache
    public let hashes: FileHashCache
    /// Where GGUF weights live (the numbers do not depend on it).
    public let weights: WeightPolicy

    public init(study: Study, taps: Set<TapName> = Set(TapName.allCases), weights: WeightPolicy = .auto(maxMemory: nil),
                cache: UnitCache? = nil, hashes: FileHashCache? = nil) {
        self.study = study
        self.taps = taps
        self.weights = weights
        self.cache = cache ?? UnitCache(results: study.resultsDirectory)
        self.hashes = hashes ?? FileHashCache(file: study.resultsDirectory.appendingPathComponent(".cache/file-hashes.json"))
    }

    /// The unit's content address.
    public func key(for unit: WorkUnit) throws -> String {
        var key = UnitKey(unit: unit, criteria: study.criteria, taps: taps,
                          modelSHA256: try hashes.sha256(unit.model.path), dataSHA256: try hashes.sha256(unit.dataset.file))
        key.schemes = study.schemes.isEmpty ? nil : study.schemes
        key.mitigations = study.mitigations.isEmpty ? nil : study.mitigations
        if !unit.model.against.isEmpty {
            key.against = try unit.model.against.map { url in
                UnitKey.ModelPart(sha256: try hashes.sha256(url), file: url.lastPathComponent, format: "auto", label: url.lastPathComponent)
            }
        }
        return key.digest
    }

    /// Runs `units` in order. `note` gets human progress lines; `progress` (unit, done, total)
    /// after each window of a computed unit.
    public func run(_ units: [WorkUnit], note: (String) -> Void = { _ in },
                    progress: (WorkUnit, Int, Int) -> Void = { _, _, _ in }) throws -> [UnitOutcome] {
        var loaded: LoadedModel?
        var outcomes: [UnitOutcome] = []
        let schemes = try study.schemes.map { spec throws(QuantSchemeError) in try QuantSchemeParser.parse(spec) }
        let mitigations = try study.mitigations.map { spec throws(MitigationError) in try MitigationSpecParser.parse(spec) }
        let keys = try units.map { try key(for: $0) }
        let hits = cache.load(keys)
        for (unit, (key, hit)) in zip(units, zip(keys, hits)) {
            if let hit {
                note("\(unit.label): cached (\(key.prefix(12)))")
                outcomes.append(UnitOutcome(unit: unit, key: key, stored: hit, cached: true))
                continue
            }
            if loaded?.url != unit.model.path {
                loaded = nil  // release the previous model before loading the next
                note("loading \(unit.model.path.path)")
                loaded = try ModelLoader.load(unit.model.path, weights: weights)
                if let line = loaded!.weightsNote { note(line) }
            }
            let model = try Self.applying(unit.dataset.bos, to: loaded!)
            // A study's mitigations apply to the models whose family takes them; the others are
            // analyzed without those variants, and the log says so.
            let family = model.network.family
            let taken = mitigations.filter { Mitigations.supports($0.name, family: family) }
            let skipped = mitigations.filter { !Mitigations.supports($0.name, family: family) }
            for spec in skipped {
                note("\(unit.label): no \(spec.name) variant (\(family.summary); \(spec.name) needs "
                     + "\(Mitigations.unmetNeed(spec.name, family: family) ?? "nothing more"))")
            }
            let against = try unit.model.against.map { url in
                note("loading \(url.path) (against \(unit.model.label))")
                return Checkpoint(loaded: try Self.applying(unit.dataset.bos, to: try ModelLoader.load(url, weights: weights)),
                                  label: url.lastPathComponent)
            }
            let result = try ModelAnalysis.run(model, label: unit.label, text: unit.dataset.file,
                                               options: study.options(for: unit.dataset), taps: taps,
                                               schemes: schemes, mitigations: taken, against: against,
                                               progress: { progress(unit, $0, $1) })
            let stored = try cache.store(result, key: key)
            outcomes.append(UnitOutcome(unit: unit, key: key, stored: stored, cached: false))
        }
        try hashes.save()
        return outcomes
    }

    /// The model with the dataset's BOS policy applied: `always` takes the BOS id from the
    /// model's metadata even when it does not ask for one.
    static func applying(_ policy: BOSPolicy, to m: LoadedModel) throws -> LoadedModel {
        let bos: Int32?
        switch policy {
        case .auto: return m
        case .never: bos = nil
        case .always:
            if let id = m.bos {
                bos = id
            } else if m.format == "gguf", let id = try GGUFFile(url: m.url).metadata["tokenizer.ggml.bos_token_id"]?.int {
                bos = Int32(id)
            } else {
                throw AnalysisInputError(file: m.url.path, problem: "bos: always, but the model names no BOS token (tokenizer.ggml.bos_token_id)")
            }
        }
        return m.with(bos: bos)
    }
}
