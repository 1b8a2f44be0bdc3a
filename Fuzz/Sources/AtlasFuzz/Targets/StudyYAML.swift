import AtlasAnalysis
import Foundation

/// The study YAML in memory (`StudyFile.load(yaml:)`, Yams' composer and the node-by-node
/// reader), with the real scheme parser and mitigation registry (`.parsers`) and without
/// requiring the model files, as `check --study` reads it. The seeds include alias bombs and
/// deep nesting.
enum StudyYAMLTarget: FuzzTarget {
    static let name = "study-yaml"
    static let url = FuzzPaths.repository.appendingPathComponent("atlas.yaml")

    static func test(_ bytes: UnsafeRawBufferPointer) {
        let yaml = String(decoding: bytes, as: UTF8.self)
        Contract.accept(name) {
            let study = try StudyFile.load(yaml: yaml, url: url, vocabulary: .parsers, checkFiles: false)
            Contract.require(!study.models.isEmpty && !study.datasets.isEmpty, name, "a study without models or datasets")
        }
    }
}
