#!/usr/bin/env python3
"""Independent check of the prefix-sink remedy on SmolLM2 (a developer cross-check, not part of
`make test`): the prefix ids are run once with a KV cache (model.forward's `past`/`kv_out`),
every window then attends to the prefix's float keys and values first and sits at positions
P…P+T−1; perplexity is scored on the window's own predictions (rows 0…T−2, and llama.cpp's
second half), and massive activations (|x| > 100 and > 1000 × median |x| of the block output)
are counted on the window's rows only. The baseline (no prefix) is run beside it.

    OPENBLAS_NUM_THREADS=1 python3 scripts/reference/prefix_sink_reference.py MODEL.gguf TEXT \\
        --prefix-ids 1,2 --windows 40 --window-size 512 --text-mode joined --json prefix.json
"""
import argparse, json, sys, time
import numpy as np
import model as M
from metrics import Perplexity, nll


def massive_counter(counts, key):
    def on_block(i, x):
        med = np.median(np.abs(x))
        counts[key] = counts.get(key, 0) + int(((np.abs(x) > 100) & (np.abs(x) > 1000 * med)).sum())
    return on_block


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model"); ap.add_argument("text")
    ap.add_argument("--prefix-ids", required=True, help="comma-separated token ids of the prefix")
    ap.add_argument("--windows", type=int, default=40); ap.add_argument("--window-size", type=int, default=512)
    ap.add_argument("--first-window", type=int, default=0)
    ap.add_argument("--text-mode", choices=["raw", "joined"], default="raw")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--json")
    a = ap.parse_args()
    meta, cfg, model = M.load(a.model)
    n_tokens, wins = M.windows(meta, a.text, a.text_mode, a.first_window + a.windows, a.window_size)
    wins = wins[a.first_window:]
    prefix = [int(t) for t in a.prefix_ids.split(",")]
    past = []
    M.forward(model, cfg, prefix, kv_out=past)
    ppl = {"baseline": Perplexity(), "prefix-sink": Perplexity()}
    counts = {}
    for wi, ids in enumerate(wins, start=a.first_window):
        t = time.time()
        if not a.no_baseline:
            ppl["baseline"].add(nll(M.forward(model, cfg, ids, on_block=massive_counter(counts, "baseline")), ids))
        ppl["prefix-sink"].add(nll(M.forward(model, cfg, ids, past=past, on_block=massive_counter(counts, "prefix-sink")), ids))
        result = {"model": a.model, "text": a.text, "text_mode": a.text_mode, "tokens": n_tokens, "prefix_ids": prefix,
                  "first_window": a.first_window, "windows": wi + 1 - a.first_window, "window_size": a.window_size,
                  "variants": {k: {"perplexity": v.result(), "massive_count": counts.get(k, 0)}
                               for k, v in ppl.items() if not (a.no_baseline and k == "baseline")}}
        print(f"window {wi}: {time.time() - t:.1f}s " + json.dumps(result["variants"]), file=sys.stderr, flush=True)
        if a.json:
            open(a.json, "w").write(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
