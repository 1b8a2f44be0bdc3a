import AtlasModels
import Foundation

/// Exports a mitigated variant as weights a user can take to their own runtime: the mitigations
/// are applied in order (each on the previous result, calibrating on `calibration`), and the
/// resulting LLaMA-family model is written by `ModelExport`. Only weight transforms can be
/// exported: a mitigation that acts at runtime (an intervention at the taps, e.g. tma-removal)
/// or only inside quantized matmuls has no weights to carry it, and is refused.
public enum VariantExport {
    /// The mitigations whose whole effect is in the weights.
    public static let exportable = ["gamma-smoothing", "otc-tuning", "rotation", "smoothquant"]
    /// The mitigations that read calibration windows.
    public static let calibrated = ["smoothquant", "tma-removal"]

    /// Checks the specs before any model is loaded: exportable names, and calibration text when
    /// one needs it.
    public static func check(_ specs: [MitigationSpec], hasCalibration: Bool) throws(MitigationError) {
        for spec in specs {
            guard exportable.contains(spec.name) else {
                throw MitigationError(spec: spec.description, field: "name", found: "'\(spec.name)' (acts at runtime or inside quantized matmuls, not in the weights)",
                                      expected: "a weight transform: one of " + exportable.joined(separator: ", "))
            }
            guard hasCalibration || !calibrated.contains(spec.name) else {
                throw MitigationError(spec: spec.description, field: "--text", found: "nothing",
                                      expected: "calibration text for \(spec.name)'s activation scales")
            }
        }
    }

    /// The variant: `specs` applied in order to `loaded`'s network, whose family must be one
    /// `ModelExport` writes.
    public static func variant(_ loaded: LoadedModel, specs: [MitigationSpec], calibration: [[Int32]]) throws -> (model: any DecoderModel, outcomes: [MitigationOutcome]) {
        let family = loaded.network.family
        guard ModelExport.canExport(family), let base = loaded.encoder == nil ? try loaded.decoder() : nil else {
            throw FormatError(file: loaded.url.path, field: "architecture",
                              found: "\(loaded.network.architecture) (\(family.summary))",
                              expected: "a LLaMA-family model (llama, mistral, qwen2): export writes LLaMA layouts only")
        }
        try check(specs, hasCalibration: !calibration.isEmpty)
        var model: any DecoderModel = base
        var outcomes: [MitigationOutcome] = []
        for spec in specs {
            let outcome = try Mitigations.apply(spec, to: model, calibration: calibration, file: loaded.url.path)
            guard outcome.model.intervention == nil else {
                throw MitigationError(spec: spec.description, field: "outcome", found: "a runtime intervention at the taps",
                                      expected: "a transform of the weights only (an intervention cannot be exported as weights)")
            }
            model = outcome.decoder
            outcomes.append(outcome)
        }
        return (model, outcomes)
    }

    /// Applies `specs` and writes the result to `target` in `format`; `report` receives the
    /// stored types of a GGUF export's tensors (`ExportTensor.typeSummary`).
    @discardableResult
    public static func export(_ loaded: LoadedModel, specs: [MitigationSpec], calibration: [[Int32]], format: ExportFormat,
                              to target: URL, force: Bool = false,
                              report: (String) -> Void = { _ in }) throws -> (model: any DecoderModel, outcomes: [MitigationOutcome]) {
        try AtomicOutput.check(target, force: force)
        let result = try variant(loaded, specs: specs, calibration: calibration)
        let provenance = ExportProvenance(sourceFile: loaded.url.lastPathComponent, sourceSHA256: try FileHash.sha256(model: loaded.url),
                                          mitigations: specs.map(\.description), toolVersion: ModelAnalysis.toolVersion,
                                          notes: result.outcomes.flatMap { o in o.notes.map { "\(o.spec.name): \($0)" } })
        try ModelExport.write(result.model, source: loaded.url, format: format, provenance: provenance, to: target, force: force, report: report)
        return result
    }
}
