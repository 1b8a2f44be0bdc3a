#!/usr/bin/env python3
"""Independent float32 reference for OutlierAtlas numbers on SmolLM2 (a developer cross-check,
not part of `make test`): gguf-py dequantizes the GGUF, the HF `tokenizers` library rebuilds the
byte-level BPE from the GGUF vocabulary, and a plain numpy forward computes perplexity and the
massive activations at every block output.

    pip install gguf tokenizers numpy
    python3 scripts/reference/smollm2_reference.py MODEL.gguf TEXT --windows 40 --window-size 512 --text-mode joined
"""
import argparse, json, math, sys
import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize


def load(path):
    r = GGUFReader(path)
    meta = {}
    for f in r.fields.values():
        if f.types and f.types[0].name == "STRING":
            meta[f.name] = bytes(f.parts[f.data[0]]).decode() if len(f.data) == 1 else [bytes(f.parts[i]).decode() for i in f.data]
        elif f.types and f.types[0].name == "ARRAY":
            if len(f.types) > 1 and f.types[1].name == "STRING":
                meta[f.name] = [bytes(f.parts[i]).decode() for i in f.data]
            else:
                meta[f.name] = [f.parts[i][0].item() for i in f.data]
        else:
            meta[f.name] = f.parts[f.data[0]][0].item()
    w = {}
    for t in r.tensors:
        a = dequantize(t.data, t.tensor_type).astype(np.float32)
        w[t.name] = a.reshape([int(x) for x in reversed(t.shape)])
    return meta, w


def unpermute(m, n_head):
    out, inp = m.shape
    return m.reshape(n_head, out // n_head // 2, 2, inp).swapaxes(1, 2).reshape(out, inp)


def tokenizer_from(meta):
    from tokenizers import Tokenizer, models, pre_tokenizers, decoders, AddedToken
    vocab = {t: i for i, t in enumerate(meta["tokenizer.ggml.tokens"])}
    merges = [tuple(m.split(" ")) for m in meta["tokenizer.ggml.merges"]]
    tok = Tokenizer(models.BPE(vocab, merges))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    types = meta["tokenizer.ggml.token_type"]
    tok.add_special_tokens([AddedToken(t, special=True) for t, ty in zip(meta["tokenizer.ggml.tokens"], types) if ty == 3])
    return tok


def rmsnorm(x, g, eps):
    return (x / np.sqrt((x.astype(np.float64) ** 2).mean(-1, keepdims=True) + eps)).astype(np.float32) * g


def forward(w, meta, ids, on_block):
    L = meta["llama.block_count"]; H = meta["llama.attention.head_count"]; KV = meta["llama.attention.head_count_kv"]
    d = meta["llama.embedding_length"]; hd = d // H; eps = meta["llama.attention.layer_norm_rms_epsilon"]
    theta = meta.get("llama.rope.freq_base", 10000.0)
    T = len(ids)
    inv = (1.0 / (np.float32(theta) ** (np.arange(0, hd, 2, dtype=np.float32) / np.float32(hd)))).astype(np.float32)
    ang = np.outer(np.arange(T, dtype=np.float32), inv).astype(np.float32)
    cos = np.concatenate([np.cos(ang), np.cos(ang)], -1); sin = np.concatenate([np.sin(ang), np.sin(ang)], -1)
    def rope(x):  # [heads, T, hd]
        x1, x2 = x[..., : hd // 2], x[..., hd // 2:]
        return x * cos + np.concatenate([-x2, x1], -1) * sin
    x = w["token_embd.weight"][ids]
    mask = np.triu(np.full((T, T), -np.inf, dtype=np.float32), 1)
    for i in range(L):
        p = f"blk.{i}."
        h = rmsnorm(x, w[p + "attn_norm.weight"], eps)
        q = h @ unpermute(w[p + "attn_q.weight"], H).T
        k = h @ unpermute(w[p + "attn_k.weight"], KV).T
        v = h @ w[p + "attn_v.weight"].T
        q = rope(q.reshape(T, H, hd).transpose(1, 0, 2)); k = rope(k.reshape(T, KV, hd).transpose(1, 0, 2))
        v = v.reshape(T, KV, hd).transpose(1, 0, 2)
        k = np.repeat(k, H // KV, 0); v = np.repeat(v, H // KV, 0)
        s = q @ k.transpose(0, 2, 1) / np.float32(math.sqrt(hd)) + mask
        s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(T, H * hd)
        x = x + ctx @ w[p + "attn_output.weight"].T
        h = rmsnorm(x, w[p + "ffn_norm.weight"], eps)
        g = h @ w[p + "ffn_gate.weight"].T; u = h @ w[p + "ffn_up.weight"].T
        x = x + ((g / (1 + np.exp(-g))) * u) @ w[p + "ffn_down.weight"].T
        on_block(i, x)
    x = rmsnorm(x, w["output_norm.weight"], eps)
    head = w.get("output.weight", w["token_embd.weight"])
    return x @ head.T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model"); ap.add_argument("text")
    ap.add_argument("--windows", type=int, default=40); ap.add_argument("--window-size", type=int, default=512)
    ap.add_argument("--text-mode", choices=["raw", "joined"], default="raw")
    a = ap.parse_args()
    meta, w = load(a.model)
    tok = tokenizer_from(meta)
    raw = open(a.text, "rb").read().decode("utf-8")
    if a.text_mode == "joined":
        lines = raw.splitlines(keepends=True)
        text = "\n\n".join("" if l.strip() == "" else l for l in lines)
    else:
        text = raw
    ids = tok.encode(text, add_special_tokens=False).ids
    T = a.window_size
    n = min(a.windows, len(ids) // T)
    nll_all = nll_half = 0.0; n_all = n_half = 0
    massive = []
    for wi in range(n):
        win = ids[wi * T:(wi + 1) * T]
        def on_block(i, x):
            med = np.median(np.abs(x))
            for pos, dim in zip(*np.nonzero((np.abs(x) > 100) & (np.abs(x) > 1000 * med))):
                massive.append({"layer": i, "window": wi, "position": int(pos), "dim": int(dim), "value": float(x[pos, dim])})
        logits = forward(w, meta, win, on_block).astype(np.float64)
        lse = np.log(np.exp(logits - logits.max(-1, keepdims=True)).sum(-1)) + logits.max(-1)
        nll = lse[:-1] - logits[np.arange(T - 1), win[1:]]
        nll_all += nll.sum(); n_all += T - 1
        nll_half += nll[T // 2:].sum(); n_half += T - T // 2 - 1
        print(f"window {wi}: running ppl {math.exp(nll_all / n_all):.4f}", file=sys.stderr)
    print(json.dumps({"tokens": len(ids), "windows": n, "perplexity": {"all_positions": math.exp(nll_all / n_all),
          "second_half": math.exp(nll_half / n_half)}, "massive_activations": massive[:200],
          "massive_count": len(massive)}, indent=1))


if __name__ == "__main__":
    main()
