#!/usr/bin/env python3
"""Adds the parts of a run split with --first-window (e.g. windows 0–19 and 20–39 in two
processes) from the sums each part's JSON carries, and writes the whole run's JSON and table.

    python3 merge.py part0.json part20.json --json ref.json --markdown ref.md
"""
import argparse, json, math
from smollm2_reference import markdown


def perplexity(s):
    return {"all_positions": math.exp(s["nll_all"] / s["n_all"]), "second_half": math.exp(s["nll_half"] / s["n_half"]),
            "sums": s}


def add(a, b):
    return {k: a[k] + b[k] for k in a}


def merge(parts):
    """Every figure summed over the parts that have it; "windows" says over how many windows
    (a part run with fewer variants, e.g. --seeds 0 --no-variant-float, leaves the others on
    fewer windows); "window_list" lists the windows of the baseline."""
    parts = sorted(parts, key=lambda p: p["first_window"])
    covered = [w for p in parts for w in range(p["first_window"], p["first_window"] + p["windows"])]
    if len(set(covered)) != len(covered):
        raise SystemExit("parts overlap: windows " + ", ".join(map(str, sorted(covered))))
    out = dict(parts[0])
    out["windows"] = len(covered)
    out["window_list"] = covered  # with gaps if a part was interrupted
    out["seconds"] = max(p["seconds"] for p in parts)
    out["massive_count"] = sum(p["massive_count"] for p in parts)
    out["massive_activations"] = [m for p in parts for m in p["massive_activations"]][:200]
    out["variants"] = {}
    names = list(dict.fromkeys(n for p in parts for n in p["variants"]))
    for name in names:
        vs = [(p["windows"], p["variants"][name]) for p in parts if name in p["variants"]]
        merged = {"note": vs[-1][1]["note"], "quantization": {}}
        floats = [(w, v["float"]) for w, v in vs if "float" in v]
        if floats:
            sums = floats[0][1]["perplexity"]["sums"]
            for _, f in floats[1:]:
                sums = add(sums, f["perplexity"]["sums"])
            merged["float"] = {"perplexity": perplexity(sums), "windows": sum(w for w, _ in floats)}
            key = "max_logit_change_relative_to_range"
            if key in floats[0][1]:
                merged["float"][key] = max(f[key] for _, f in floats)
        for scheme in dict.fromkeys(s for _, v in vs for s in v["quantization"]):
            qs = [(w, v["quantization"][scheme]) for w, v in vs if scheme in v["quantization"]]
            ppl, lock = qs[0][1]["perplexity"]["sums"], qs[0][1]["sums"]
            for _, q in qs[1:]:
                ppl, lock = add(ppl, q["perplexity"]["sums"]), add(lock, q["sums"])
            n = lock["positions"]
            merged["quantization"][scheme] = {"perplexity": perplexity(ppl), "kl_mean": lock["kl"] / n,
                                              "top1_agreement": lock["agree"] / n, "mean_abs_delta_p_true": lock["dp"] / n,
                                              "windows": sum(w for w, _ in qs), "sums": lock}
        out["variants"][name] = merged
    out["perplexity"] = out["variants"]["baseline"]["float"]["perplexity"]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("parts", nargs="+"); ap.add_argument("--json"); ap.add_argument("--markdown")
    a = ap.parse_args()
    result = merge([json.load(open(p)) for p in a.parts])
    if a.json:
        open(a.json, "w").write(json.dumps(result, indent=1) + "\n")
    if a.markdown:
        open(a.markdown, "w").write(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
