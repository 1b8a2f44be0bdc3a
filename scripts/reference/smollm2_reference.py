#!/usr/bin/env python3
"""Independent float32 reference for OutlierAtlas numbers on SmolLM2 (a developer cross-check,
not part of `make test`): float perplexity and massive activations, fake-quantized schemes
(W8A8, W4A16, W4A16-g128) in lockstep with the float model, and the float-exact mitigations
SmoothQuant and R1 rotation followed by W8A8. See README.md for the definitions.

    pip install gguf tokenizers numpy
    OPENBLAS_NUM_THREADS=1 python3 scripts/reference/smollm2_reference.py MODEL.gguf TEXT \\
        --windows 40 --window-size 512 --text-mode joined --json ref.json --markdown ref.md
"""
import argparse, datetime, json, sys, time
import numpy as np
import model as M
import quant as Q
import mitigations as MIT
from metrics import Perplexity, Lockstep, nll


class Variant:
    """A float model and the schemes run on it in lockstep with its own float logits, or, with
    `float_pass=False` (the extra rotation seeds, or --no-variant-float), with the baseline's
    float logits."""

    def __init__(self, name, float_model, schemes, note="", float_pass=True):
        self.name, self.note, self.model, self.float_pass = name, note, float_model, float_pass
        self.quantized = [(s, s.weights(float_model)) for s in schemes]
        self.ppl = Perplexity()
        self.lockstep = {s.name: Lockstep() for s in schemes}
        self.max_rel_change = 0.0  # vs the baseline float logits, relative to their range

    def run(self, cfg, ids, base_logits=None, on_block=None):
        if not self.float_pass:
            for scheme, qmodel in self.quantized:
                self.lockstep[scheme.name].add(base_logits, M.forward(qmodel, cfg, ids, act=scheme.act()), ids)
            return None
        lf = M.forward(self.model, cfg, ids, on_block=on_block)
        self.ppl.add(nll(lf, ids))
        if base_logits is not None:
            rng = float(base_logits.max() - base_logits.min())
            self.max_rel_change = max(self.max_rel_change, float(np.abs(lf - base_logits).max()) / rng)
        for scheme, qmodel in self.quantized:
            self.lockstep[scheme.name].add(lf, M.forward(qmodel, cfg, ids, act=scheme.act()), ids)
        return lf

    def result(self, baseline):
        r = {"note": self.note, "quantization": {k: v.result() for k, v in self.lockstep.items()}}
        if not self.float_pass:
            r["note"] += "; KL, top-1 and abs Δp against the baseline float model (no float pass of its own)"
            return r
        r["float"] = {"perplexity": self.ppl.result()}
        if not baseline:
            r["float"]["max_logit_change_relative_to_range"] = self.max_rel_change
        return r


