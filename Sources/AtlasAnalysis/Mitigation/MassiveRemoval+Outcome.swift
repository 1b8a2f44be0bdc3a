import AtlasModels

extension MassiveRemoval {
    /// `tma-removal[:mode=…,block=…,bias=none|sink|token,windows=N]`: the removal calibrated on the
    /// first `windows` windows. `bias=sink` first gives every block an explicit attention bias
    /// (Sun et al. 2024, §6: a key k′ and value v′ per head that every query sees, which takes
    /// over the sink's role so the model no longer needs to make massive activations): here
    /// calibrated, not trained — the mean over calibration windows of the keys and values each
    /// block computes at position 0, the sink every window has —, held in float as a one-position
    /// cache in front of the window (`bias=token`: instead the keys and values of the first
    /// calibration window's first token, as a one-token prefix-sink). The removal is then calibrated on the model with the bias,
    /// so it takes out only the massive activations that still form.
    static func outcome(_ spec: MitigationSpec, _ model: any DecoderModel, calibration: [[Int32]]) -> MitigationOutcome {
        let windows = Array(calibration.prefix(spec.int("windows")))
        var base = model
        var notes: [String] = []
        switch spec.parameters["bias"] {
        case "sink":
            if let bias = KVPrefix.mean(of: windows.compactMap { $0.first.map { model.prefixCache(tokens: [$0]) } }) {
                base.kvPrefix = bias
                notes.append("explicit attention bias: per block the mean key and value of position 0 over \(windows.count) calibration windows, "
                             + "one float position in front of every window (windows start at position 1, scored on their own tokens)")
            }
        case "token":
            if let first = windows.first?.first {
                base.kvPrefix = model.prefixCache(tokens: [first])
                notes.append("attention bias from one token: the keys and values of id \(first) (the first calibration window's first token) at position 0, "
                             + "one float position in front of every window (windows start at position 1, scored on their own tokens)")
            }
        default: break
        }
        let block = spec.parameters["block"].flatMap { Int($0) }
        let removal = calibrate(base, calibration: windows, mode: Mode(rawValue: spec.parameters["mode"]!)!, blocks: block.map { [$0] })
        let sites = removal.thresholds.keys.sorted().map { b in
            "block \(b): down_in channels " + removal.thresholds[b]!.keys.sorted().map(String.init).joined(separator: ", ")
        }
        // Gemma: a norm on the FFN output makes the spike after ffn.down_out, so y6 holds no trigger;
        // with the bias, the massive activations may not form at all.
        notes += sites.isEmpty
            ? ["no massive activation forms at ffn.down_out in \(windows.count) calibration windows: nothing to remove at y6"]
            : sites
        return MitigationOutcome(spec: spec, model: AnalyzedModel(decoder: base, intervention: removal), exact: false, notes: notes)
    }
}
