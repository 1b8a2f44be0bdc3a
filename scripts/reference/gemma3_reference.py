"""Independent float32 numpy forward of Gemma 3 from a llama.cpp GGUF (gguf-py dequantizes).

Written from the Hugging Face definition (Gemma3ForCausalLM), not from the Swift code:
embeddings x sqrt(hidden); per block x += post_attn_norm(attn(input_norm(x))),
x += post_ffw_norm(down(gelu_tanh(gate(h)) * up(h))) with h = pre_ffw_norm(x); RMSNorm over each
head of q and k before RoPE (rotate_half); local layers (all but every 6th) see the last
`sliding_window` keys and use RoPE base 10 000, global layers the file's base; scores scaled by
1/sqrt(key_length); tied head.

Norm weights: Hugging Face multiplies by (1 + w); llama.cpp's converter writes w + 1 into the
GGUF, so the stored vector is the multiplier. `--norm-offset 1` applies (1 + stored) instead,
which is how to check that convention on a real file (the perplexity says which is right).

Usage:
    python3 gemma3_reference.py MODEL.gguf --ids ids.json --json out.json [--norm-offset 0|1]
ids.json: a list of token-id lists (BOS included when the model adds one).
Writes per sequence: the top-5 logits and ids at every position, logsumexp, the mean
next-token negative log-likelihood, and per block the largest |x| of the block output with its
position and dim.
"""
import argparse
import json
import sys

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize


def scalar(reader, key, default=None):
    field = reader.fields.get(key)
    if field is None:
        return default
    value = field.parts[field.data[0]]
    if value.dtype == np.uint8:  # a string
        return bytes(value).decode("utf-8")
    return value.item() if value.size == 1 else value.tolist()


