#!/usr/bin/env python3
"""Checks of the reference itself, on hand-computed cases and the llama-tiny GGUF fixture (a
second or two): the quantizer, H Hᵀ = d I, the forward against the fixture's expected logits, and
that SmoothQuant and the rotation leave the float logits unchanged.

    python3 scripts/reference/selftest.py [/work/shared/fixtures/llama-tiny-gguf]
"""
import json, os, struct, sys
import numpy as np
import model as M
import quant as Q
import mitigations as MIT


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    types = {"F32": np.float32, "I64": np.int64}
    return {k: np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], types[v["dtype"]]).reshape(v["shape"])
            for k, v in header.items() if k != "__metadata__"}


def relative(a, b):
    return float(np.abs(a - b).max() / (b.max() - b.min()))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/fixtures/llama-tiny-gguf"
    Q.self_check()
    for d in (12, 20, 28, 36, 64, 576, 768):
        MIT.hadamard(d)  # asserts H Hᵀ = d I
    expected = read_safetensors(os.path.join(folder, "expected.safetensors"))
    _, cfg, model = M.load(os.path.join(folder, "llama-tiny.F32.gguf"))
    ids = [list(map(int, row)) for row in expected["input_ids"]]
    base = [M.forward(model, cfg, row) for row in ids]
    err = max(relative(l, e) for l, e in zip(base, expected["logits.F32"]))
    assert err < 1e-4, f"forward differs from the fixture: {err}"
    smoothed = MIT.smoothquant(model, MIT.channel_absmax(model, cfg, ids[:1]), 0.5)
    for name, variant in (("smoothquant", smoothed), ("rotation", MIT.rotate(model, 0)), ("rotation seed 7", MIT.rotate(model, 7))):
        err = max(relative(M.forward(variant, cfg, row), b) for row, b in zip(ids, base))
        assert err < 1e-5, f"{name} is not exact in float: {err}"
    # the schemes move the logits (much: the fixture's planted outliers), int4 weights more than int8
    err = {s.name: max(relative(M.forward(s.weights(model), cfg, row, act=s.act()), b) for row, b in zip(ids, base))
           for s in (Q.W8A8, Q.W4A16)}
    assert 0 < err["W8A8"] < err["W4A16"], f"relative logit change {err}"
    print("selftest ok")


if __name__ == "__main__":
    main()
