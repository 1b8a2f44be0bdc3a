import AtlasTestSupport
import Foundation
import Testing

/// `outlier-atlas export`: a complete folder on success; exit 2, one error line and nothing
/// written on bad input.
@Suite struct ExportEndToEndTests {
    static let tiny = Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")

    @Test func exportsARotatedFolder() throws {
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("rotated")
        let run = try CLIRunner.run(["export", "--model", Self.tiny.path, "--mitigation", "rotation:seed=1",
                                     "--format", "safetensors", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["config.json", "model.safetensors", "outlier-atlas-export.json", "tokenizer.json", "tokenizer_config.json"])
    }

    /// A block-type export says which type each matrix took, and `inspect` reads the file.
    @Test func exportsQuantizedGGUFAndSaysWhichTypes() throws {
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("tiny-q4_k.gguf")
        let run = try CLIRunner.run(["export", "--model", Self.tiny.path, "--format", "gguf-q4_k", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("29 tensors: 22 Q5_0 (fallback: row lengths 64, 160 not a multiple of 256), 7 F32 (1-D)"), "\(run.stderr)")
        let inspect = try CLIRunner.run(["inspect", out.path])
        #expect(inspect.status == 0 && inspect.stdout.contains("general.file_type = 14"), "\(inspect.stderr)")
        let down = inspect.stdout.split(separator: "\n").first { $0.contains("blk.2.ffn_down.weight") }
        #expect(down?.contains("Q5_0") == true, "\(inspect.stdout)")
    }

    @Test(arguments: [
        (["--mitigation", "tma-removal"], "tma-removal"),
        (["--mitigation", "smoothquant"], "--text"),
        (["--mitigation", "rotation:seed=x"], "seed"),
        (["--model", "/nonexistent/model.gguf"], "/nonexistent/model.gguf"),
    ])
    func badInputFailsCleanly(extra: [String], mentions: String) throws {
        let dir = try Fixtures.temporaryDirectory()
        let out = dir.appendingPathComponent("out.gguf")
        var args = ["export", "--format", "gguf-f16", "--out", out.path]
        if !extra.contains("--model") { args += ["--model", Self.tiny.path] }
        let run = try CLIRunner.run(args + extra)
        #expect(run.status == 2, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("loading ") }
        #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains(mentions), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "nothing written")
    }

    /// gpt2-tiny (with llama-tiny's tokenizer beside it, the fixture has none) is named as GPT-2.
    @Test func otherFamiliesAreNamed() throws {
        let dir = try Fixtures.temporaryDirectory()
        let model = dir.appendingPathComponent("gpt2")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: false)
        for (name, source) in [("config.json", "gpt2-tiny"), ("model.safetensors", "gpt2-tiny"), ("tokenizer.json", "llama-tiny")] {
            try FileManager.default.copyItem(at: Fixtures.fixture("\(source)/\(name)"), to: model.appendingPathComponent(name))
        }
        let out = dir.appendingPathComponent("out")
        let run = try CLIRunner.run(["export", "--model", model.path, "--format", "safetensors", "--out", out.path])
        #expect(run.status == 2 && run.stderr.contains("GPT-2 family") && run.stderr.contains(model.path), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func existingOutputNeedsForce() throws {
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("x.gguf")
        try Data("keep".utf8).write(to: out)
        let refused = try CLIRunner.run(["export", "--model", Self.tiny.path, "--format", "gguf-f32", "--out", out.path])
        #expect(refused.status == 2 && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try Data(contentsOf: out) == Data("keep".utf8))
        let forced = try CLIRunner.run(["export", "--model", Self.tiny.path, "--format", "gguf-f32", "--out", out.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try Data(contentsOf: out).prefix(4) == Data("GGUF".utf8))
    }
}
