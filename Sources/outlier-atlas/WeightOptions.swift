import AtlasModels
import ArgumentParser

/// `--weights` and `--max-memory` (analyze, build): where a GGUF model's weights live.
struct WeightOptions: ParsableArguments {
    @Option(name: .long, help: "GGUF weights: auto (Float32 unless it would not fit in memory: see --max-memory), float32 (dequantize at load), quantized (keep the file's blocks memory-mapped, dequantize per product; same numbers, less memory).")
    var weights: WeightChoice = .auto

    @Option(name: .customLong("max-memory"), help: "Memory budget for --weights auto, e.g. 4G or 800M (default: what the machine and the process limits allow).")
    var maxMemory: String?

    enum WeightChoice: String, ExpressibleByArgument, CaseIterable { case auto, float32, quantized }

    func validate() throws {
        if let maxMemory, ByteSize.parse(maxMemory) == nil {
            throw ValidationError("--max-memory: '\(maxMemory)' is not a size (e.g. 4G, 800M, 1.5GiB, 2000000000)")
        }
        if maxMemory != nil && weights != .auto {
            throw ValidationError("--max-memory applies to --weights auto only (found --weights \(weights.rawValue))")
        }
    }

    var policy: WeightPolicy {
        switch weights {
        case .auto: return .auto(maxMemory: maxMemory.flatMap(ByteSize.parse))
        case .float32: return .fixed(.float32)
        case .quantized: return .fixed(.quantized)
        }
    }
}
