#!/usr/bin/env python3
"""Reference ids for the SentencePiece (SPM) tokenizer of a GGUF file (tokenizer.ggml.model = llama).

Reads the vocabulary with gguf-py, builds a sentencepiece ModelProto from it (BPE, identity
normalizer, byte fallback) and encodes a fixed set of cases with sentencepiece itself. llama.cpp
first cuts the text at every control / user-defined / unknown token (longest token first, as its
tokenizer_st_partition does with parse_special = true) and runs SPM on each piece in between; the
same cut is done here in Python and sentencepiece encodes the pieces. `ids` are those (no BOS).
Where plain sentencepiece on the whole text differs, its ids are kept as `sentencepiece_ids`.

    python3 spm_reference.py ../../models/gemma-3-270m-q4_k_m.gguf \
        /work/shared/data/wikitext-2-raw/wiki.test.raw --json gemma3-spm-cases.json
"""
import argparse
import json

import gguf
from sentencepiece import SentencePieceProcessor
from sentencepiece import sentencepiece_model_pb2 as spm_pb2

# GGUF token types (llama.cpp LLAMA_TOKEN_TYPE_*) → sentencepiece piece types.
PIECE_TYPE = {
    1: spm_pb2.ModelProto.SentencePiece.NORMAL,
    2: spm_pb2.ModelProto.SentencePiece.UNKNOWN,
    3: spm_pb2.ModelProto.SentencePiece.CONTROL,
    4: spm_pb2.ModelProto.SentencePiece.USER_DEFINED,
    5: spm_pb2.ModelProto.SentencePiece.UNUSED,
    6: spm_pb2.ModelProto.SentencePiece.BYTE,
}
# Matched whole before SPM by llama.cpp with parse_special = true: unknown, control, user-defined.
SPECIAL_TYPES = (2, 3, 4)


def field(reader, key, default=None):
    f = reader.fields.get(key)
    return default if f is None else f.contents()


def read_vocab(path):
    r = gguf.GGUFReader(path)
    assert field(r, "tokenizer.ggml.model") == "llama", "not an SPM vocabulary"
    return {
        "tokens": field(r, "tokenizer.ggml.tokens"),
        "scores": field(r, "tokenizer.ggml.scores"),
        "types": field(r, "tokenizer.ggml.token_type"),
        "unk": field(r, "tokenizer.ggml.unknown_token_id", 0),
        "bos": field(r, "tokenizer.ggml.bos_token_id", 1),
        "eos": field(r, "tokenizer.ggml.eos_token_id", 2),
        "pad": field(r, "tokenizer.ggml.padding_token_id", -1),
        "add_space_prefix": bool(field(r, "tokenizer.ggml.add_space_prefix", True)),
    }


def build_processor(v):
    m = spm_pb2.ModelProto()
    for i, (t, s, ty) in enumerate(zip(v["tokens"], v["scores"], v["types"])):
        p = m.pieces.add()
        p.piece = t
        p.score = s
        # sentencepiece wants its unk id to be an UNKNOWN piece (Gemma's GGUF marks it control).
        p.type = spm_pb2.ModelProto.SentencePiece.UNKNOWN if i == v["unk"] else PIECE_TYPE[ty]
    ts = m.trainer_spec
    ts.model_type = spm_pb2.TrainerSpec.BPE
    ts.vocab_size = len(v["tokens"])
    ts.byte_fallback = True
    ts.unk_id, ts.bos_id, ts.eos_id, ts.pad_id = v["unk"], v["bos"], v["eos"], v["pad"]
    ns = m.normalizer_spec
    ns.name = "identity"
    ns.add_dummy_prefix = v["add_space_prefix"]
    ns.remove_extra_whitespaces = False
    ns.escape_whitespaces = True
    sp = SentencePieceProcessor()
    sp.LoadFromSerializedProto(m.SerializeToString())
    return sp


def partition(data, specials):
    """llama.cpp's tokenizer_st_partition on UTF-8 bytes: for each special token, longest first
    (ties by id), cut every leftmost non-overlapping occurrence out of the text pieces left."""
    pieces = [("text", data)] if data else []
    for tid, tb in specials:
        out = []
        for kind, x in pieces:
            if kind != "text":
                out.append((kind, x))
                continue
            start = 0
            while True:
                at = x.find(tb, start)
                if at < 0:
                    break
                if at > start:
                    out.append(("text", x[start:at]))
                out.append(("token", tid))
                start = at + len(tb)
            if start < len(x):
                out.append(("text", x[start:]))
        pieces = out
    return pieces


