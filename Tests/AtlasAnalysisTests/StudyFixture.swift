import AtlasAnalysis
import AtlasTestSupport
import Foundation

/// A study folder for tests: copies of llama-tiny (F32 as `a.gguf`, F16 as `b.gguf`), a short
/// text and an `atlas.yaml` written from `yaml`.
struct StudyFixture {
    let dir: URL
    var study: URL { dir.appendingPathComponent("atlas.yaml") }
    var results: URL { dir.appendingPathComponent("results") }

    static let twoModels = """
    models:
      - {label: tiny A, path: a.gguf}
      - {label: tiny B, path: b.gguf, format: gguf}
    datasets:
      - {file: text.txt, window_size: 16, windows: 3}
    """

    init(yaml: String = StudyFixture.twoModels) throws {
        dir = try Fixtures.temporaryDirectory()
        let fm = FileManager.default
        try fm.copyItem(at: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf"), to: dir.appendingPathComponent("a.gguf"))
        try fm.copyItem(at: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F16.gguf"), to: dir.appendingPathComponent("b.gguf"))
        try String(repeating: "The committee approved the budget on Tuesday afternoon. ", count: 12)
            .write(to: dir.appendingPathComponent("text.txt"), atomically: true, encoding: .utf8)
        try write(yaml)
    }

    func write(_ yaml: String) throws {
        try yaml.write(to: study, atomically: true, encoding: .utf8)
    }

    func load() throws -> Study { try StudyFile.load(study) }

    /// The StudyError that loading `yaml` raises.
    func error(_ yaml: String) throws -> StudyError? {
        try write(yaml)
        do {
            _ = try StudyFile.load(study)
            return nil
        } catch {
            return error
        }
    }
}
