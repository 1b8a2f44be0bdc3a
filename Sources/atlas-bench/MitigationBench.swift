import AtlasAnalysis
import AtlasModels
import Foundation

/// The cost of the exact mitigations on the loaded model: the Hadamard R1 rotation (budget
/// 5 s for SmolLM2) and SmoothQuant (calibration forwards included).
enum MitigationBench {
    static func run(_ model: LlamaModel, windows: [[Int32]], time: () -> Double, line: (String) -> Void) throws {
        line("| mitigation | seconds | budget |")
        line("|---|---|---|")
        var start = time()
        _ = try Mitigations.apply(try MitigationSpecParser.parse("rotation"), to: model, calibration: [])
        line("| rotation (R1, d = \(model.hiddenSize)) | \(String(format: "%.2f", time() - start)) | 5 s |")
        start = time()
        let calibration = Array(windows.prefix(4))
        _ = try Mitigations.apply(try MitigationSpecParser.parse("smoothquant"), to: model, calibration: calibration)
        line("| smoothquant (\(calibration.count) calibration windows) | \(String(format: "%.2f", time() - start)) | — |")
    }
}
