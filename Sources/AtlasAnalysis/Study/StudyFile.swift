import AtlasResults
import Foundation
import Yams

/// Reads and validates `atlas.yaml` before any model runs. The YAML is composed into a node tree
/// (`Yams.compose`) and checked node by node, so every problem is one `StudyError` naming the
/// file, the line, the key, what was found and what was expected. Paths are relative to the
/// study file's folder. `outlier-atlas init` writes a commented example (`StudyTemplate`).
public enum StudyFile {
    public static let topLevelKeys = ["models", "datasets", "dataset", "schemes", "mitigations", "criteria",
                                      "thresholds", "output"]

    /// - Parameters:
    ///   - vocabulary: which scheme and mitigation names are accepted.
    ///   - checkFiles: whether model and dataset files must exist (false for `check`, which
    ///     only needs thresholds and folders).
    public static func load(_ url: URL, vocabulary: StudyVocabulary = .syntactic,
                            checkFiles: Bool = true) throws(StudyError) -> Study {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StudyError(file: url.path, line: nil, key: "(file)", found: "no readable file", expected: "a YAML study file")
        }
        return try load(yaml: String(decoding: data, as: UTF8.self), url: url, vocabulary: vocabulary, checkFiles: checkFiles)
    }

    /// The study in `yaml`, as if read from `url` (which names the file in errors and is the base
    /// of relative paths).
    public static func load(yaml: String, url: URL, vocabulary: StudyVocabulary = .syntactic,
                            checkFiles: Bool = true) throws(StudyError) -> Study {
        let file = url.path
        do throws(YAMLExpansionBound.Excess) {
            try YAMLExpansionBound.check(yaml)
        } catch {
            throw StudyError(file: file, line: error.line, key: "(document)", found: error.found, expected: error.expected)
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw StudyError(file: file, line: nil, key: "(document)", found: "an empty file", expected: "a YAML mapping")
            }
            root = node
        } catch let e as StudyError {
            throw e
        } catch {
            throw syntaxError(error, file: file)
        }
        let reader = StudyReader(base: url.deletingLastPathComponent(), checkFiles: checkFiles, vocabulary: vocabulary)
        return try reader.study(StudyNode(node: root, key: "", file: file), url: url)
    }

    static func syntaxError(_ error: any Error, file: String) -> StudyError {
        var line: Int?
        var problem = "\(error)"
        if let y = error as? YamlError {
            switch y {
            case let .scanner(_, p, mark, _), let .parser(_, p, mark, _), let .composer(_, p, mark, _):
                line = mark.line
                problem = p
            default: break
            }
        }
        return StudyError(file: file, line: line, key: "(document)", found: "invalid YAML (\(problem))",
                          expected: "well-formed YAML")
    }
}

/// Turns the validated node tree into a `Study`, section by section.
struct StudyReader {
    let base: URL
    let checkFiles: Bool
    let vocabulary: StudyVocabulary

    func resolve(_ p: String) -> URL { p.hasPrefix("/") ? URL(fileURLWithPath: p) : base.appendingPathComponent(p) }

    func study(_ root: StudyNode, url: URL) throws(StudyError) -> Study {
        let top = try root.mapping(allowed: StudyFile.topLevelKeys)
        let modelsNode = try top.required("models", in: root, expected: "a list of models (path, label, format)")
        let models = try modelsNode.list().map(model)
        guard !models.isEmpty else { throw modelsNode.error(found: "an empty list", expected: "at least one model") }
        try unique(models.map(\.label), in: modelsNode, field: "label")
        let datasets: [Study.Dataset]
        if let one = top["dataset"] {
            if let both = top["datasets"] { throw both.error(found: "both dataset and datasets", expected: "one of them") }
            datasets = [try dataset(one)]
        } else {
            let node = try top.required("datasets", in: root, expected: "a list of datasets (file, text_mode, windows, …)")
            datasets = try node.list().map(dataset)
            guard !datasets.isEmpty else { throw node.error(found: "an empty list", expected: "at least one dataset") }
            try unique(datasets.map(\.name), in: node, field: "name")
        }
        let schemes = try names(top["schemes"], check: vocabulary.checkScheme)
        let mitigations = try names(top["mitigations"], check: vocabulary.checkMitigation)
        let output = try top["output"]?.mapping(allowed: ["results", "site"]) ?? [:]
        return Study(file: url, models: models, datasets: datasets, schemes: schemes, mitigations: mitigations,
                     criteria: try criteria(top["criteria"]), thresholds: try thresholds(top["thresholds"]),
                     resultsDirectory: resolve(try output["results"]?.string() ?? "results"),
                     siteDirectory: resolve(try output["site"]?.string() ?? "site"))
    }