def markdown(result):
    rows = ["| model | scheme | windows | PPL all positions | PPL second half | KL mean (nats) | top-1 agreement | mean abs Δp(true) |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for name, v in result["variants"].items():
        if "float" in v:
            p = v["float"]["perplexity"]
            rows.append(f"| {name} | float | {v['float'].get('windows', result['windows'])} | {p['all_positions']:.4f} "
                        f"| {p['second_half']:.4f} | | | |")
        for s, q in v["quantization"].items():
            p = q["perplexity"]
            rows.append(f"| {name} | {s} | {q.get('windows', result['windows'])} | {p['all_positions']:.4f} "
                        f"| {p['second_half']:.4f} | {q['kl_mean']:.4f} | {q['top1_agreement']:.4f} "
                        f"| {q['mean_abs_delta_p_true']:.4f} |")
    return "\n".join(rows) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model"); ap.add_argument("text")
    ap.add_argument("--windows", type=int, default=40); ap.add_argument("--window-size", type=int, default=512)
    ap.add_argument("--first-window", type=int, default=0,
                    help="evaluate windows first…first+windows−1 (to split a run; merge.py adds the parts)")
    ap.add_argument("--text-mode", choices=["raw", "joined"], default="raw")
    ap.add_argument("--schemes", default="W8A8,W4A16,W4A16-g128", help="on the baseline; '' for float only")
    ap.add_argument("--alpha", type=float, default=0.5); ap.add_argument("--calibration-windows", type=int, default=4)
    ap.add_argument("--seeds", default="0,1,2", help="rotation seeds; '' skips the rotation")
    ap.add_argument("--no-smoothquant", action="store_true")
    ap.add_argument("--no-variant-float", action="store_true",
                    help="mitigated variants skip their own float pass and compare with the baseline float logits")
    ap.add_argument("--json"); ap.add_argument("--markdown")
    a = ap.parse_args()
    t0 = time.time()
    meta, cfg, base = M.load(a.model)
    n_tokens, all_wins = M.windows(meta, a.text, a.text_mode, max(a.first_window + a.windows, a.calibration_windows), a.window_size)
    calibration, wins = all_wins[:a.calibration_windows], all_wins[a.first_window:a.first_window + a.windows]
    schemes = [Q.SCHEMES[s] for s in a.schemes.split(",") if s]
    variants = [Variant("baseline", base, schemes)]
    if not a.no_smoothquant:
        stats = MIT.channel_absmax(base, cfg, calibration)
        variants.append(Variant("smoothquant", MIT.smoothquant(base, stats, a.alpha), [Q.W8A8],
                                f"alpha={a.alpha}, scales from the first {a.calibration_windows} windows",
                                float_pass=not a.no_variant_float))
    for k, seed in enumerate(int(s) for s in a.seeds.split(",") if s):
        variants.append(Variant("rotation" if k == 0 else f"rotation-seed{seed}", MIT.rotate(base, seed), [Q.W8A8],
                                f"R1, Q = diag(SplitMix64 signs, seed {seed}) · H / sqrt(d)", float_pass=(k == 0 and not a.no_variant_float)))
    print(f"loaded, prepared {len(variants)} variants in {time.time() - t0:.1f}s", file=sys.stderr)
    massive = []
    for wi, ids in enumerate(wins, start=a.first_window):
        t = time.time()

        def on_block(i, x):
            med = np.median(np.abs(x))
            for pos, dim in zip(*np.nonzero((np.abs(x) > 100) & (np.abs(x) > 1000 * med))):
                massive.append({"layer": i, "window": wi, "position": int(pos), "dim": int(dim), "value": float(x[pos, dim])})

        base_logits = variants[0].run(cfg, ids, on_block=on_block)
        for v in variants[1:]:
            v.run(cfg, ids, base_logits=base_logits)
        print(f"window {wi}: {time.time() - t:.1f}s, float ppl {variants[0].ppl.result()['all_positions']:.4f}"
              + "".join(f", {v.name}/{s} {l.ppl.result()['all_positions']:.4f}" for v in variants for s, l in v.lockstep.items()),
              file=sys.stderr, flush=True)
        result = summary(a, n_tokens, wi + 1 - a.first_window, variants, massive, time.time() - t0)
        if a.json:  # after every window, so an interrupted run still leaves its figures so far
            open(a.json, "w").write(json.dumps(result, indent=1) + "\n")
    if a.markdown:
        open(a.markdown, "w").write(markdown(result))
    print(markdown(result) if a.json else json.dumps(result, indent=1))


def summary(a, n_tokens, windows_done, variants, massive, seconds):
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "model": a.model, "text": a.text, "text_mode": a.text_mode, "tokens": n_tokens,
            "first_window": a.first_window, "windows": windows_done, "window_size": a.window_size,
            "perplexity": variants[0].ppl.result(),
            "variants": {v.name: v.result(baseline=(v is variants[0])) for v in variants},
            "massive_count": len(massive), "massive_activations": massive[:200], "seconds": round(seconds, 1)}


if __name__ == "__main__":
    main()
