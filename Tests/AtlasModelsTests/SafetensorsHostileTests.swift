import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Malformed safetensors files and index folders, made from llama-tiny: FormatErrors, never crashes.
@Suite struct SafetensorsHostileTests {
    static let source = Fixtures.fixture("llama-tiny/model.safetensors")
    static let a = "model.layers.0.input_layernorm.weight"
    static let b = "model.layers.0.post_attention_layernorm.weight"

    /// The file split into its header object and data section.
    static func parts() throws -> (header: [String: Any], data: Data) {
        let full = try Data(contentsOf: source)
        let n = Int(full.read(UInt64.self, at: 0))
        let header = try #require(try JSONSerialization.jsonObject(with: full.subdata(in: 8..<(8 + n))) as? [String: Any])
        return (header, full.subdata(in: (8 + n)..<full.count))
    }

    static func assemble(json: Data, data: Data) -> Data {
        var out = Data()
        Swift.withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(data)
        return out
    }

    /// Rewrites one tensor's header entry and expects a FormatError about `field`.
    func expectRejected(field: String, sourceLocation: SourceLocation = #_sourceLocation,
                        _ edit: (inout [String: Any], inout Data) throws -> Void) throws {
        var (header, data) = try Self.parts()
        try edit(&header, &data)
        let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        try expectRejected(Self.assemble(json: json, data: data), field: field, sourceLocation: sourceLocation)
    }

    func expectRejected(_ bytes: Data, field: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try writeTemp(bytes, name: "bad.safetensors", in: dir)
        expectFormatError(url, field: field, sourceLocation: sourceLocation) { _ = try SafetensorsFile(url: url) }
    }

    static func entry(_ header: [String: Any], _ name: String) -> [String: Any] { header[name] as! [String: Any] }

    @Test func rewrittenHeaderStillReads() throws {
        // The harness itself: re-serialising an unmodified header gives a valid file.
        let (header, data) = try Self.parts()
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let url = try writeTemp(Self.assemble(json: json, data: data), name: "ok.safetensors", in: dir)
        let f = try SafetensorsFile(url: url)
        #expect(try f.floats(Self.b) == (try SafetensorsFile(url: Self.source).floats(Self.b)))
    }

    @Test func headerLength() throws {
        let full = try Data(contentsOf: Self.source)
        var past = full
        past.put(UInt64(full.count), at: 0)
        try expectRejected(past, field: "header length")
        var huge = full
        huge.put(UInt64(100 << 20), at: 0)
        try expectRejected(huge, field: "header length")
        var max = full
        max.put(UInt64.max, at: 0)
        try expectRejected(max, field: "header length")
        try expectRejected(full.prefix(5), field: "header length")
    }

    @Test func everyTruncationIsAnError() throws {
        let full = try Data(contentsOf: Self.source)
        let headerEnd = 8 + Int(full.read(UInt64.self, at: 0))
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("cut.safetensors")
        let lengths = Array(0..<300) + Array(stride(from: 300, to: headerEnd + 40, by: 11)) + [full.count - 1]
        for n in lengths {
            try full.prefix(n).write(to: url)
            expectFormatError(url, field: "") { _ = try SafetensorsFile(url: url) }
        }
    }

