import AtlasTestSupport
import Foundation
import Testing

/// `build` and `export` killed with SIGKILL at many moments: what they write (results, unit
/// cache, history, site; the export) is each either the old or the new version, never half
/// written, and the next run succeeds and ends in the new version.
@Suite struct KilledRunEndToEndTests {
    /// The visible state of a study folder after a build.
    struct StudyState: Equatable {
        /// `results/*.json`, name → bytes.
        var results: [String: Data]
        /// `results/.cache/units/*.json`.
        var cache: [String: Data]
        var history: Data?
        /// Every file under `site/`, relative path → bytes.
        var site: [String: Data]

        init(_ dir: URL) throws {
            let results = dir.appendingPathComponent("results")
            self.results = try Files.visible(in: results, suffix: ".json")
            cache = try Files.visible(in: results.appendingPathComponent(".cache/units"), suffix: ".json")
            history = FileManager.default.contents(atPath: results.appendingPathComponent("history.jsonl").path)
            site = try Files.tree(dir.appendingPathComponent("site"))
        }
    }

    /// The study of `NightlyEndToEndTests` built once (old: 3 windows), and a copy built again
    /// with 2 windows (new: every unit recomputed). Made once for all kill moments.
    struct Study: Sendable {
        let template: URL
        let reference: URL
        let seconds: Double

        static let shared: Result<Study, any Error> = Result { try Study() }

