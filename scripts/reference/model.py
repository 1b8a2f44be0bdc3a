"""SmolLM2 (Llama family) in plain numpy float32: GGUF loading through gguf-py, the byte-level BPE
tokenizer rebuilt from the GGUF vocabulary with HF `tokenizers`, and a forward pass with hooks at
the four places where a block's Linears read their input.

A model is a plain dict: {"embed", "head", "final_norm", "blocks": [{"attn_norm", "q", "k", "v",
"o", "ffn_norm", "gate", "up", "down"}]}; every Linear weight is [out, in] (a row is an output
channel), q and k already un-permuted from llama.cpp's RoPE row order to the HF order. Transforms
(quantization, SmoothQuant, rotation) return a new dict and never modify arrays in place.
"""
import math
import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize

LINEARS = ("q", "k", "v", "o", "gate", "up", "down")


def read_gguf(path):
    """(metadata dict, {tensor name: float32 array in numpy row-major [.., out, in] layout})."""
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
    """llama.cpp stores q/k rows interleaved per RoPE pair; back to the HF half-split order."""
    out, inp = m.shape
    return m.reshape(n_head, out // n_head // 2, 2, inp).swapaxes(1, 2).reshape(out, inp)


def config(meta):
    H = meta["llama.attention.head_count"]
    d = meta["llama.embedding_length"]
    return {"layers": meta["llama.block_count"], "heads": H, "kv_heads": meta["llama.attention.head_count_kv"],
            "d": d, "head_dim": d // H, "eps": meta["llama.attention.layer_norm_rms_epsilon"],
            "theta": meta.get("llama.rope.freq_base", 10000.0)}


def load(path):
    """(meta, cfg, model) from a Llama GGUF."""
    meta, w = read_gguf(path)
    cfg = config(meta)
    blocks = []
    for i in range(cfg["layers"]):
        p = f"blk.{i}."
        blocks.append({
            "attn_norm": w[p + "attn_norm.weight"], "ffn_norm": w[p + "ffn_norm.weight"],
            "q": unpermute(w[p + "attn_q.weight"], cfg["heads"]), "k": unpermute(w[p + "attn_k.weight"], cfg["kv_heads"]),
            "v": w[p + "attn_v.weight"], "o": w[p + "attn_output.weight"],
            "gate": w[p + "ffn_gate.weight"], "up": w[p + "ffn_up.weight"], "down": w[p + "ffn_down.weight"]})
    model = {"embed": w["token_embd.weight"], "head": w.get("output.weight", w["token_embd.weight"]),
             "final_norm": w["output_norm.weight"], "blocks": blocks}
    return meta, cfg, model


def clone(model):
    """A copy whose dicts can be rebound without touching `model` (arrays are shared)."""
    return {**model, "blocks": [dict(b) for b in model["blocks"]]}


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


def windows(meta, text_path, text_mode, count, size):
    """The first `count` non-overlapping windows of `size` token ids (no BOS). `joined` puts a
    blank line between the lines of the file, as the project's `joined` text convention."""
    raw = open(text_path, "rb").read().decode("utf-8")
    if text_mode == "joined":
        text = "\n\n".join("" if l.strip() == "" else l for l in raw.splitlines(keepends=True))
    else:
        text = raw
    ids = tokenizer_from(meta).encode(text, add_special_tokens=False).ids
    n = min(count, len(ids) // size)
    return len(ids), [ids[i * size:(i + 1) * size] for i in range(n)]


def rmsnorm(x, g, eps):
    return (x / np.sqrt((x.astype(np.float64) ** 2).mean(-1, keepdims=True) + eps)).astype(np.float32) * g


def forward(model, cfg, ids, act=None, on_tap=None, on_block=None, past=None, kv_out=None):
    """Logits [T, vocab] float32 for one window.

    act(x): applied to every Linear input (attention-norm output for q/k/v, attention context for
    o, FFN-norm output for gate/up, SiLU(gate)*up for down); None keeps them float.
    on_tap(block, "attn.norm" | "ffn.norm", x): sees the norm outputs (calibration).
    on_block(block, x): sees the residual stream after each block.
    past: per block (k, v) [KV heads, P, hd] of P earlier positions (k rotated), as a KV cache:
    the window sits at positions P…P+T−1 and attends to them first.
    kv_out: a list that receives per block the (k, v) of past + this window (the next cache).
    """
    act = act or (lambda x: x)
    H, KV, hd, eps = cfg["heads"], cfg["kv_heads"], cfg["head_dim"], cfg["eps"]
    T = len(ids)
    P = past[0][0].shape[1] if past else 0
    inv = (1.0 / (np.float32(cfg["theta"]) ** (np.arange(0, hd, 2, dtype=np.float32) / np.float32(hd)))).astype(np.float32)
    ang = np.outer(np.arange(P, P + T, dtype=np.float32), inv).astype(np.float32)
    cos = np.concatenate([np.cos(ang), np.cos(ang)], -1)
    sin = np.concatenate([np.sin(ang), np.sin(ang)], -1)

    def rope(x):  # [heads, T, hd]
        x1, x2 = x[..., : hd // 2], x[..., hd // 2:]
        return x * cos + np.concatenate([-x2, x1], -1) * sin

    x = model["embed"][ids]
    mask = np.concatenate([np.zeros((T, P), dtype=np.float32), np.triu(np.full((T, T), -np.inf, dtype=np.float32), 1)], 1)
    for i, b in enumerate(model["blocks"]):
        h = rmsnorm(x, b["attn_norm"], eps)
        if on_tap:
            on_tap(i, "attn.norm", h)
        h = act(h)
        q = rope((h @ b["q"].T).reshape(T, H, hd).transpose(1, 0, 2))
        k = rope((h @ b["k"].T).reshape(T, KV, hd).transpose(1, 0, 2))
        v = (h @ b["v"].T).reshape(T, KV, hd).transpose(1, 0, 2)
        if past:
            k, v = np.concatenate([past[i][0], k], 1), np.concatenate([past[i][1], v], 1)
        if kv_out is not None:
            kv_out.append((k, v))
        k = np.repeat(k, H // KV, 0)
        v = np.repeat(v, H // KV, 0)
        s = q @ k.transpose(0, 2, 1) / np.float32(math.sqrt(hd)) + mask
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(T, H * hd)
        x = x + act(ctx) @ b["o"].T
        h = rmsnorm(x, b["ffn_norm"], eps)
        if on_tap:
            on_tap(i, "ffn.norm", h)
        h = act(h)
        g = h @ b["gate"].T
        u = h @ b["up"].T
        x = x + act((g / (1 + np.exp(-g))) * u) @ b["down"].T
        if on_block:
            on_block(i, x)
    return rmsnorm(x, model["final_norm"], eps) @ model["head"].T
