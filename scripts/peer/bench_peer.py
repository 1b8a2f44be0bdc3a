#!/usr/bin/env python3
"""PyTorch beside OutlierAtlas on the same windows, alternating (make bench-peer).

Starts `atlas-bench peer WINDOWS_JSON MODEL TEXT COUNT`, which writes the token windows its
forward table uses and then times one command per line; loads the same GGUF with transformers
(dequantized to float32, eager, batch 1, no hooks) and, for ROUNDS rounds, times the PyTorch
forward on every window, then OutlierAtlas without observers, with every tap observed, and the
GEMM replay of the same shapes. and the forward with the weights kept in their GGUF blocks. Each figure is the best window over all rounds (the least
disturbed by other load). Prints a Markdown table on stderr and one JSON line last on stdout.
"""
import json, os, subprocess, sys, tempfile, time

def main():
    bench, model, text, count, rounds, threads = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
    import torch
    from transformers import AutoModelForCausalLM
    torch.set_num_threads(threads)
    windows_file = os.path.join(tempfile.mkdtemp(prefix="bench-peer-"), "windows.json")
    env = dict(os.environ, ATLAS_THREADS=str(threads))
    atlas = subprocess.Popen([bench, "peer", windows_file, model, text, count], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, env=env)
    ready = atlas.stdout.readline().split()
    if not ready or ready[0] != "ready":
        sys.exit(f"bench-peer: atlas-bench did not start ({ready})")
    with open(windows_file) as f:
        windows = json.load(f)
    folder, name = os.path.split(os.path.abspath(model))
    net = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    net.eval()
    batches = [torch.tensor([w], dtype=torch.long) for w in windows]

    def torch_best():
        best = float("inf")
        with torch.inference_mode():
            for ids in batches:
                s = time.perf_counter()
                net(ids, use_cache=False)
                best = min(best, time.perf_counter() - s)
        return best

    def atlas_best(command):
        atlas.stdin.write(command + "\n")
        atlas.stdin.flush()
        reply = atlas.stdout.readline().strip()
        return float(reply)

    torch_best()  # warm-up
    best = {"torch": float("inf"), "bare": float("inf"), "taps": float("inf"), "gemm": float("inf"), "quantized": float("inf")}
    for r in range(rounds):
        best["torch"] = min(best["torch"], torch_best())
        for command in ("bare", "taps", "gemm", "quantized"):
            best[command] = min(best[command], atlas_best(command))
        print(f"round {r + 1}/{rounds}: " + ", ".join(f"{k} {v:.3f} s" for k, v in best.items()), file=sys.stderr)
    atlas.stdin.write("quit\n")
    atlas.stdin.flush()
    atlas.wait()
    tokens = len(windows[0])
    rate = {k: tokens / v for k, v in best.items()}
    load = os.getloadavg()
    print(f"\n{len(windows)} windows x {tokens} tokens, {threads} threads, best window of {rounds} alternating rounds; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; torch {torch.__version__}", file=sys.stderr)
    print("| forward | s/window | tokens/s | vs PyTorch |\n|---|---|---|---|", file=sys.stderr)
    for key, label in (("torch", "PyTorch eager (transformers, no hooks)"), ("bare", "OutlierAtlas, no observers"),
                       ("taps", "OutlierAtlas, every tap observed"), ("gemm", "GEMM replay (bound)"),
                       ("quantized", "OutlierAtlas, no observers, weights kept quantized")):
        print(f"| {label} | {best[key]:.3f} | {rate[key]:.0f} | {rate[key] / rate['torch']:.2f}x |", file=sys.stderr)
    print(json.dumps({"torch_tokens_per_s": round(rate["torch"], 1), "atlas_bare_tokens_per_s": round(rate["bare"], 1),
                      "atlas_all_taps_tokens_per_s": round(rate["taps"], 1), "gemm_bound_tokens_per_s": round(rate["gemm"], 1),
                      "atlas_quantized_weights_tokens_per_s": round(rate["quantized"], 1),
                      "threads": threads}))

if __name__ == "__main__":
    main()
