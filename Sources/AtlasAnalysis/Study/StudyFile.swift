import AtlasResults
import Foundation
import Yams

/// The study file (`atlas.yaml`): which models to analyze on which text, and where the results
/// and the site go. Paths are relative to the study file's folder.
public struct Study: Sendable, Equatable {
    public struct Model: Sendable, Equatable {
        public var label: String
        public var path: URL
    }

    public var models: [Model]
    public var text: URL
    public var options: AnalysisOptions
    public var resultsDirectory: URL
    public var siteDirectory: URL
}

/// A study file that cannot be used: names the file, the key, what was found and expected.
public struct StudyError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var key: String
    public var found: String
    public var expected: String

    public var description: String { "\(file): \(key): found \(found), expected \(expected)" }
}

/// Reads and validates `atlas.yaml` before any model runs.
public enum StudyFile {
    private struct Raw: Decodable {
        struct Model: Decodable { var label: String?; var path: String }
        struct Dataset: Decodable {
            var file: String
            var text_mode: String?
            var window_size: Int?
            var windows: Int?
        }
        struct Criteria: Decodable {
            var massive_absolute: Double?; var massive_relative: Double?; var top_k: Int?; var outlier_factor: Double?
        }
        var models: [Model]
        var dataset: Dataset
        var criteria: Criteria?
        var results: String?
        var output: String?
    }

    public static func load(_ url: URL) throws -> Study {
        let file = url.path
        guard let data = FileManager.default.contents(atPath: file) else {
            throw StudyError(file: file, key: "(file)", found: "no readable file", expected: "a YAML study file")
        }
        let raw: Raw
        do {
            raw = try YAMLDecoder().decode(Raw.self, from: String(decoding: data, as: UTF8.self))
        } catch let DecodingError.keyNotFound(key, context) {
            throw StudyError(file: file, key: path(context.codingPath + [key]), found: "nothing", expected: "this key")
        } catch let DecodingError.typeMismatch(type, context) {
            throw StudyError(file: file, key: path(context.codingPath), found: "a value of another type", expected: "\(type)")
        } catch {
            throw StudyError(file: file, key: "(document)", found: "invalid YAML (\(error))", expected: "a YAML mapping")
        }
        let base = url.deletingLastPathComponent()
        func resolve(_ p: String) -> URL { p.hasPrefix("/") ? URL(fileURLWithPath: p) : base.appendingPathComponent(p) }
        guard !raw.models.isEmpty else {
            throw StudyError(file: file, key: "models", found: "an empty list", expected: "at least one model")
        }
        let mode: TextMode
        if let m = raw.dataset.text_mode {
            guard let parsed = TextMode(rawValue: m) else {
                throw StudyError(file: file, key: "dataset.text_mode", found: m, expected: "raw or joined")
            }
            mode = parsed
        } else {
            mode = .raw
        }
        let windowSize = raw.dataset.window_size ?? 512
        guard windowSize >= 2 else {
            throw StudyError(file: file, key: "dataset.window_size", found: "\(windowSize)", expected: "at least 2")
        }
        if let w = raw.dataset.windows, w < 1 {
            throw StudyError(file: file, key: "dataset.windows", found: "\(w)", expected: "at least 1")
        }
        let text = resolve(raw.dataset.file)
        guard FileManager.default.fileExists(atPath: text.path) else {
            throw StudyError(file: file, key: "dataset.file", found: "\(raw.dataset.file) (missing)", expected: "an existing text file")
        }
        let models = try raw.models.enumerated().map { index, m -> Study.Model in
            let p = resolve(m.path)
            guard FileManager.default.fileExists(atPath: p.path) else {
                throw StudyError(file: file, key: "models[\(index)].path", found: "\(m.path) (missing)",
                                 expected: "an existing model file (run scripts/fetch-models)")
            }
            return Study.Model(label: m.label ?? p.lastPathComponent, path: p)
        }
        let outlierFactor = raw.criteria?.outlier_factor ?? 10
        guard outlierFactor > 1 else {
            throw StudyError(file: file, key: "criteria.outlier_factor", found: "\(outlierFactor)", expected: "a number above 1")
        }
        let criterion = MassiveCriterion(absolute: raw.criteria?.massive_absolute ?? 100,
                                         relative: raw.criteria?.massive_relative ?? 1000)
        return Study(models: models, text: text,
                     options: AnalysisOptions(textMode: mode, windowSize: windowSize, windowCount: raw.dataset.windows,
                                              criterion: criterion, topK: raw.criteria?.top_k ?? 16,
                                              outlierFactor: outlierFactor),
                     resultsDirectory: resolve(raw.results ?? "results"),
                     siteDirectory: resolve(raw.output ?? "site"))
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}
