"""Perplexity and massive activations of Gemma 3 on WikiText-2, independent of the Swift code:
sentencepiece tokenizes (the GGUF vocabulary as spm_reference.py builds it, special tokens cut
as llama.cpp cuts them), gemma3_reference.py runs the float32 numpy forward.

Windows as the project forms them: the text (`joined`: rows joined by a blank line), tokenized
whole; window i is BOS followed by tokens [i*T, i*T + T - 1). Perplexity over all positions and
over the second half (llama.cpp). Massive activations at every block output: |x| > 100 and
> 1000 x the median |x| of that window's block output (Sun et al. 2024).

    python3 gemma3_perplexity.py MODEL.gguf wiki.test.raw --windows 40 --window-size 512 \
        [--first-window 0] --json out.json
Split over processes with --first-window and add the sums (`sums` in the JSON).
"""
import argparse
import json
import math
import sys

import numpy as np

import gemma3_reference as g3
import spm_reference as spm
from metrics import Perplexity, nll


def joined(raw):
    return "\n\n".join("" if line.strip() == "" else line for line in raw.splitlines(keepends=True))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("text")
    ap.add_argument("--windows", type=int, default=40)
    ap.add_argument("--window-size", type=int, default=512)
    ap.add_argument("--first-window", type=int, default=0)
    ap.add_argument("--json", required=True)
    a = ap.parse_args()

    v = spm.read_vocab(a.model)
    sp = spm.build_processor(v)
    specials = sorted(((i, t.encode("utf-8")) for i, (t, ty) in enumerate(zip(v["tokens"], v["types"]))
                       if ty in spm.SPECIAL_TYPES and t), key=lambda it: (-len(it[1]), it[0]))
    text = joined(open(a.text, "rb").read().decode("utf-8"))
    ids = spm.llama_cpp_ids(sp, specials, text)
    T = a.window_size
    model = g3.Gemma3(a.model, 0.0)
    ppl, massive, out = Perplexity(), [], {"tokens": len(ids), "windows": []}
    for i in range(a.first_window, a.first_window + a.windows):
        window = [v["bos"]] + ids[i * T:i * T + T - 1]
        logits, _ = model.forward(np.array(window), on_block=lambda b, x, i=i: massive.extend(
            {"layer": b, "window": i, "position": int(p), "dim": int(d), "value": float(x[p, d])}
            for p, d in zip(*np.nonzero((np.abs(x) > 100) & (np.abs(x) > 1000 * np.median(np.abs(x)))))))
        ppl.add(nll(logits, window))
        out["windows"].append({"window": i, "first_ids": window[:8]})
        print(f"window {i}: {ppl.result()['all_positions']:.4f}", file=sys.stderr)
        out.update(perplexity=ppl.result(), massive=massive)
        json.dump(out, open(a.json, "w"))


if __name__ == "__main__":
    main()
