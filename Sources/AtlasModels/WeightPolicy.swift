#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Where a GGUF model's weight matrices live while it runs.
public enum WeightResidency: String, Sendable, CaseIterable {
    /// Dequantized once at load: fastest, 4 bytes per weight.
    case float32
    /// Left in the file's blocks (memory-mapped), dequantized per product to the same bits.
    case quantized
}

/// How the loader chooses the residency: fixed, or `auto` — Float32 unless the Float32 weights
/// (plus a working margin) would not fit in the memory the process may use.
public enum WeightPolicy: Sendable, Equatable {
    case fixed(WeightResidency)
    /// `maxMemory`: a budget in bytes on top of what the machine and the process limits allow.
    case auto(maxMemory: Int?)

    /// Float32 bytes a run needs beyond the weights themselves: activations of a 512-token
    /// window, logits, the statistics, the runtime (measured on SmolLM2 and Gemma-3-270m: the
    /// peak RSS exceeds the Float32 weights by 0.35–0.7 GB; doubled for headroom).
    public static let workingMargin = 1 << 30

    /// The residency for a model whose weights take `float32Bytes` in Float32, given `budget`
    /// bytes of memory (nil: unknown, assume it fits).
    public func residency(float32Bytes: Int, budget: Int?) -> WeightResidency {
        switch self {
        case .fixed(let r): return r
        case .auto(let maxMemory):
            let limits = [budget, maxMemory].compactMap { $0 }
            guard let available = limits.min() else { return .float32 }
            return float32Bytes + Self.workingMargin > available ? .quantized : .float32
        }
    }

    /// The memory this process may use: the smallest of MemAvailable (/proc/meminfo) and the
    /// soft RLIMIT_DATA / RLIMIT_AS limits; nil when none is known.
    public static func processBudget() -> Int? {
        var limits: [Int] = []
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            limits.append(kib * 1024)
        }
        #if canImport(Glibc)
        for resource in [RLIMIT_DATA, RLIMIT_AS] {
            var limit = rlimit()
            if getrlimit(__rlimit_resource_t(resource.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
                limits.append(Int(clamping: limit.rlim_cur))
            }
        }
        #endif
        return limits.min()
    }
}

/// A size on the command line or in a study: `512M`, `2G`, `1.5GiB`, `800000000`.
public enum ByteSize {
    public static func parse(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let gib = 1_073_741_824.0, mib = 1_048_576.0, kib = 1024.0
        let units: [(String, Double)] = [("GIB", gib), ("MIB", mib), ("KIB", kib), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3),
                                         ("G", gib), ("M", mib), ("K", kib), ("B", 1)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            guard let v = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), v > 0, v.isFinite else { return nil }
            return Int(exactly: (v * scale).rounded()) ?? nil
        }
        guard let v = Int(t), v > 0 else { return nil }
        return v
    }
}
