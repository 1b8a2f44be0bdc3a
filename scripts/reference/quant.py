"""Fake (quantize–dequantize) integer quantization, symmetric, as the project defines it:

    qmax = 2^(b−1) − 1 (127 for int8, 7 for int4; the grid −qmax…qmax is symmetric)
    s = max|x| / qmax over the group, in float32
    x̂ = round(clamp(x / s, −qmax, qmax)) · s, round = nearest, ties to even (np.rint)
    a group whose values are all 0 (s = 0) stays 0.

A "group" is one row of a weight [out, in] (per output channel), or G consecutive input columns
of a row (per group; a row that G does not divide ends with a shorter group), or one token row of
an activation [tokens, features] (per token, dynamic).
"""
from dataclasses import dataclass
import numpy as np
from model import LINEARS, clone


def fake_quant(x, bits, group=None):
    """x̂ for a float32 matrix [rows, cols]; groups are `group` consecutive columns of a row
    (None: the whole row)."""
    qmax = np.float32(2 ** (bits - 1) - 1)
    cols = x.shape[-1]
    g = cols if group is None else group
    out = np.empty_like(x)
    for start in range(0, cols, g):
        blk = x[:, start:start + g]
        scale = np.abs(blk).max(-1, keepdims=True) / qmax
        safe = np.where(scale > 0, scale, np.float32(1))
        out[:, start:start + g] = np.rint(np.clip(blk / safe, -qmax, qmax)) * scale
    return out


@dataclass(frozen=True)
class Scheme:
    """Symmetric integer weights per output channel (w_group None) or per group of w_group input
    channels; activations per token with a_bits, or float (a_bits None)."""
    name: str
    w_bits: int
    w_group: int | None = None
    a_bits: int | None = None

    def weights(self, model):
        """The model with the 7 Linears of every block fake-quantized; embeddings, head and
        norms stay float."""
        out = clone(model)
        for b in out["blocks"]:
            for name in LINEARS:
                b[name] = fake_quant(b[name], self.w_bits, self.w_group)
        return out

    def act(self):
        """The per-token activation quantizer for `model.forward`, or None."""
        if self.a_bits is None:
            return None
        return lambda x: fake_quant(x, self.a_bits)


W8A8 = Scheme("W8A8", 8, None, 8)
W4A16 = Scheme("W4A16", 4)
W4A16_G128 = Scheme("W4A16-g128", 4, 128)
SCHEMES = {s.name: s for s in (W8A8, W4A16, W4A16_G128)}


def self_check():
    """Hand-computed cases: ties to even, clamping, all-zero rows, short last group."""
    # int8, absmax 127 → s = 1: 0.5 → 0, 1.5 → 2, 2.5 → 2, −2.5 → −2
    x = np.array([[127, 0.5, 1.5, 2.5, -2.5]], dtype=np.float32)
    assert fake_quant(x, 8).tolist() == [[127, 0, 2, 2, -2]]
    # int4, absmax 7 → s = 1; all-zero row stays zero
    x = np.array([[7, 3.5, -0.5, 4.5], [0, 0, 0, 0]], dtype=np.float32)
    assert fake_quant(x, 4).tolist() == [[7, 4, 0, 4], [0, 0, 0, 0]]
    # groups of 2 over 5 columns: [14, 1] (s = 2, 0.5 → 0), [7, 3], [−0.7] (short group, s = 0.1)
    x = np.array([[14, 1, 7, 3, -0.7]], dtype=np.float32)
    got = fake_quant(x, 4, 2)
    want = np.array([[14, 0, 7, 3, -0.7]], dtype=np.float32)
    assert np.allclose(got, want, rtol=0, atol=1e-6), got


if __name__ == "__main__":
    self_check()
    print("quant self-check ok")
