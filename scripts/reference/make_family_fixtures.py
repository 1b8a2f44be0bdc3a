#!/usr/bin/env python3
"""Tiny reference fixtures for the families ../shared/fixtures does not cover: Gemma 2, Gemma 3
(text) and Phi-3, made by transformers' own modeling code exactly as make_fixtures.py makes
llama-tiny (same seeds scheme, perturbations, planted channel outliers and planted massive
activation at hidden.2[:, 0, 7], same tap names and tensor layout, same float32 CPU eager run).

It imports ../shared/fixtures/make_fixtures.py for everything shared (capture, perturb,
plant_gamma_outliers, plant_massive, self checks need per-family care and are done here) and
writes, per family, Tests/Fixtures/<family>-tiny/{config.json, model.safetensors,
expected.safetensors, expected.md}.

    /work/venv-torch/bin/python scripts/reference/make_family_fixtures.py \
        --shared ../shared/fixtures --out Tests/Fixtures

Run with torch 2.15.0+cu132 (CPU), transformers 5.24.0, safetensors 0.8.0, numpy 2.4.6 — the
versions make_fixtures.py records for the shared fixtures.

What each family exercises:
- gemma3-tiny: √hidden embedding scale, (1 + γ) RMSNorms, four norms per block, per-head q/k
  RMSNorm, GeGLU (tanh GELU), query_pre_attn_scalar 24 (≠ head_dim 16), grouped KV heads, layers
  0 and 1 local with an 8-key sliding window and RoPE base 10 000, layer 2 global (base 1e6),
  tied head.
- gemma2-tiny: Gemma 2 blocks (no q/k norms), attention logit soft-capping 50 → 2.0 and final
  logit soft-capping 30 → 0.5 (small so that they bite on a tiny model), alternating local
  (even layers, window 8) / global layers.
- phi3-tiny: fused qkv_proj and gate_up_proj, SiLU, untied head.
"""
import argparse
import importlib.util
import json
import math
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import (Gemma2Config, Gemma2ForCausalLM, Gemma3ForCausalLM, Gemma3TextConfig,
                          Phi3Config, Phi3ForCausalLM)


