#!/usr/bin/env python3
"""Writes the committed seed corpus Fuzz/Corpus/<target>/ from the real files: GGUF headers cut
from the models in models/ (metadata kept, arrays cut to 256 entries, no tensors), the fixtures
in ../shared/fixtures and Tests/Fixtures, the demo study, results of the llama-tiny fixture
(made with `outlier-atlas analyze`, then cut), and hand-made edge cases. Seeds found by fuzzing
(crash inputs and their regression tests) are kept beside them; this script never removes files.
    python3 Fuzz/make-seeds.py [OUTLIER_ATLAS_BINARY]"""
import json, os, shutil, struct, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "fixtures")
TESTS = os.path.join(ROOT, "Tests", "Fixtures")
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")


def put(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def read(path):
    with open(path, "rb") as f:
        return f.read()


# --- GGUF: metadata of the real models, arrays cut, tensor count 0 -------------------------
SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


def gguf_value(b, o, t, keep):
    if t in SIZES:
        return b[o:o + SIZES[t]], o + SIZES[t]
    if t == 8:
        n = struct.unpack_from("<Q", b, o)[0]
        return b[o:o + 8 + n], o + 8 + n
    assert t == 9
    et, n = struct.unpack_from("<IQ", b, o)
    o += 12
    parts = []
    for i in range(n):
        v, o = gguf_value(b, o, et, keep)
        if i < keep:
            parts.append(v)
    return struct.pack("<IQ", et, len(parts)) + b"".join(parts), o


def gguf_metadata_only(path, keep=256):
    with open(path, "rb") as f:
        b = f.read(64 << 20)
    magic, version, _, kv = struct.unpack_from("<IIQQ", b, 0)
    o, out = 24, []
    for _ in range(kv):
        n = struct.unpack_from("<Q", b, o)[0]
        key = b[o:o + 8 + n]
        t = struct.unpack_from("<I", b, o + 8 + n)[0]
        v, o = gguf_value(b, o + 12 + n, t, keep)
        out.append(key + struct.pack("<I", t) + v)
    return struct.pack("<IIQQ", magic, version, 0, kv) + b"".join(out)


for model in ["SmolLM2-135M-Instruct.Q4_1.gguf", "gemma-3-270m-q4_k_m.gguf"]:
    path = os.path.join(ROOT, "models", model)
    if os.path.exists(path):
        put("gguf", model.replace(".gguf", ".metadata.gguf"), gguf_metadata_only(path))
for name in ["llama-tiny.Q4_0.gguf", "llama-tiny.Q8_0.gguf"]:
    put("gguf", name, read(os.path.join(SHARED, "llama-tiny-gguf", name)))
put("gguf", "quant-blocks.gguf", read(os.path.join(SHARED, "quant-blocks.gguf")))
put("gguf", "empty-v3.gguf", struct.pack("<IIQQ", 0x46554747, 3, 0, 0))

# --- Dequantize: type index byte + blocks of real quantized data ---------------------------
blocks = read(os.path.join(SHARED, "quant-blocks.gguf"))[-8192:]
for i in range(16):
    put("dequantize", "type-%02d" % i, bytes([i]) + blocks[i * 300:i * 300 + 1200])

# --- safetensors: small files of every dtype, a real header, the shard index ----------------
def safetensors(tensors):
    header, data = {}, b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data

put("safetensors", "dtypes.safetensors", safetensors([
    ("f32", "F32", [2, 2], struct.pack("<4f", 1, -2, 3.5, 1e30)), ("f16", "F16", [3], b"\x00\x3c\x00\xc0\x00\x7c"),
    ("bf16", "BF16", [1, 2], b"\x80\x3f\x00\xc0"), ("f64", "F64", [1], struct.pack("<d", 2.5)),
    ("i64", "I64", [2], struct.pack("<2q", -1, 7)), ("u8", "U8", [3], b"\x01\x02\x03"), ("b", "BOOL", [2], b"\x00\x01"),
    ("empty", "F32", [0, 4], b""),
]))
with open(os.path.join(ROOT, "models", "all-MiniLM-L6-v2", "model.safetensors"), "rb") if os.path.exists(
        os.path.join(ROOT, "models", "all-MiniLM-L6-v2", "model.safetensors")) else open(os.devnull, "rb") as f:
    head = f.read(8)
    if head:
        put("safetensors", "minilm.header-only.safetensors", head + f.read(struct.unpack("<Q", head)[0]))
put("safetensors", "model.safetensors.index.json",
    read(os.path.join(SHARED, "llama-tiny-sharded", "model.safetensors.index.json")))
put("safetensors", "llama-tiny-shard-2.safetensors",
    read(os.path.join(SHARED, "llama-tiny-sharded", "model-00002-of-00002.safetensors")))

# --- config.json of every family -----------------------------------------------------------
for base, names in [(SHARED, ["llama-tiny", "qwen2-tiny", "gpt2-tiny", "opt-tiny", "bert-tiny"]),
                    (TESTS, ["gemma2-tiny", "gemma3-tiny", "phi3-tiny"])]:
    for n in names:
        put("hf-config", n + ".config.json", read(os.path.join(base, n, "config.json")))

# --- tokenizer.json: the fixtures (the real MiniLM one is 466 KB: its vocabulary cut) -------
put("tokenizer-json", "llama-tiny.tokenizer.json", read(os.path.join(SHARED, "llama-tiny", "tokenizer.json")))
for n in sorted(os.listdir(os.path.join(TESTS, "spm-json"))):
    if n.endswith(".tokenizer.json"):
        t = json.loads(read(os.path.join(TESTS, "spm-json", n)))
        t["model"]["vocab"] = t["model"]["vocab"][:300] if isinstance(t["model"]["vocab"], list) else t["model"]["vocab"]
        put("tokenizer-json", n, json.dumps(t))
minilm = os.path.join(ROOT, "models", "all-MiniLM-L6-v2", "tokenizer.json")
if os.path.exists(minilm):
    t = json.loads(read(minilm))
    t["model"]["vocab"] = {k: v for k, v in t["model"]["vocab"].items() if v < 2000}
    put("tokenizer-json", "minilm-cut.tokenizer.json", json.dumps(t))

# --- texts for the tokenizers --------------------------------------------------------------
cases = json.loads(read(os.path.join(SHARED, "tokenizer-cases.json")))["cases"]
texts = [c["text"] if isinstance(c, dict) else c for c in cases][:40]
for i, text in enumerate(texts):
    put("tokenizers", "case-%02d.txt" % i, text)
put("tokenizers", "bytes.bin", bytes(range(256)))
put("tokenizers", "specials.txt", "<s></s><|endoftext|><|im_start|>[CLS][SEP][UNK]<unk> ▁Ġ##\u200d\ufeff\U0001F600e\u0301")

# --- study YAML: the demo, the template, alias bombs, deep nesting -------------------------
put("study-yaml", "atlas.yaml", read(os.path.join(ROOT, "atlas.yaml")))
bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    "%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n" % ((chr(98 + i), chr(98 + i)) + (chr(97 + i),) * 9)
    for i in range(8))
