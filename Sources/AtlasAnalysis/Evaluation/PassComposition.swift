import AtlasModels

/// The one place that decides which interventions and observers see the taps of a forward pass,
/// and in which order. At every tap, rewrites happen in member order, then observers see the
/// final value:
///
/// 1. the mitigation's runtime intervention (`AnalyzedModel.intervention`: clipping, massive
///    removal) — first, so everything after it sees the mitigated model, on float and quantized
///    passes alike (`after`);
/// 2. the scheme's fake quantization of Linear inputs and the KV cache — quantized passes only;
/// 3. the error trackers (float references, accumulated error) and calibration observers;
/// 4. the statistics.
///
/// Float pass: 1, 4, then every scheme's float-side tracker (`float`). Quantized pass of one
/// scheme: 1, 2, its quantized-side tracker (`quantized`).
public enum PassComposition {
    /// The float pass of an analysis: statistics, then each scheme's float-side observer.
    public static func float(statistics: TapObserver?, trackers: [TapObserver]) -> TapObserver? {
        chain([statistics] + trackers)
    }

    /// The quantized pass of one scheme: its fake quantization, then its error tracker.
    public static func quantized(fakeQuantization: TapObserver, tracker: TapObserver) -> TapObserver {
        TapObservers([fakeQuantization, tracker])
    }

    /// `observer` behind the model's own intervention (step 1).
    public static func after(_ intervention: TapObserver?, _ observer: TapObserver?) -> TapObserver? {
        chain([intervention, observer])
    }

    /// The members in order, without nils; one member is passed as it is.
    static func chain(_ members: [TapObserver?]) -> TapObserver? {
        let present = members.compactMap { $0 }
        switch present.count {
        case 0: return nil
        case 1: return present[0]
        default: return TapObservers(present)
        }
    }
}
