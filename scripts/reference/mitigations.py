"""The two float-exact model transforms checked against the Swift code: SmoothQuant and the
QuaRot-style R1 Hadamard rotation of the residual stream.

SmoothQuant (Xiao et al. 2023; as mit-han-lab/smoothquant `smooth_ln_fcs`): per block and per
norm → Linears pair (attention norm → q, k, v; FFN norm → gate, up), per input channel j

    s_j = clamp(max|X_j|^α / clamp(max|W_j|, 1e-5)^(1−α), min 1e-5)

with max|X_j| the channel absmax of the norm output over every token of the calibration windows
and max|W_j| the absmax of column j over the concatenated following weights; then γ_j /= s_j and
W[:, j] *= s_j.

R1 rotation (Ashkboos et al. 2024, QuaRot): every RMSNorm gamma folded into the Linears reading
its output (γ_attn into q, k, v; γ_ffn into gate, up; the final γ into the head, untied from the
embedding), then with Q = diag(signs) · H / √d: E ← E Q, W ← W Q for q, k, v, gate, up, head and
W ← Qᵀ W for o, down. H = A ⊗ S (Kronecker), A a Paley Hadamard matrix of order m (12, 20: Paley
I from q = 11, 19; 28, 36: Paley II from q = 13, 17; 1 for powers of two), S the Sylvester matrix
of order d/m; signs from SplitMix64(seed), +1 where the output's low bit is 0.
"""
import numpy as np
from model import clone, forward

MASK64 = (1 << 64) - 1


def channel_absmax(model, cfg, windows):
    """{(block, "attn.norm" | "ffn.norm"): per-channel max |x| over all calibration tokens}."""
    stats = {}

    def on_tap(i, tap, x):
        m = np.abs(x).max(0)
        key = (i, tap)
        stats[key] = m if key not in stats else np.maximum(stats[key], m)

    for ids in windows:
        forward(model, cfg, ids, on_tap=on_tap)
    return stats


def smooth_scales(x_absmax, weights, alpha):
    w = np.max([np.abs(W).max(0) for W in weights], 0).astype(np.float64)
    w = np.maximum(w, 1e-5)
    s = x_absmax.astype(np.float64) ** alpha / w ** (1 - alpha)
    return np.maximum(s, 1e-5).astype(np.float32)


def smoothquant(model, stats, alpha):
    out = clone(model)
    for i, b in enumerate(out["blocks"]):
        for tap, norm, fcs in (("attn.norm", "attn_norm", ("q", "k", "v")), ("ffn.norm", "ffn_norm", ("gate", "up"))):
            s = smooth_scales(stats[(i, tap)], [b[f] for f in fcs], alpha)
            b[norm] = b[norm] / s
            for f in fcs:
                b[f] = b[f] * s[None, :]
    return out


def legendre(a, q):
    a %= q
    if a == 0:
        return 0
    return 1 if pow(a, (q - 1) // 2, q) == 1 else -1


def conference(q, skew):
    """[[0, 1ᵀ], [∓1, J]] with the Jacobsthal matrix J[i, j] = χ(j − i) mod q."""
    c = np.zeros((q + 1, q + 1))
    c[0, 1:] = 1
    c[1:, 0] = -1 if skew else 1
    for i in range(q):
        for j in range(q):
            c[i + 1, j + 1] = legendre(j - i, q)
    return c


def paley(m):
    if m == 1:
        return np.ones((1, 1))
    if m in (12, 20):  # Paley I, q ≡ 3 mod 4: C + I
        return conference(m - 1, skew=True) + np.eye(m)
    if m in (28, 36):  # Paley II, q ≡ 1 mod 4: 0 → [[1, −1], [−1, −1]], ±1 → ±[[1, 1], [1, −1]]
        c = conference(m // 2 - 1, skew=False)
        zero, one = np.array([[1, -1], [-1, -1]]), np.array([[1, 1], [1, -1]])
        return np.block([[zero if v == 0 else v * one for v in row] for row in c])
    raise ValueError(f"no Paley matrix of order {m}")


def sylvester(n):
    s = np.ones((1, 1))
    while s.shape[0] < n:
        s = np.block([[s, s], [s, -s]])
    return s


def hadamard(d):
    for m in (1, 12, 20, 28, 36):
        p = d // m
        if d % m == 0 and p & (p - 1) == 0:
            h = np.kron(paley(m), sylvester(p))
            assert np.array_equal(h @ h.T, d * np.eye(d)), f"H Hᵀ ≠ {d} I"
            return h
    raise ValueError(f"no Hadamard matrix of order {d}")


def splitmix_signs(count, seed):
    state = (seed + 0x9E3779B97F4A7C15) & MASK64
    out = []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        z ^= z >> 31
        out.append(1.0 if z & 1 == 0 else -1.0)
    return np.array(out)


def rotation_matrix(d, seed):
    """Q = diag(signs) · H / √d in float64 (orthogonal)."""
    return splitmix_signs(d, seed)[:, None] * hadamard(d) / np.sqrt(d)


def fold_gammas(model):
    out = clone(model)
    for b in out["blocks"]:
        for norm, fcs in (("attn_norm", ("q", "k", "v")), ("ffn_norm", ("gate", "up"))):
            for f in fcs:
                b[f] = b[f] * b[norm][None, :]
            b[norm] = np.ones_like(b[norm])
    out["head"] = out["head"] * out["final_norm"][None, :]  # a new array: the head is untied
    out["final_norm"] = np.ones_like(out["final_norm"])
    return out


def rotate(model, seed):
    """R1 in float64 arithmetic, stored float32."""
    out = fold_gammas(model)
    Q = rotation_matrix(out["embed"].shape[1], seed)
    right = lambda w: (w.astype(np.float64) @ Q).astype(np.float32)
    left = lambda w: (Q.T @ w.astype(np.float64)).astype(np.float32)
    out["embed"], out["head"] = right(out["embed"]), right(out["head"])
    for b in out["blocks"]:
        for f in ("q", "k", "v", "gate", "up"):
            b[f] = right(b[f])
        b["o"], b["down"] = left(b["o"]), left(b["down"])
    return out


if __name__ == "__main__":
    for d in (12, 20, 28, 36, 64, 576, 768):
        hadamard(d)
    q = rotation_matrix(576, 0)
    assert np.allclose(q @ q.T, np.eye(576), atol=1e-12)
    print("H Hᵀ = d I for 12, 20, 28, 36, 64, 576, 768; signs(seed 0)[:16] =",
          "".join("+" if s > 0 else "-" for s in splitmix_signs(16, 0)))