put("study-yaml", "alias-bomb.yaml", bomb + "models: *i\ndatasets: *i\n")
put("study-yaml", "alias-bomb-models.yaml", "models:\n  - &m {path: m.gguf, label: a}\n  - *m\n" + bomb)
put("study-yaml", "deep-nesting.yaml", "models: " + "[" * 5000 + "]" * 5000 + "\n")
put("study-yaml", "deep-mapping.yaml", "models:\n" + "".join("  " * i + "k%d:\n" % i for i in range(300)))
put("study-yaml", "merge-keys.yaml", "x: &x {path: a.gguf}\nmodels:\n  - <<: *x\n    label: a\ndatasets:\n  - {file: t.txt, window_size: 8}\n")

# --- results: the llama-tiny fixture analyzed (1 window of 8 tokens), cut -------------------
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "release", "outlier-atlas")
if os.path.exists(binary):
    out = tempfile.mkdtemp()
    text = os.path.join(os.path.dirname(SHARED), "data", "wikitext-2-raw", "wiki.test.raw")
    for label, model, extra in [("llama-tiny", "llama-tiny.Q8_0.gguf", []),
                                ("llama-tiny-variants", "llama-tiny.Q4_0.gguf", ["--scheme", "W8A8", "--mitigation", "smoothquant"])]:
        subprocess.run([binary, "analyze", "--model", os.path.join(SHARED, "llama-tiny-gguf", model), "--text", text,
                        "--windows", "1", "--window-size", "8", "--label", label, "--out", out] + extra,
                       check=True, stderr=subprocess.DEVNULL)
        r = json.loads(read(os.path.join(out, label + ".json")))
        put("results", label + ".full.json", json.dumps(r, separators=(",", ":"), sort_keys=True))

        def cut(v):
            if isinstance(v, list):
                return [cut(x) for x in v[:4]]
            if isinstance(v, dict):
                return {k: cut(x) for k, x in v.items()}
            return v
        put("results", label + ".json", json.dumps(cut(r), indent=1, sort_keys=True))
    shutil.rmtree(out)

# --- CSV tables (records 0x1E, cells 0x1F, first byte of a cell: 0 text, 1 number, 2 int, 3 empty)
put("csv", "table.bin", b"layer\x1ftoken\x1fvalue\x1e\x022\x1f\x00=SUM(A1)\x1f\x01\x40\x09\x21\xfb\x54\x44\x2d\x18"
    b"\x1e\x02\xff\x1f\x00a,\"b\"\r\nc\x1f\x03")
put("csv", "unicode.bin", "h\x1e\x00e\u0301,\u200d\"\x1f\x00-\u0308\x1e\x00\t\r".encode())
