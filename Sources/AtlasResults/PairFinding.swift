/// The one-sentence finding of a pair, e.g. "B diverges first at block 11 ffn.down_in
/// (SQNR 18.2 dB < 20 dB), where the largest activation at the block output is 6 % smaller."
/// Pure.
public enum PairFinding {
    public static func sentence(_ p: PairResult) -> String {
        guard let first = p.firstDivergence,
              let tap = p.taps.first(where: { $0.block == first.block && $0.tap == first.tap }) else {
            let worst = p.taps.min { $0.sqnrDB < $1.sqnrDB }
            if let worst, worst.sqnrDB.isFinite {
                return "\(p.label) stays above \(NumberFormat.compact(p.divergenceDB)) dB at every tap; the lowest is block \(worst.block) \(worst.tap) at \(NumberFormat.significant(worst.sqnrDB)) dB."
            }
            return "\(p.label) gives identical activations at every compared tap."
        }
        var s = "\(p.label) diverges first at block \(first.block) \(first.tap) (SQNR \(NumberFormat.significant(tap.sqnrDB)) dB < \(NumberFormat.compact(p.divergenceDB)) dB)"
        if let change = p.massive.first(where: { $0.block == first.block })?.topChange, change.isFinite {
            let percent = NumberFormat.significant(abs(change) * 100)
            s += change == 0 ? ", where the largest block-output activation is unchanged"
                : ", where the largest block-output activation is \(percent) % \(change < 0 ? "smaller" : "larger")"
        }
        return s + "."
    }

    /// Where the logit-lens KL grows most, e.g. "KL(A ‖ B) read through the head grows most at
    /// block 1 (+0.0310 nats of 0.0920 at the last block)." Nil without lens readings.
    public static func klSentence(_ p: PairResult) -> String? {
        let contributions = p.klContributions
        guard let last = (p.lens ?? []).max(by: { $0.block < $1.block }), last.klMean.isFinite,
              let top = contributions.filter({ $0.kl.isFinite }).max(by: { $0.kl < $1.kl }) else { return nil }
        guard last.klMean > 0, top.kl > 0 else {
            return "The logit-lens KL is 0 at every block: both checkpoints predict the same at every block output."
        }
        return "KL read through the head (logit lens) grows most at block \(top.block) (+\(NumberFormat.significant(top.kl)) nats of \(NumberFormat.significant(last.klMean)) at the last block)."
    }
}