def load_shared(path: Path):
    spec = importlib.util.spec_from_file_location("make_fixtures", path / "make_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path))
    spec.loader.exec_module(mod)
    return mod


GEMMA_TAPS = [
    ("attn.in", "", "in"),
    ("attn.norm", "input_layernorm", "out"),
    ("attn.q", "self_attn.q_proj", "out"),
    ("attn.k", "self_attn.k_proj", "out"),
    ("attn.v", "self_attn.v_proj", "out"),
    ("attn.ctx", "self_attn.o_proj", "in"),
    ("attn.out", "self_attn.o_proj", "out"),
    ("attn.post_norm", "post_attention_layernorm", "out"),   # norm of attn.out, before the residual add
    ("attn.resid", "pre_feedforward_layernorm", "in"),
    ("ffn.in", "pre_feedforward_layernorm", "in"),           # y1
    ("ffn.norm", "pre_feedforward_layernorm", "out"),        # y2
    ("ffn.gate", "mlp.gate_proj", "out"),                    # y3
    ("ffn.up", "mlp.up_proj", "out"),                        # y4
    ("ffn.act", "mlp.act_fn", "out"),                        # y5
    ("ffn.down_in", "mlp.down_proj", "in"),                  # y6
    ("ffn.down_out", "mlp.down_proj", "out"),                # y7
    ("ffn.post_norm", "post_feedforward_layernorm", "out"),  # norm of y7, before the residual add
    ("ffn.resid", "", "out"),                                # y8
]
PHI3_TAPS = [
    ("attn.in", "", "in"),
    ("attn.norm", "input_layernorm", "out"),
    ("attn.fused_qkv", "self_attn.qkv_proj", "out"),         # split into attn.q/k/v
    ("attn.ctx", "self_attn.o_proj", "in"),
    ("attn.out", "self_attn.o_proj", "out"),
    ("attn.resid", "post_attention_layernorm", "in"),
    ("ffn.in", "post_attention_layernorm", "in"),
    ("ffn.norm", "post_attention_layernorm", "out"),
    ("ffn.gate_up", "mlp.gate_up_proj", "out"),              # split into ffn.gate/ffn.up
    ("ffn.act", "mlp.activation_fn", "out"),
    ("ffn.down_in", "mlp.down_proj", "in"),
    ("ffn.down_out", "mlp.down_proj", "out"),
    ("ffn.resid", "", "out"),
]


def families(mf):
    V = mf.VOCAB

    class Base(mf.LlamaFamily):
        yfamily = "swiglu"

        def build(self):
            cfg = self.config()
            cfg._attn_implementation = "eager"
            torch.manual_seed(self.seed)
            return self.hf_class(cfg).eval()

    class Gemma3(Base):
        name, folder, seed, taps = "gemma3", "gemma3-tiny", 5, GEMMA_TAPS
        hf_class = Gemma3ForCausalLM
        gamma_norm_paths = ["pre_feedforward_layernorm"]
        layer0_norm_taps = [("attn.norm", "input_layernorm"), ("ffn.norm", "pre_feedforward_layernorm")]

        def config(self):
            return Gemma3TextConfig(
                vocab_size=V, hidden_size=64, intermediate_size=160, num_hidden_layers=3, num_attention_heads=4,
                num_key_value_heads=2, head_dim=16, query_pre_attn_scalar=24, sliding_window=8,
                layer_types=["sliding_attention", "sliding_attention", "full_attention"],
                rope_parameters={"full_attention": {"rope_type": "default", "rope_theta": 1_000_000.0},
                                 "sliding_attention": {"rope_type": "default", "rope_theta": 10_000.0}},
                max_position_embeddings=64, rms_norm_eps=1e-6, tie_word_embeddings=True,
                hidden_activation="gelu_pytorch_tanh", pad_token_id=0, bos_token_id=2, eos_token_id=1)

    class Gemma2(Gemma3):
        name, folder, seed = "gemma2", "gemma2-tiny", 6
        hf_class = Gemma2ForCausalLM

        def config(self):
            return Gemma2Config(
                vocab_size=V, hidden_size=64, intermediate_size=160, num_hidden_layers=3, num_attention_heads=4,
                num_key_value_heads=2, head_dim=16, query_pre_attn_scalar=24, sliding_window=8,
                attn_logit_softcapping=2.0, final_logit_softcapping=0.5, rope_theta=10_000.0,
                max_position_embeddings=64, rms_norm_eps=1e-6, tie_word_embeddings=True,
                hidden_activation="gelu_pytorch_tanh", pad_token_id=0, bos_token_id=2, eos_token_id=1)

    class Phi3(Base):
        name, folder, seed, taps = "phi3", "phi3-tiny", 7, PHI3_TAPS
        hf_class = Phi3ForCausalLM
        qk_weights = [("self_attn.qkv_proj.weight", None)]

        def config(self):
            return Phi3Config(
                vocab_size=V, hidden_size=64, intermediate_size=160, num_hidden_layers=3, num_attention_heads=4,
                num_key_value_heads=2, max_position_embeddings=64, original_max_position_embeddings=64,
                rope_theta=10_000.0, rms_norm_eps=1e-5, tie_word_embeddings=False, hidden_act="silu",
                pad_token_id=0, bos_token_id=1, eos_token_id=2)

        def down_weight(self, model, layer):
            return self.blocks(model)[layer].mlp.down_proj.weight, (lambda d, c: (d, c))

    return [Gemma3(), Gemma2(), Phi3()]


def split_fused(fam, model, res):
    """Phi-3's fused taps into the per-projection names the other families use."""
    cfg = model.config
    hd = cfg.hidden_size // cfg.num_attention_heads
    for key in [k for k in res if k.endswith(".attn.fused_qkv")]:
        p = key[: -len("attn.fused_qkv")]
        qkv = res.pop(key)
        q, k, v = qkv.split([cfg.num_attention_heads * hd, cfg.num_key_value_heads * hd,
                             cfg.num_key_value_heads * hd], dim=-1)
        res[p + "attn.q"], res[p + "attn.k"], res[p + "attn.v"] = q, k, v
    for key in [k for k in res if k.endswith(".ffn.gate_up")]:
        p = key[: -len("ffn.gate_up")]
        res[p + "ffn.gate"], res[p + "ffn.up"] = res.pop(key).chunk(2, dim=-1)
    return res


def capture(mf, fam, model, inputs, **kw):
    return split_fused(fam, model, mf.capture(fam, model, inputs, **kw))


def checks(mf, fam, model, res):
    """The identities each block must satisfy, recomputed from the stored taps."""
    notes = []
    L = mf.TAP_LAYER
    n = len(fam.blocks(model))
    block = fam.blocks(model)[L]

    def close(a, b, what, tol=1e-6):
        d = float((a - b).abs().max()) / max(1e-30, float(b.abs().max()))
        assert d <= tol, f"{fam.name}: {what}: rel diff {d}"
        notes.append(f"{what}: max|diff|/max|x| = {d:.1e}")

    r = lambda t: res[f"layer{L}.{t}"]
    close(r("attn.in"), res[f"hidden.{L}"], f"layer{L}.attn.in == hidden.{L}")
    if fam.name.startswith("gemma"):
        close(r("attn.post_norm"), block.post_attention_layernorm(r("attn.out")), "attn.post_norm == norm(attn.out)")
        close(r("attn.resid"), r("attn.in") + r("attn.post_norm"), "attn.resid == attn.in + attn.post_norm")
        close(r("ffn.post_norm"), block.post_feedforward_layernorm(r("ffn.down_out")), "ffn.post_norm == norm(ffn.down_out)")
        close(r("ffn.resid"), r("ffn.in") + r("ffn.post_norm"), "ffn.resid == ffn.in + ffn.post_norm")
        close(r("ffn.act"), torch.nn.functional.gelu(r("ffn.gate"), approximate="tanh"), "y5 == gelu_tanh(y3)")
    else:
        close(r("attn.resid"), r("attn.in") + r("attn.out"), "attn.resid == attn.in + attn.out")
        close(r("ffn.resid"), r("ffn.in") + r("ffn.down_out"), "ffn.resid == ffn.in + ffn.down_out")
        close(r("ffn.act"), torch.nn.functional.silu(r("ffn.gate")), "y5 == silu(y3)")
    close(r("ffn.in"), r("attn.resid"), "ffn.in == attn.resid")
    close(r("ffn.down_in"), r("ffn.act") * r("ffn.up"), "y6 == y5 * y4")
    nxt = f"hidden.{L + 1}" if L + 1 < n else f"hidden.{n}.pre_final_norm"
    close(r("ffn.resid"), res[nxt], f"ffn.resid == {nxt}")
    close(model.model.norm(res[f"hidden.{n}.pre_final_norm"]), res[f"hidden.{n}"], f"hidden.{n} == final_norm(pre_final_norm)")
    logits = res[f"hidden.{n}"] @ model.get_output_embeddings().weight.T
    cap = getattr(model.config, "final_logit_softcapping", None)
    if cap:
        logits = torch.tanh(logits / cap) * cap
    close(logits, res["logits"], "logits == softcap(hidden.n @ lm_head^T)" if cap else "logits == hidden.n @ lm_head^T", 1e-5)
    # Local layers: a query at position t sees keys t-7..t only (window 8).
    window = getattr(model.config, "sliding_window", None)
    if window and fam.name.startswith("gemma"):
        local = [i for i, t in enumerate(model.config.layer_types) if t == "sliding_attention"]
        probs = res[f"layer{L}.attn.probs"]
        T = probs.shape[-1]
        far = torch.tensor([[j <= i - window for j in range(T)] for i in range(T)])
        hidden = float(probs[..., far].abs().max())
        if L in local:
            assert hidden == 0, f"{fam.name}: local layer {L} attends beyond its window"
            notes.append(f"layer {L} is local: probability beyond the {window}-key window = 0")
    return notes


def describe(mf, fam, key, t, n_layers):
    text = mf.describe(fam, key, t, n_layers)
    extra = {
        "attn.post_norm": "post_attention_layernorm(attn.out): Gemma's norm of the attention output, before the residual add",
        "ffn.post_norm": "post_feedforward_layernorm(ffn.down_out): Gemma's norm of y7, before the residual add (no y-index)",
    }
    tap = key.split(".", 1)[1] if key.startswith("layer") else ""
    if fam.name.startswith("gemma"):
        if tap in extra:
            return extra[tap]
        if tap == "ffn.act":
            return "y5: GELU (tanh approximation) of gate"
        if tap == "ffn.resid":
            return text.replace("ffn.in + ffn.down_out", "ffn.in + ffn.post_norm")
        if tap == "attn.resid":
            return "attn.in + attn.post_norm"
        if tap == "ffn.norm":
            return "y2: pre_feedforward_layernorm output"
        if key == "hidden.0":
            return "embedding output (HF hidden_states[0]): embed_tokens[ids] × √64"
        if key == "logits" and fam.name == "gemma2":
            return "tanh(lm_head output / 0.5) × 0.5 (final logit soft-capping) for every position"
    if fam.name == "phi3" and tap in ("attn.q", "attn.k", "attn.v"):
        return f"qkv_proj output, the {tap[-1]} part; head h = columns h*16..h*16+15"
    if fam.name == "phi3" and tap in ("ffn.gate", "ffn.up"):
        return ("y3: first half of gate_up_proj output" if tap == "ffn.gate" else "y4: second half of gate_up_proj output")
    return text


@torch.no_grad()
def plant_massive(mf, fam, model, ids):
    """make_fixtures.plant_massive for these families. Phi-3: the same single W_down entry
    (block 1's y7 at position 0, dim 7). Gemma: y7 passes through post_feedforward_layernorm
    before the residual add, so no single weight of W_down can make one position massive (an
    RMS-normalised row is bounded by √d × γ, and γ is shared by every position). There the planted
    value sits in the residual stream itself: the embedding row of the BOS id (2) gets, at dim 7,
    1000 × the median |hidden.2| (after the √64 scale), so hidden.1… carry it at position 0 only."""
    if not fam.name.startswith("gemma"):
        orig_capture = mf.capture
        mf.capture = lambda f, m, i, **kw: split_fused(f, m, orig_capture(f, m, i, **kw))
        try:
            return mf.plant_massive(fam, model, ids)
        finally:
            mf.capture = orig_capture
    bos, D, L = model.config.bos_token_id, mf.MASSIVE_DIM, mf.TAP_LAYER
    cand = ids.clone()
    cand[:, 0] = bos
    s = capture(mf, fam, model, {"input_ids": cand}, layer0_norms=False)
    target = float(round(1000 * float(s[f"hidden.{L + 1}"].abs().median()) * 1.5))
    emb = model.get_input_embeddings().weight
    scale = math.sqrt(model.config.hidden_size)
    before = float(emb[bos, D])
    emb[bos, D] = target / scale
    s = capture(mf, fam, model, {"input_ids": cand}, layer0_norms=False)
    return {"bos_id": bos, "rule": "embedding row of the BOS id, dim 7, set to target / sqrt(hidden)",
            "weight_before": before, "weight_after": float(emb[bos, D]), "target": target,
            "reached": float(s[f"hidden.{L + 1}"][0, 0, D]), "channel": "embedding"}


def make(mf, fam, out: Path) -> dict:
    folder = out / fam.folder
    folder.mkdir(parents=True, exist_ok=True)
    model = fam.build()
    mf.perturb(fam, model)
    gamma = mf.plant_gamma_outliers(fam, model)
    ids = mf.input_ids()
    plant = plant_massive(mf, fam, model, ids)
    ids[:, 0] = plant["bos_id"]
    inputs = {"input_ids": ids}
    model.save_pretrained(folder, safe_serialization=True)
    for extra in ("generation_config.json",):
        (folder / extra).unlink(missing_ok=True)
    reloaded = type(model).from_pretrained(folder, attn_implementation="eager", dtype=torch.float32).eval()
    res = capture(mf, fam, reloaded, inputs)
    res2 = capture(mf, fam, model, inputs)
    for k in res:
        assert torch.equal(res[k], res2[k]), f"{fam.name}: reload changed {k}"
    notes = checks(mf, fam, reloaded, res)
    tensors = {"input_ids": ids.contiguous()}
    tensors.update({k: v.float().contiguous() for k, v in res.items()})
    tensors = {k: tensors[k] for k in sorted(tensors, key=mf.sort_key)}
    save_file(tensors, str(folder / "expected.safetensors"), metadata={"format": "pt"})
    m64 = fam.build()
    m64.load_state_dict(reloaded.state_dict())
    r64 = capture(mf, fam, m64.double().eval(), inputs)
    noise = {k: float((res[k].double() - r64[k]).abs().max()) / max(1e-30, float(r64[k].abs().max())) for k in res}
    n_layers = len(fam.blocks(model))
    massive = mf.massive_report(fam, res)
    top2 = res["logits"].topk(2, dim=-1).values
    info = {"seed": fam.seed, "params": sum(p.numel() for p in reloaded.parameters()), "gamma_outliers": gamma,
            "plant": plant, "massive": massive, "self_checks": notes,
            "fp32_vs_fp64_max_rel": max(noise.values()), "fp32_vs_fp64_worst": max(noise, key=noise.get),
            "min_logit_top1_top2_gap": float((top2[..., 0] - top2[..., 1]).min())}
    lines = [f"# {fam.folder}/expected.safetensors", "",
             f"Reference tensors for `{fam.folder}` ({type(model).__name__}, float32 weights in `model.safetensors`), "
             "computed by transformers 5.24.0 in float32 on CPU (eager attention) by "
             "scripts/reference/make_family_fixtures.py. B=2 sequences, T=24 positions; taps of block 1 and the two "
             "layer-0 norm outputs. `fp32 noise` = max|fp32 − fp64 recompute| / max|fp64|. Tolerance as in "
             "../shared/fixtures/README.md: 1e-4 × max|ref| per tensor, attention probabilities 1e-4 absolute.", "",
             "| tensor | dtype | shape | max abs | fp32 noise | meaning |", "|---|---|---|---|---|---|"]
    for k, v in tensors.items():
        nz = "" if k == "input_ids" else f"{noise[k]:.3g}"
        lines.append(f"| `{k}` | {str(v.dtype).replace('torch.', '')} | {list(v.shape)} | {mf.tensor_stats(v)} | {nz} | "
                     f"{describe(mf, fam, k, v, n_layers)} |")
    lines += ["", "Self-checks:", ""] + [f"- {n}" for n in notes]
    lines += ["", "Planted outliers:", "",
              f"- position 0 holds id {plant['bos_id']}; " + (
                  f"embed_tokens[{plant['bos_id']}, 7] set to {plant['weight_after']:.6g}" if plant["channel"] == "embedding"
                  else f"W_down[7, {plant['channel']}] set to {plant['weight_after']:.6g}")
              + f" so that hidden.2[:, 0, 7] ≈ {plant['target']:.0f}; entries > 100 and > 1000 × median: "
              + f"{massive['hidden.2']['entries_meeting_criterion_[seq,pos,dim]']}.",
              f"- channel outliers: layer-0 {fam.gamma_norm_paths[0]} γ at dims {gamma[0]['dims']} = {gamma[0]['value']:.6g}.",
              f"- smallest top-1/top-2 logit gap: {info['min_logit_top1_top2_gap']:.3g}.", ""]
    (folder / "expected.md").write_text("\n".join(lines))
    return info


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, required=True, help="../shared/fixtures (holds make_fixtures.py)")
    ap.add_argument("--out", type=Path, required=True, help="Tests/Fixtures")
    args = ap.parse_args()
    torch.set_num_threads(1)
    mf = load_shared(args.shared.resolve())
    prefix = mf.block_prefix
    mf.block_prefix = lambda fam: "model.layers." if fam.name in ("gemma2", "gemma3", "phi3") else prefix(fam)
    summary = {fam.folder: make(mf, fam, args.out) for fam in families(mf)}
    (args.out / "families-build-info.json").write_text(json.dumps(
        {"versions": mf.versions(), "families": summary}, indent=1, sort_keys=True, default=str) + "\n")
    for name, info in summary.items():
        print(name, "params", info["params"], "noise", f"{info['fp32_vs_fp64_max_rel']:.2g}", "massive", info["massive"])


if __name__ == "__main__":
    main()