def llama_cpp_ids(sp, specials, text):
    ids = []
    for kind, x in partition(text.encode("utf-8"), specials):
        ids.extend([x] if kind == "token" else sp.encode(x.decode("utf-8")))
    return ids


def wikitext_paragraphs(path, count):
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n") if len(l) > 400 and not l.startswith(" =")]
    return lines[:count]


def cases(wikitext):
    fixed = [
        ("empty", ""),
        ("plain_english", "The quick brown fox jumps over the lazy dog."),
        ("sentence_punctuation", "Hello, world! How are you doing today? I'm fine; thanks."),
        ("leading_space", " leading space"),
        ("trailing_space", "trailing space "),
        ("two_spaces", "two  spaces"),
        ("many_spaces", "a     b          c"),
        ("forty_spaces", "x" + " " * 40 + "y"),
        ("only_spaces", "   "),
        ("single_space", " "),
        ("newline", "line one\nline two"),
        ("blank_lines", "para one\n\n\npara two\n"),
        ("crlf", "windows\r\nline\r\n"),
        ("tabs", "col1\tcol2\t\tcol3"),
        ("space_newline_mix", "a \n b\t \n\n  c"),
        ("cjk", "日本語のテキストと中文文本，还有한국어 텍스트。"),
        ("emoji", "Emoji: 😀🎉👍🏽 and a family 👨‍👩‍👧‍👦!"),
        ("accents", "Café naïve résumé — Zürich, São Paulo, Ångström, façade."),
        ("combining_marks", "e\u0301 a\u0308 n\u0303 (decomposed accents)"),
        ("digits", "0123456789 3.14159 -42 1,000,000 2026-12-03 0x1F"),
        ("arithmetic", "12+34=46, 7*8=56, 100/4=25"),
        ("code_python", "def f(x):\n    if x > 0:\n        return {'a': [1, 2]}\n    return None\n"),
        ("code_c", "int main(void) {\n\tfor (int i = 0; i < 10; ++i) { printf(\"%d\\n\", i); }\n\treturn 0;\n}"),
        ("html", "<p>Fish &amp; chips</p> <div class=\"x\">a < b && c > d</div>"),
        ("html_user_defined_tags", "<table><tr><td>1</td><td>2</td></tr></table> <b>bold</b> <code>x</code>"),
        ("chat_turn", "<start_of_turn>user\nHi there<end_of_turn>\n<start_of_turn>model\n"),
        ("control_text", "<bos> and <eos> and <unk> written in the text"),
        ("private_use", "private \ue000\U000f0000 use"),
        ("rare_chars", "ancient 𓀀𐎀 scripts ⿰ and ꙮ"),
        ("control_chars", "bell\x07 escape\x1b[0m nul-free"),
        ("lower_one_eighth_block", "already ▁ escaped ▁▁ text"),
        ("mixed_scripts", "Ελληνικά русский עברית العربية हिन्दी ไทย"),
        ("url", "https://example.com/path?q=a+b&lang=en#frag"),
        ("repeated_chars", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!!!!!!!!!!?????"),
        ("punct_runs", "...---___***///\\\\|||"),
        ("quotes", "\"double\" 'single' «guillemets» “curly” ‘curly’"),
    ]
    fixed += [(f"wikitext_{i}", p) for i, p in enumerate(wikitext)]
    return fixed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gguf")
    ap.add_argument("wikitext")
    ap.add_argument("--json", required=True)
    ap.add_argument("--paragraphs", type=int, default=3)
    a = ap.parse_args()

    v = read_vocab(a.gguf)
    sp = build_processor(v)
    specials = sorted(((i, t.encode("utf-8")) for i, (t, ty) in enumerate(zip(v["tokens"], v["types"]))
                       if ty in SPECIAL_TYPES and t),
                      key=lambda it: (-len(it[1]), it[0]))
    out = []
    for name, text in cases(wikitext_paragraphs(a.wikitext, a.paragraphs)):
        case = {"name": name, "text": text, "ids": llama_cpp_ids(sp, specials, text)}
        plain = sp.encode(text)
        if plain != case["ids"]:
            case["sentencepiece_ids"] = plain
        out.append(case)
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump({"model": a.gguf.split("/")[-1], "parse_special": True, "cases": out}, f,
                  ensure_ascii=False, indent=1)
        f.write("\n")
    differ = [c["name"] for c in out if "sentencepiece_ids" in c]
    print(f"{len(out)} cases; plain sentencepiece differs on {len(differ)}: {', '.join(differ)}")


if __name__ == "__main__":
    main()
