import AtlasResults
import Foundation

/// A validated study (`atlas.yaml`): which models run on which texts, under which quantization
/// schemes and mitigations, with which outlier criteria, regression thresholds and output
/// folders. Paths are absolute (resolved against the study file's folder). Built by `StudyFile`.
public struct Study: Sendable, Equatable {
    /// One model to analyze.
    public struct Model: Sendable, Equatable {
        public var label: String
        public var path: URL
        public var format: ModelFormat
        /// Second checkpoints of this model compared with it in lockstep (`against:`).
        public var against: [URL]

        public init(label: String, path: URL, format: ModelFormat = .auto, against: [URL] = []) {
            self.label = label
            self.path = path
            self.format = format
            self.against = against
        }
    }

    /// One calibration/evaluation text and how it is cut into windows.
    public struct Dataset: Sendable, Equatable {
        /// Short name (default: the file name); distinguishes results when a study has several.
        public var name: String
        public var file: URL
        public var textMode: TextMode
        public var windowSize: Int
        /// nil: every full window of the text.
        public var windows: Int?
        public var bos: BOSPolicy

        public init(name: String, file: URL, textMode: TextMode = .raw, windowSize: Int = 512,
                    windows: Int? = nil, bos: BOSPolicy = .auto) {
            self.name = name
            self.file = file
            self.textMode = textMode
            self.windowSize = windowSize
            self.windows = windows
            self.bos = bos
        }
    }

    /// What counts as an outlier.
    public struct Criteria: Sendable, Equatable, Codable {
        public var massive: MassiveCriterion
        /// A channel is an outlier when its absmax exceeds k × the median channel absmax.
        public var channelOutlierK: Double
        public var topK: Int

        public init(massive: MassiveCriterion = MassiveCriterion(), channelOutlierK: Double = 10, topK: Int = 16) {
            self.massive = massive
            self.channelOutlierK = channelOutlierK
            self.topK = topK
        }
    }

    public var file: URL
    public var models: [Model]
    public var datasets: [Dataset]
    /// Scheme names (`W8A8`, `W4A16-g128`, `Q4_K`), validated by `StudyVocabulary`.
    public var schemes: [String]
    /// Mitigations with parameters (`smoothquant:alpha=0.5`, `rotation`), validated likewise.
    public var mitigations: [String]
    public var criteria: Criteria
    public var thresholds: RegressionThresholds
    public var resultsDirectory: URL
    public var siteDirectory: URL

    /// The analysis options of one dataset under this study's criteria.
    public func options(for dataset: Dataset) -> AnalysisOptions {
        AnalysisOptions(textMode: dataset.textMode, windowSize: dataset.windowSize, windowCount: dataset.windows,
                        criterion: criteria.massive, topK: criteria.topK, outlierFactor: criteria.channelOutlierK)
    }
}

/// How a model file is read: by content (`auto`), or insisting on one format.
public enum ModelFormat: String, Sendable, Codable, CaseIterable {
    case auto, gguf, safetensors
}

/// Whether each window starts with BOS: as the model's metadata asks (`auto`), always, or never.
public enum BOSPolicy: String, Sendable, Codable, CaseIterable {
    case auto, always, never
}
