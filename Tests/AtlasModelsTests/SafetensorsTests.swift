import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

@Suite struct SafetensorsTests {
    static let single = Fixtures.fixture("llama-tiny/model.safetensors")
    static let sharded = Fixtures.fixture("llama-tiny-sharded")

    @Test func singleFileTable() throws {
        let f = try SafetensorsFile(url: Self.single)
        #expect(f.tensorNames == f.tensorNames.sorted())
        #expect(f.tensorNames.count == 29)     // tied embeddings: no lm_head
        let down = try #require(f.info("model.layers.1.mlp.down_proj.weight"))
        #expect(down.dtype == .f32 && down.shape == [64, 160] && down.byteRange.count == 64 * 160 * 4)
        let m = try f.matrix("model.layers.1.mlp.down_proj.weight")
        #expect(m.rows == 64 && m.cols == 160)
        // The planted massive-activation weight (README: [7, 117] -> -1543.13).
        #expect(abs(m[7, 117] - -1543.13) < 0.01)
        let norm = try f.matrix("model.norm.weight")
        #expect(norm.rows == 1 && norm.cols == 64)
    }

    @Test func shardedFolderEqualsSingleFile() throws {
        let folder = try SafetensorsFolder(directory: Self.sharded)
        let single = try SafetensorsFile(url: Self.single)
        #expect(folder.files.count == 2)
        #expect(folder.tensorNames == single.tensorNames)
        for name in single.tensorNames {
            #expect(try folder.floats(name) == (try single.floats(name)), "\(name)")
            #expect(folder.info(name)?.shape == single.info(name)?.shape)
        }
        #expect(folder.url(of: "model.layers.1.post_attention_layernorm.weight")?.lastPathComponent
                == "model-00002-of-00002.safetensors")
        // A folder with only model.safetensors reads the single file.
        let plain = try SafetensorsFolder(directory: Self.single.deletingLastPathComponent())
        #expect(plain.tensorNames == single.tensorNames)
        #expect(try plain.matrix("model.embed_tokens.weight") == (try single.matrix("model.embed_tokens.weight")))
    }

    /// torch `.to(float16/bfloat16)` rounds to nearest even; the upcast copies must reproduce it.
    @Test(arguments: ["f16", "bf16"]) func halfCopiesAreTorchRoundings(kind: String) throws {
        let full = try SafetensorsFile(url: Self.single)
        let half = try SafetensorsFile(url: Fixtures.fixture("llama-tiny/model.\(kind).safetensors"))
        #expect(half.tensorNames == full.tensorNames)
        let relBound: Float = kind == "f16" ? 0x1p-11 : 0x1p-8
        for name in full.tensorNames {
            #expect(half.info(name)?.dtype == (kind == "f16" ? .f16 : .bf16))
            let a = try full.floats(name), b = try half.floats(name)
            #expect(a.count == b.count)
            var worst: Float = 0, inexact = 0
            for (x, y) in zip(a, b) {
                let rounded = kind == "f16" ? Float(Float16(x)) : Self.bf16RoundNearestEven(x)
                if rounded.bitPattern != y.bitPattern { inexact += 1 }
                worst = max(worst, abs(y - x) - (relBound * abs(x) + 0x1p-24))
            }
            #expect(inexact == 0, "\(name): \(inexact) values differ from round-to-nearest-even")
            #expect(worst <= 0, "\(name)")
        }
    }

    static func bf16RoundNearestEven(_ x: Float) -> Float {
        let bits = x.bitPattern
        let rounded = (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000
        return Float(bitPattern: rounded)
    }

    @Test func rawBytesAndMetadata() throws {
        let e = try SafetensorsFile(url: Fixtures.fixture("quant-blocks.expected.safetensors"))
        let raw = try e.uint8s("Q4_K.raw")
        #expect(raw.count == 2 * 288)
        #expect(try e.int64s("Q4_K.raw").map(UInt8.init) == raw)
        expectFormatError(e.url, field: "dtype") { _ = try e.uint8s("Q4_K.dequant") }
        let f = try SafetensorsFile(url: Self.single)
        #expect(f.metadata["format"] == "pt")
    }
}
