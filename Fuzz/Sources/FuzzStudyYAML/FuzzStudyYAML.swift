import AtlasAnalysis
import Foundation
import FuzzSupport

/// The study YAML in memory (`StudyFile.load(yaml:)`, Yams' composer and the node-by-node
/// reader), with the real scheme parser and mitigation registry (`.parsers`) and without
/// requiring the model files, as `check --study` reads it. The seeds include alias bombs and
/// deep nesting.
@_cdecl("FuzzStudyYAML_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv, fuzzStudyYAML)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStudyYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let yaml = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    Contract.accept("study-yaml") {
        let study = try StudyFile.load(yaml: yaml, url: studyURL, vocabulary: .parsers, checkFiles: false)
        Contract.require(!study.models.isEmpty && !study.datasets.isEmpty, "study-yaml", "a study without models or datasets")
    }
    return 0
}

let studyURL = FuzzPaths.repository.appendingPathComponent("atlas.yaml")