        init() throws {
            template = try NightlyEndToEndTests.studyFolder()
            let old = try CLIRunner.run(Self.build(runID: "night-1"), in: template)
            guard old.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["stderr": old.stderr]) }
            reference = try Self.copy(template)
            let start = Date()
            let new = try CLIRunner.run(Self.build(runID: "night-2"), in: reference)
            seconds = Date().timeIntervalSince(start)
            guard new.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["stderr": new.stderr]) }
        }

        static func build(runID: String) -> [String] { ["build", "atlas.yaml", "--threads", "1", "--run-id", runID] }

        /// A fresh copy of `folder` whose study asks for 2 windows instead of 3.
        static func copy(_ folder: URL) throws -> URL {
            let dir = try Fixtures.temporaryDirectory().appendingPathComponent("study")
            try FileManager.default.copyItem(at: folder, to: dir)
            let study = dir.appendingPathComponent("atlas.yaml")
            let text = try String(contentsOf: study, encoding: .utf8).replacingOccurrences(of: "windows: 3", with: "windows: 2")
            try text.write(to: study, atomically: true, encoding: .utf8)
            return dir
        }
    }

    /// Seeded random delays over the length of one build and a little past it: one in each of
    /// 10 strata, denser early (the squared fraction), where the units are computed and cached
    /// (the site render takes the second half). Then the hidden `--kill-at` points between and
    /// inside the writes.
    static let delays: [Double] = {
        var state: UInt64 = 16
        return (0..<10).map { i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let u = Double(state >> 11) / Double(1 << 53)
            return 1.1 * ((Double(i) + u) / 10) * ((Double(i) + u) / 10)
        }
    }()

    @Test(arguments: delays)
    func aBuildKilledAfterARandomDelayLeavesOldOrNew(fraction: Double) throws {
        let study = try Study.shared.get()
        try killAndRecover(study, arguments: Study.build(runID: "night-2"), delay: fraction * study.seconds)
    }

    @Test(arguments: ["after-results", "after-history", "site-half-written", "site-before-swap"])
    func aBuildKilledBetweenItsWritesLeavesOldOrNew(point: String) throws {
        let study = try Study.shared.get()
        let killed = try killAndRecover(study, arguments: Study.build(runID: "night-2") + ["--kill-at", point], delay: nil)
        let old = try StudyState(study.template), new = try StudyState(study.reference)
        // Each point is reached: the writes before it are new, those after it old.
        #expect(killed.results == new.results)
        #expect(killed.history == (point == "after-results" ? old.history : new.history))
        #expect(killed.site == old.site)
    }

    /// Copies the old study, runs `arguments` and SIGKILLs it after `delay` seconds (nil: it
    /// kills itself), checks every part is old or new, then reruns to completion.
    @discardableResult
    func killAndRecover(_ study: Study, arguments: [String], delay: Double?,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> StudyState {
        let dir = try Study.copy(study.template)
        let old = try StudyState(study.template), new = try StudyState(study.reference)
        let signalled = try Killer.run(arguments, in: dir, killAfter: delay)
        if delay == nil { #expect(signalled, "the process killed itself", sourceLocation: sourceLocation) }
        let killed = try StudyState(dir)
        for (name, data) in killed.results {
            #expect(data == old.results[name] || data == new.results[name], "results/\(name) is neither old nor new", sourceLocation: sourceLocation)
        }
        #expect(Set(killed.results.keys) == Set(new.results.keys), sourceLocation: sourceLocation)
        for (name, data) in killed.cache {
            #expect(data == (new.cache[name] ?? old.cache[name]), "cache entry \(name) is not a complete entry", sourceLocation: sourceLocation)
        }
        #expect(killed.history == old.history || killed.history == new.history, "history is neither old nor new", sourceLocation: sourceLocation)
        #expect(killed.site == old.site || killed.site == new.site, "site is neither old nor new", sourceLocation: sourceLocation)
        let hashes = dir.appendingPathComponent("results/.cache/file-hashes.json")
        #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: hashes))) != nil, "file-hashes.json is complete JSON", sourceLocation: sourceLocation)

        let rerun = try CLIRunner.run(Study.build(runID: "night-2"), in: dir)
        #expect(rerun.status == 0, "the next run recovers: \(rerun.stderr)", sourceLocation: sourceLocation)
        let recovered = try StudyState(dir)
        #expect(recovered.results == new.results && Set(recovered.site.keys) == Set(new.site.keys), sourceLocation: sourceLocation)
        for (name, data) in new.cache { #expect(recovered.cache[name] == data, sourceLocation: sourceLocation) }
        // The history keeps the old lines, then this run's (twice when the killed run had written them).
        let oldLines = Files.lines(old.history), newLines = Files.lines(new.history), lines = Files.lines(recovered.history)
        #expect(lines.starts(with: newLines) && lines.count <= newLines.count + newLines.count - oldLines.count,
                "history: \(lines.count) lines", sourceLocation: sourceLocation)
        if killed.history == old.history { #expect(recovered == new, sourceLocation: sourceLocation) }
        return killed
    }

    /// An export with --force over an older one (llama-tiny F16 → F32, rotated), killed after
    /// each delay: the output is the old export or the new one, and a rerun writes the new one.
    @Test(arguments: ["safetensors", "gguf-f16"], [0.0, 0.03, 0.06, 0.09, 0.12, 0.2])
    func anExportKilledLeavesTheOldOrTheNewOutput(format: String, delay: Double) throws {
        let dir = try Fixtures.temporaryDirectory()
        for (name, source) in [("f16.gguf", "llama-tiny.F16.gguf"), ("f32.gguf", "llama-tiny.F32.gguf")] {
            try FileManager.default.copyItem(at: Fixtures.fixture("llama-tiny-gguf/\(source)"), to: dir.appendingPathComponent(name))
        }
        func export(_ model: String, to out: String) -> [String] {
            ["export", "--model", model, "--mitigation", "rotation:seed=1", "--format", format, "--out", out, "--force", "--threads", "1"]
        }
        #expect(try CLIRunner.run(export("f16.gguf", to: "out"), in: dir).status == 0)
        #expect(try CLIRunner.run(export("f32.gguf", to: "reference"), in: dir).status == 0)
        let old = try Files.tree(dir.appendingPathComponent("out")), new = try Files.tree(dir.appendingPathComponent("reference"))
        #expect(old != new && !new.isEmpty)
        _ = try Killer.run(export("f32.gguf", to: "out"), in: dir, killAfter: delay)
        let killed = try Files.tree(dir.appendingPathComponent("out"))
        #expect(killed == old || killed == new, "the export is neither old nor new: \(killed.keys.sorted())")
        #expect(try CLIRunner.run(export("f32.gguf", to: "out"), in: dir).status == 0)
        #expect(try Files.tree(dir.appendingPathComponent("out")) == new)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".out.") }
        #expect(leftovers.isEmpty, "staging left beside the output: \(leftovers)")
    }
}

/// Runs the CLI and SIGKILLs it after a delay.
enum Killer {
    /// True when the process ended by a signal (killed here, or by itself).
    static func run(_ arguments: [String], in directory: URL, killAfter delay: Double?) throws -> Bool {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["OUTLIER_ATLAS_HOME"] = Fixtures.repoRoot.path
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let delay {
            usleep(useconds_t(delay * 1_000_000))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
    }
}

/// File trees as dictionaries of bytes.
enum Files {
    /// Files directly in `dir` ending in `suffix`, not hidden (what the readers see).
    static func visible(in dir: URL, suffix: String) throws -> [String: Data] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return try Dictionary(uniqueKeysWithValues: names.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }
            .map { ($0, try Data(contentsOf: dir.appendingPathComponent($0))) })
    }

    /// Every regular file under `root` (or `root` itself when it is a file, as ""), relative path → bytes.
    static func tree(_ root: URL) throws -> [String: Data] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else { return [:] }
        guard isDirectory.boolValue else { return ["": try Data(contentsOf: root)] }
        var out: [String: Data] = [:]
        let base = root.resolvingSymlinksInPath().path
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) ?? .init()
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out[String(url.resolvingSymlinksInPath().path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }

    static func lines(_ data: Data?) -> [Substring] {
        String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n")
    }
}