class Gemma3:
    def __init__(self, path, norm_offset):
        r = GGUFReader(path)
        arch = scalar(r, "general.architecture")
        assert arch == "gemma3", arch
        self.d = scalar(r, f"{arch}.embedding_length")
        self.blocks = scalar(r, f"{arch}.block_count")
        self.heads = scalar(r, f"{arch}.attention.head_count")
        self.kv_heads = scalar(r, f"{arch}.attention.head_count_kv")
        self.hd = scalar(r, f"{arch}.attention.key_length")
        self.eps = np.float32(scalar(r, f"{arch}.attention.layer_norm_rms_epsilon"))
        self.theta_global = scalar(r, f"{arch}.rope.freq_base")
        self.theta_local = scalar(r, f"{arch}.rope.freq_base_swa", 10000.0)
        self.window = scalar(r, f"{arch}.attention.sliding_window")
        self.pattern = scalar(r, f"{arch}.attention.sliding_window_pattern", 6)
        self.w = {}
        for t in r.tensors:
            a = dequantize(t.data, t.tensor_type).astype(np.float32)
            self.w[t.name] = a.reshape([int(n) for n in reversed(t.shape)]) if a.ndim > 1 or len(t.shape) > 1 else a.reshape(-1)
            if t.name.endswith("norm.weight"):
                self.w[t.name] = self.w[t.name].reshape(-1) + np.float32(norm_offset)

    def rms(self, x, w):
        x = x.astype(np.float32)
        return (x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps)) * w

    def rope(self, x, theta):  # x: [T, heads, hd]
        T = x.shape[0]
        inv = (1.0 / (theta ** (np.arange(0, self.hd, 2, dtype=np.int64).astype(np.float32) / self.hd))).astype(np.float32)
        angles = np.arange(T, dtype=np.float32)[:, None] * inv[None, :]
        emb = np.concatenate([angles, angles], axis=-1)
        cos, sin = np.cos(emb)[:, None, :], np.sin(emb)[:, None, :]
        half = self.hd // 2
        rotated = np.concatenate([-x[..., half:], x[..., :half]], axis=-1)
        return (x * cos + rotated * sin).astype(np.float32)

    def forward(self, ids, on_block=None):
        """Logits [T, vocab] and, per block, the largest |x| of its output; `on_block(i, x)` sees each output."""
        T, w = len(ids), self.w
        x = w["token_embd.weight"][ids] * np.float32(np.sqrt(self.d))
        block_max = []
        group = self.heads // self.kv_heads
        for i in range(self.blocks):
            p = f"blk.{i}."
            local = (i + 1) % self.pattern != 0
            h = self.rms(x, w[p + "attn_norm.weight"])
            q = (h @ w[p + "attn_q.weight"].T).reshape(T, self.heads, self.hd)
            k = (h @ w[p + "attn_k.weight"].T).reshape(T, self.kv_heads, self.hd)
            v = (h @ w[p + "attn_v.weight"].T).reshape(T, self.kv_heads, self.hd)
            q = self.rms(q, w[p + "attn_q_norm.weight"])
            k = self.rms(k, w[p + "attn_k_norm.weight"])
            theta = self.theta_local if local else self.theta_global
            q, k = self.rope(q, theta), self.rope(k, theta)
            qi, kj = np.arange(T)[:, None], np.arange(T)[None, :]
            allowed = kj <= qi
            if local:
                allowed &= (qi - kj) < self.window
            ctx = np.zeros((T, self.heads, self.hd), dtype=np.float32)
            for hh in range(self.heads):
                kv = hh // group
                s = (q[:, hh, :] @ k[:, kv, :].T) * np.float32(1 / np.sqrt(self.hd))
                s = np.where(allowed, s, -np.inf)
                s = s - s.max(axis=-1, keepdims=True)
                e = np.exp(s)
                ctx[:, hh, :] = (e / e.sum(axis=-1, keepdims=True)) @ v[:, kv, :]
            a = ctx.reshape(T, -1) @ w[p + "attn_output.weight"].T
            x = x + self.rms(a, w[p + "post_attention_norm.weight"])
            h = self.rms(x, w[p + "ffn_norm.weight"])
            g = h @ w[p + "ffn_gate.weight"].T
            u = h @ w[p + "ffn_up.weight"].T
            gelu = 0.5 * g * (1 + np.tanh(np.float32(np.sqrt(2 / np.pi)) * (g + np.float32(0.044715) * g ** 3)))
            f = (gelu * u) @ w[p + "ffn_down.weight"].T
            x = x + self.rms(f, w[p + "post_ffw_norm.weight"])
            if on_block:
                on_block(i, x)
            pos, dim = np.unravel_index(np.argmax(np.abs(x)), x.shape)
            block_max.append({"block": i, "max_abs": float(np.abs(x).max()), "position": int(pos), "dim": int(dim),
                              "value": float(x[pos, dim])})
        logits = self.rms(x, w["output_norm.weight"]) @ w["token_embd.weight"].T
        return logits.astype(np.float32), block_max


def summarize(logits, ids, block_max):
    m = logits.max(axis=-1, keepdims=True)
    lse = (m[:, 0] + np.log(np.exp(logits - m).sum(axis=-1))).astype(np.float64)
    top = np.argsort(-logits, axis=-1, kind="stable")[:, :5]
    nll = [float(lse[t] - logits[t, ids[t + 1]]) for t in range(len(ids) - 1)]
    return {"ids": [int(i) for i in ids],
            "top5_ids": top.tolist(),
            "top5_logits": [[float(logits[t, j]) for j in row] for t, row in enumerate(top)],
            "logsumexp": lse.tolist(),
            "mean_nll": float(np.mean(nll)),
            "block_max": block_max}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--ids", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--norm-offset", type=float, default=0.0)
    args = ap.parse_args()
    model = Gemma3(args.model, args.norm_offset)
    sequences = json.load(open(args.ids))
    out = {"model": args.model.split("/")[-1], "norm_offset": args.norm_offset, "sequences": []}
    for ids in sequences:
        logits, block_max = model.forward(np.array(ids))
        out["sequences"].append(summarize(logits, ids, block_max))
        print(f"{len(ids)} tokens: mean NLL {out['sequences'][-1]['mean_nll']:.4f}", file=sys.stderr)
    json.dump(out, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