    @Test func badJSON() throws {
        let (_, data) = try Self.parts()
        try expectRejected(Self.assemble(json: Data(#"{"a": {"dtype": "F32", "#.utf8), data: data), field: "header JSON")
        try expectRejected(Self.assemble(json: Data("[1, 2, 3]".utf8), data: data), field: "header JSON")
        try expectRejected(Self.assemble(json: Data(repeating: 0xFF, count: 16), data: data), field: "header JSON")
        try expectRejected(field: "__metadata__") { h, _ in h["__metadata__"] = ["format": 3] }
        try expectRejected(field: "tensor '\(Self.a)'") { h, _ in h[Self.a] = "not an object" }
    }

    @Test func badEntries() throws {
        let a = Self.a, b = Self.b
        try expectRejected(field: "tensor '\(a)' dtype") { h, _ in
            var e = Self.entry(h, a); e["dtype"] = "F33"; h[a] = e
        }
        try expectRejected(field: "tensor '\(a)' dtype") { h, _ in
            var e = Self.entry(h, a); e["dtype"] = nil; h[a] = e
        }
        try expectRejected(field: "tensor '\(a)' shape") { h, _ in
            var e = Self.entry(h, a); e["shape"] = [65]; h[a] = e
        }
        try expectRejected(field: "tensor '\(a)' shape") { h, _ in
            var e = Self.entry(h, a); e["shape"] = [-64]; h[a] = e
        }
        try expectRejected(field: "tensor '\(a)' shape") { h, _ in
            var e = Self.entry(h, a); e["shape"] = [1 << 40, 1 << 40]; h[a] = e
        }
        try expectRejected(field: "tensor '\(a)' shape") { h, _ in
            var e = Self.entry(h, a); e["shape"] = [64.5]; h[a] = e
        }
        // Zero elements, but the other dims multiply past 64 bits (rows of a flattening would overflow).
        try expectRejected(field: "tensor '\(a)' shape") { h, _ in
            var e = Self.entry(h, a); e["shape"] = [1 << 40, 1 << 40, 0]; e["data_offsets"] = [0, 0]; h[a] = e
        }
        try expectRejected(field: "tensor '\(a)' data_offsets") { h, _ in
            var e = Self.entry(h, a); e["data_offsets"] = [256, 0]; h[a] = e
        }
        try expectRejected(field: "tensor '\(a)' data_offsets") { h, _ in
            var e = Self.entry(h, a); e["data_offsets"] = [0]; h[a] = e
        }
        // Overlapping ranges: b points at a's bytes.
        try expectRejected(field: "data_offsets") { h, _ in
            var e = Self.entry(h, b); e["data_offsets"] = Self.entry(h, a)["data_offsets"]; h[b] = e
        }
        // A range past the end of the data section (the file lost its last bytes).
        try expectRejected(field: "data_offsets") { _, data in data.removeLast(100) }
    }

    /// Every same-shape matrix pointing at the embedding's first bytes (a file whose blocks all
    /// alias one tensor) is refused by the overlap check GGUF shares (`TensorOverlap`).
    @Test func sameShapeTensorsAliasingTheEmbeddingAreRefused() throws {
        let embedding = "model.embed_tokens.weight"
        try expectRejected(field: "data_offsets") { h, _ in
            let start = (Self.entry(h, embedding)["data_offsets"] as! [Int])[0]
            for (name, value) in h where name != embedding && name != "__metadata__" {
                var e = value as! [String: Any]
                guard e["shape"] as? [Int] == [64, 64] else { continue }
                e["data_offsets"] = [start, start + 64 * 64 * 4]
                h[name] = e
            }
        }
    }

    // MARK: sharded folders

    static func copyShardedFolder() throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        let src = Fixtures.fixture("llama-tiny-sharded")
        for name in try FileManager.default.contentsOfDirectory(atPath: src.path) {
            try FileManager.default.copyItem(at: src.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        return dir
    }

    func expectIndexRejected(field: String, sourceLocation: SourceLocation = #_sourceLocation,
                             _ edit: (inout [String: Any]) -> Void) throws {
        let dir = try Self.copyShardedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = dir.appendingPathComponent(SafetensorsFolder.indexFileName)
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: index)) as? [String: Any])
        edit(&root)
        try JSONSerialization.data(withJSONObject: root).write(to: index)
        expectFormatError(index, field: field, sourceLocation: sourceLocation) { _ = try SafetensorsFolder(directory: dir) }
    }

    @Test func badIndex() throws {
        func edit(_ root: inout [String: Any], _ tensor: String, _ shard: Any) {
            var map = root["weight_map"] as! [String: Any]
            map[tensor] = shard
            root["weight_map"] = map
        }
        try expectIndexRejected(field: "shard 'model-00003-of-00002.safetensors'") {
            edit(&$0, Self.a, "model-00003-of-00002.safetensors")
        }
        try expectIndexRejected(field: "weight_map['model.extra.weight']") {
            edit(&$0, "model.extra.weight", "model-00001-of-00002.safetensors")
        }
        // A tensor listed under the wrong shard.
        let inShard2 = "model.layers.1.post_attention_layernorm.weight"
        try expectIndexRejected(field: "weight_map['\(inShard2)']") { edit(&$0, inShard2, "model-00001-of-00002.safetensors") }
        try expectIndexRejected(field: "weight_map['\(Self.a)']") { edit(&$0, Self.a, "../model.safetensors") }
        try expectIndexRejected(field: "weight_map['\(Self.a)']") { edit(&$0, Self.a, 7) }
        try expectIndexRejected(field: "weight_map") { $0["weight_map"] = ["a", "b"] }
        try expectIndexRejected(field: "weight_map") { $0["weight_map"] = nil }

        // Malformed JSON, and a folder with no checkpoint at all.
        let dir = try Self.copyShardedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = dir.appendingPathComponent(SafetensorsFolder.indexFileName)
        try Data("{ nope".utf8).write(to: index)
        expectFormatError(index, field: "JSON") { _ = try SafetensorsFolder(directory: dir) }
        let empty = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        expectFormatError(empty, field: "checkpoint") { _ = try SafetensorsFolder(directory: empty) }
    }
}
