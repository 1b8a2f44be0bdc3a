"""End-to-end metrics of one window's logits, in float64.

Perplexity: logits row t predicts token t+1. "all positions" scores rows 0…T−2 (T−1 tokens);
"second half" (llama.cpp `llama-perplexity`) scores rows T/2…T−2 (T − T/2 − 1 tokens, integer
division). Lockstep comparison of a float and a quantized model over rows 0…T−2: mean
KL(p_float ‖ p_quant) in nats, top-1 agreement (argmax equal, first index on ties), mean
|p_float(true) − p_quant(true)| of the true next token.
"""
import math
import numpy as np

CHUNK = 64  # rows per float64 block (bounds memory: 64 × 49152 × 8 B)


def log_softmax(rows):
    r = rows.astype(np.float64)
    m = r.max(-1, keepdims=True)
    return r - m - np.log(np.exp(r - m).sum(-1, keepdims=True))


class Perplexity:
    def __init__(self):
        self.nll_all = self.nll_half = 0.0
        self.n_all = self.n_half = 0

    def add(self, nll):
        """nll: the T−1 token NLLs of one window (row t → token t+1)."""
        T = len(nll) + 1
        self.nll_all += nll.sum()
        self.n_all += T - 1
        self.nll_half += nll[T // 2:].sum()
        self.n_half += T - T // 2 - 1

    def result(self):
        return {"all_positions": math.exp(self.nll_all / self.n_all),
                "second_half": math.exp(self.nll_half / self.n_half),
                "sums": {"nll_all": self.nll_all, "n_all": self.n_all, "nll_half": self.nll_half, "n_half": self.n_half}}


def nll(logits, ids):
    """The T−1 NLLs of one window."""
    T = len(ids)
    out = np.empty(T - 1)
    for s in range(0, T - 1, CHUNK):
        e = min(T - 1, s + CHUNK)
        out[s:e] = -log_softmax(logits[s:e])[np.arange(e - s), ids[s + 1:e + 1]]
    return out


class Lockstep:
    """Accumulates a quantized model against its float reference, window by window."""

    def __init__(self):
        self.ppl = Perplexity()
        self.kl = self.agree = self.dp = 0.0
        self.positions = 0

    def add(self, float_logits, quant_logits, ids):
        T = len(ids)
        nll_q = np.empty(T - 1)
        for s in range(0, T - 1, CHUNK):
            e = min(T - 1, s + CHUNK)
            lf, lq = log_softmax(float_logits[s:e]), log_softmax(quant_logits[s:e])
            pf = np.exp(lf)
            self.kl += (pf * (lf - lq)).sum()
            self.agree += (float_logits[s:e].argmax(-1) == quant_logits[s:e].argmax(-1)).sum()
            rows, true = np.arange(e - s), np.asarray(ids[s + 1:e + 1])
            self.dp += np.abs(pf[rows, true] - np.exp(lq[rows, true])).sum()
            nll_q[s:e] = -lq[rows, true]
        self.ppl.add(nll_q)
        self.positions += T - 1

    def result(self):
        n = self.positions
        return {"perplexity": self.ppl.result(), "kl_mean": self.kl / n, "top1_agreement": self.agree / n,
                "mean_abs_delta_p_true": self.dp / n,
                "sums": {"kl": self.kl, "agree": int(self.agree), "dp": self.dp, "positions": n}}
