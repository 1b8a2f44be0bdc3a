import AtlasModels
import AtlasResults
import Foundation

/// One unit of work: a model × variant (mitigation, nil = baseline) × scheme (nil = float) ×
/// dataset. Today a study expands to model × dataset units (variants and schemes are computed
/// inside one unit by their features); the key already names both, so splitting them into units
/// of their own changes no key of an existing unit.
public struct WorkUnit: Sendable, Equatable {
    public var model: Study.Model
    public var dataset: Study.Dataset
    public var variant: String?
    public var scheme: String?
    /// The label written into the results (the model's label, plus the dataset's name when the
    /// study has several datasets).
    public var label: String

    /// The results file's base name; units sort by it (the order shards are dealt from).
    public var id: String { Slug.make(label) }

    /// The study's units, sorted by `id`: every model on every dataset.
    public static func plan(_ study: Study) -> [WorkUnit] {
        let several = study.datasets.count > 1
        return study.models.flatMap { model in
            study.datasets.map { dataset in
                WorkUnit(model: model, dataset: dataset, variant: nil, scheme: nil,
                         label: several ? "\(model.label) · \(dataset.name)" : model.label)
            }
        }.sorted { $0.id < $1.id }
    }
}

/// The content address of a unit's result: SHA-256 of the canonical JSON (sorted keys) of
/// everything the result depends on — model and data file hashes, the configuration that
/// affects the numbers, the tool version and results schema. Equal keys ⇒ equal results.
public struct UnitKey: Codable, Sendable, Equatable {
    public struct ModelPart: Codable, Sendable, Equatable { var sha256, file, format, label: String }
    public struct DataPart: Codable, Sendable, Equatable {
        var sha256, file, textMode, bos: String
        var windowSize: Int
        var windows: Int?
    }

    public var tool: String
    public var schema: Int
    public var model: ModelPart
    public var data: DataPart
    public var variant: String?
    public var scheme: String?
    /// The study's scheme and mitigation lists (nil when empty, so keys of studies without them
    /// are unchanged): every scheme and variant is computed inside the unit.
    public var schemes: [String]?
    public var mitigations: [String]?
    public var criteria: Study.Criteria
    public var taps: [String]
    /// The model's second checkpoints (`against:`), nil when none (keys without them unchanged).
    public var against: [ModelPart]?

    public init(unit: WorkUnit, criteria: Study.Criteria, taps: Set<TapName>, modelSHA256: String, dataSHA256: String) {
        tool = ModelAnalysis.toolVersion
        schema = RunResult.currentSchemaVersion
        model = ModelPart(sha256: modelSHA256, file: unit.model.path.lastPathComponent,
                          format: unit.model.format.rawValue, label: unit.label)
        let d = unit.dataset
        data = DataPart(sha256: dataSHA256, file: d.file.lastPathComponent, textMode: d.textMode.rawValue,
                        bos: d.bos.rawValue, windowSize: d.windowSize, windows: d.windows)
        variant = unit.variant
        scheme = unit.scheme
        self.criteria = criteria
        self.taps = taps.map(\.rawValue).sorted()
    }

    /// The canonical JSON that is hashed (sorted keys, no whitespace).
    public var canonicalJSON: Data {
        // Every field is a plain string, number or nil: encoding cannot fail.
        (try? ResultsJSON.encode(self, .line)) ?? Data()
    }

    /// The content address: lowercase hex SHA-256 of `canonicalJSON`.
    public var digest: String { FileHash.sha256(data: canonicalJSON) }
}