    func model(_ node: StudyNode) throws(StudyError) -> Study.Model {
        let m = try node.mapping(allowed: ["path", "label", "format", "against"])
        let pathNode = try m.required("path", in: node, expected: "the model file")
        let raw = try pathNode.string()
        let url = resolve(raw)
        let format = try m["format"]?.choice(ModelFormat.self) ?? .auto
        if checkFiles {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw pathNode.error(found: "\(raw) (missing)", expected: "an existing model file (run scripts/fetch-models)")
            }
            if format == .gguf, isDirectory.boolValue || Self.magic(url) != Data("GGUF".utf8) {
                throw pathNode.error(found: "\(raw) (not a GGUF file)", expected: "a file starting with the GGUF magic (format: gguf)")
            }
            if format == .safetensors, !isDirectory.boolValue, url.pathExtension != "safetensors" {
                throw pathNode.error(found: raw, expected: "a .safetensors file or a Hugging Face folder (format: safetensors)")
            }
        }
        var against: [URL] = []
        if let a = m["against"] {
            // One path, or a list of paths.
            let nodes: [StudyNode]
            if case .sequence = a.node { nodes = try a.list() } else { nodes = [a] }
            for n in nodes {
                let raw = try n.string()
                let other = resolve(raw)
                if checkFiles && !FileManager.default.fileExists(atPath: other.path) {
                    throw n.error(found: "\(raw) (missing)", expected: "an existing model file or folder to compare with")
                }
                against.append(other)
            }
        }
        return Study.Model(label: try m["label"]?.string() ?? url.lastPathComponent, path: url, format: format, against: against)
    }

    /// The first four bytes of a file (not the whole file: models are large).
    static func magic(_ url: URL) -> Data? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        return try? handle.read(upToCount: 4)
    }

    func dataset(_ node: StudyNode) throws(StudyError) -> Study.Dataset {
        let d = try node.mapping(allowed: ["file", "name", "text_mode", "window_size", "windows", "bos"])
        let fileNode = try d.required("file", in: node, expected: "a text file")
        let raw = try fileNode.string()
        let url = resolve(raw)
        if checkFiles, !FileManager.default.fileExists(atPath: url.path) {
            throw fileNode.error(found: "\(raw) (missing)", expected: "an existing text file")
        }
        return Study.Dataset(name: try d["name"]?.string() ?? url.lastPathComponent, file: url,
                             textMode: try d["text_mode"]?.choice(TextMode.self) ?? .raw,
                             windowSize: try d["window_size"]?.int(atLeast: 2) ?? 512,
                             windows: try d["windows"]?.int(atLeast: 1),
                             bos: try d["bos"]?.choice(BOSPolicy.self) ?? .auto)
    }

    func criteria(_ node: StudyNode?) throws(StudyError) -> Study.Criteria {
        let defaults = Study.Criteria()
        guard let node else { return defaults }
        let c = try node.mapping(allowed: ["massive_absolute", "massive_relative", "channel_outlier_k", "top_k"])
        let massive = MassiveCriterion(absolute: try c["massive_absolute"]?.double(atLeast: 0) ?? defaults.massive.absolute,
                                       relative: try c["massive_relative"]?.double(atLeast: 0) ?? defaults.massive.relative)
        return Study.Criteria(massive: massive,
                              channelOutlierK: try c["channel_outlier_k"]?.double(atLeast: 1, exclusive: true) ?? defaults.channelOutlierK,
                              topK: try c["top_k"]?.int(atLeast: 1) ?? defaults.topK)
    }

    func thresholds(_ node: StudyNode?) throws(StudyError) -> RegressionThresholds {
        var t = RegressionThresholds()
        guard let node else { return t }
        let m = try node.mapping(allowed: RegressionThresholds.keys)
        t.perplexityIncrease = try m["perplexity_increase"]?.double(atLeast: 0) ?? t.perplexityIncrease
        t.klIncrease = try m["kl_increase"]?.double(atLeast: 0) ?? t.klIncrease
        t.sqnrDropDB = try m["sqnr_drop_db"]?.double(atLeast: 0) ?? t.sqnrDropDB
        t.newMassiveDims = try m["new_massive_dims"]?.int(atLeast: 0) ?? t.newMassiveDims
        t.maxAbsGrowth = try m["max_abs_growth"]?.double(atLeast: 0) ?? t.maxAbsGrowth
        return t
    }

    func names(_ node: StudyNode?, check: (String) -> String?) throws(StudyError) -> [String] {
        guard let node else { return [] }
        var out: [String] = []
        for item in try node.list() {
            let name = try item.string()
            if let expected = check(name) { throw item.error(found: "'\(name)'", expected: expected) }
            guard !out.contains(name) else { throw item.error(found: "'\(name)' twice", expected: "each name once") }
            out.append(name)
        }
        return out
    }

    func unique(_ values: [String], in list: StudyNode, field: String) throws(StudyError) {
        let items = try list.list()
        var seen = Set<String>()
        for (i, v) in values.enumerated() where !seen.insert(Slug.make(v)).inserted {
            throw items[i].error(found: "\(field) '\(v)' (the same results file as an earlier entry)",
                                 expected: "a \(field) unique in its list")
        }
    }
}
