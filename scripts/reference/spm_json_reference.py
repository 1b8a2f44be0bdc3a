#!/usr/bin/env python3
"""Reference ids for SentencePiece-style BPE tokenizer.json files (BPE with byte_fallback).

Llama-2, Mistral, TinyLlama and Gemma ship a Hugging Face tokenizer.json whose model is a BPE with
`byte_fallback: true`. This script makes small ones of the same layouts and the ids that the
`tokenizers` library gives for a fixed list of texts, for Tests/AtlasModelsTests/
TokenizerSentencePieceJSONTests.swift:

1. Trains two small SentencePiece BPE models with the `sentencepiece` trainer (model_type=bpe,
   byte_fallback=True, vocab 2000, one thread, no shuffling, so the result is deterministic) on
   the first 600,000 characters of WikiText-2's wiki.test.raw (the train split is not in
   ../shared) plus a few lines of Cyrillic, Greek, Japanese and Chinese, with
   character_coverage=0.9995 so that the rarest characters are left to byte fallback.
   `llama` has Llama-2's special pieces (<unk> 0, <s> 1, </s> 2) and trainer settings
   (split_digits, no extra-whitespace removal, dummy prefix); `gemma` has Gemma's (<pad> 0,
   <eos> 1, <bos> 2, <unk> 3, user-defined <mask>, <start_of_turn>, <end_of_turn>, no dummy
   prefix).
2. Converts them with transformers' own code:
   - llama-legacy: `convert_slow_tokenizer.LlamaConverter` on a minimal stand-in for the slow
     tokenizer (legacy=True, add_prefix_space=True): normalizer Sequence[Prepend("▁"),
     Replace(" " → "▁")], no pre-tokenizer.
   - llama-metaspace: `transformers.LlamaTokenizer.from_pretrained(<folder with the .model>,
     legacy=False)`, transformers 5's own conversion from a tokenizer.model: no normalizer,
     pre-tokenizer Metaspace(prepend_scheme "first", split false), `unk_token` null.
   - gemma: `convert_slow_tokenizer.GemmaConverter` on a stand-in slow tokenizer: normalizer
     Replace(" " → "▁"), pre-tokenizer Split(" ", MergedWithPrevious) (a no-op after the
     Replace), the "<0x09>" piece renamed "\\t" as the converter does for Gemma.
   In transformers 5.24 both converters fail on their own extractor (SpmConverter.tokenizer calls
   `SpmExtractor(path).extract(vocab_scores)`, which the 5.x SentencePieceExtractor does not take,
   and GemmaSentencePieceExtractor reads a `self.sp` that nothing sets), so `Extractor` below
   gives them what they expect: the vocabulary from sentencepiece and transformers'
   `generate_merges(vocab, vocab_scores)`, as the 4.x extractor did. Everything else is theirs.
   Derived layouts, each made from one of the above with the `tokenizers` API or one documented
   edit of the JSON, cover settings the real files have too:
   - llama-unk: llama-legacy without the byte tokens <0xE0>…<0xEF> (the lead bytes of 3-byte
     UTF-8), so CJK characters that are no piece fall to <unk> (fuse_unk true).
   - llama-unk-nofuse: the same with fuse_unk false.
   - metaspace-always-split: llama-metaspace with Metaspace(prepend_scheme "always",
     split true) (Metaspace's defaults, so also how an older file without those fields reads) and
     two added tokens:
     "[INST]" (normalized) and "<|sep|>" (lstrip, rstrip, not normalized).
   - metaspace-never: llama-metaspace with prepend_scheme "never".
3. Encodes every case with `Tokenizer.from_file(...).encode(text, add_special_tokens=False).ids`
   and decodes the ids with `decode(ids, skip_special_tokens=False)`, and writes
   Tests/Fixtures/spm-json/cases.json: {"versions", "layouts": {name: file}, "cases": [{"name",
   "text", "ids": {layout: [...]}, "decoded": {layout: text}}]}.

Run from the repository root (about 3 s; two runs give byte-identical files):

    /work/venv-torch/bin/python scripts/reference/spm_json_reference.py \
        --wikitext ../shared/data/wikitext-2-raw/wiki.test.raw --out Tests/Fixtures/spm-json

The committed fixtures were made so with /work/venv-torch (Python 3.11.7, tokenizers 0.23.3,
sentencepiece 0.2.3, transformers 5.24.0, protobuf 7.36.2); cases.json "versions" records them.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

import google.protobuf
import sentencepiece as spm
import tokenizers
import transformers
from tokenizers import AddedToken, Tokenizer, pre_tokenizers
from transformers import LlamaTokenizer
from transformers.convert_slow_tokenizer import GemmaConverter, LlamaConverter, SentencePieceExtractor
from transformers.tokenization_utils_base import generate_merges

VOCAB_SIZE = 2000
TRAIN_CHARS = 600_000

EXTRA_TRAINING_TEXT = (
    "Привет, как дела? Москва — столица России, а Санкт-Петербург — её северная столица.\n" * 20
    + "Καλημέρα κόσμε, η Αθήνα είναι η πρωτεύουσα της Ελλάδας.\n" * 10
    + "東京は日本の首都です。大阪は大きな町です。\n" * 10
    + "北京是中国的首都。上海是一个大城市。\n" * 10
)


class Extractor(SentencePieceExtractor):
    """What SpmConverter.tokenizer expects of its extractor: (vocab, merges) for the piece scores."""

    def __init__(self, model):
        super().__init__(model)
        self.sp = spm.SentencePieceProcessor(model_file=model)

    def extract(self, vocab_scores=None):
        vocab = {self.sp.id_to_piece(i): i for i in range(self.sp.GetPieceSize())}
        if "\t" not in vocab and "<0x09>" in vocab:  # as GemmaSentencePieceExtractor does
            vocab["\t"] = vocab["<0x09>"]
        return vocab, generate_merges(vocab, vocab_scores)


class LlamaConverterFixed(LlamaConverter):
    SpmExtractor = Extractor


class GemmaConverterFixed(GemmaConverter):
    SpmExtractor = Extractor


class SlowStandIn:
    """The attributes of a slow (sentencepiece) tokenizer that the converters read."""

    def __init__(self, model_file, legacy=True, **special):
        self.vocab_file = model_file
        self.legacy = legacy
        self.add_prefix_space = True
        self.sp = spm.SentencePieceProcessor(model_file=model_file)
        for k, v in special.items():
            setattr(self, k, v)

    def convert_ids_to_tokens(self, i):
        return self.sp.id_to_piece(i)


def train(prefix, text, **settings):
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(text.splitlines()), model_prefix=prefix, model_type="bpe",
        vocab_size=VOCAB_SIZE, byte_fallback=True, character_coverage=0.9995, num_threads=1,
        shuffle_input_sentence=False, input_sentence_size=0, split_digits=True,
        allow_whitespace_only_pieces=True, remove_extra_whitespaces=False,
        normalization_rule_name="identity", minloglevel=2, **settings)
    return prefix + ".model"


def edited(tok, edit):
    """`tok` with its JSON changed by `edit` (a function on the parsed JSON)."""
    j = json.loads(tok.to_str())
    edit(j)
    return Tokenizer.from_str(json.dumps(j, ensure_ascii=False))


def layouts(work, wikitext):
    text = open(wikitext, encoding="utf-8").read()[:TRAIN_CHARS] + EXTRA_TRAINING_TEXT
    llama_model = train(os.path.join(work, "llama"), text)
    gemma_model = train(
        os.path.join(work, "gemma"), text, pad_id=0, eos_id=1, bos_id=2, unk_id=3, pad_piece="<pad>",
        eos_piece="<eos>", bos_piece="<bos>", unk_piece="<unk>",
        user_defined_symbols=["<mask>", "<start_of_turn>", "<end_of_turn>"], add_dummy_prefix=False)

    out = {}
    out["llama-legacy"] = LlamaConverterFixed(SlowStandIn(llama_model, legacy=True)).converted()

    folder = os.path.join(work, "llama-folder")
    os.makedirs(folder)
    shutil.copy(llama_model, os.path.join(folder, "tokenizer.model"))
    out["llama-metaspace"] = Tokenizer.from_str(
        LlamaTokenizer.from_pretrained(folder, legacy=False).backend_tokenizer.to_str())

    out["gemma"] = GemmaConverterFixed(
        SlowStandIn(gemma_model, pad_token="<pad>", eos_token="<eos>", bos_token="<bos>")).converted()

    def drop_three_byte_leads(j):
        for b in range(0xE0, 0xF0):
            del j["model"]["vocab"][f"<0x{b:02X}>"]

    out["llama-unk"] = edited(out["llama-legacy"], drop_three_byte_leads)

    def no_fuse(j):
        drop_three_byte_leads(j)
        j["model"]["fuse_unk"] = False

    out["llama-unk-nofuse"] = edited(out["llama-legacy"], no_fuse)

    t = Tokenizer.from_str(out["llama-metaspace"].to_str())
    t.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    t.add_tokens([AddedToken("[INST]", normalized=True), AddedToken("<|sep|>", lstrip=True, rstrip=True, normalized=False)])
    out["metaspace-always-split"] = t

    t = Tokenizer.from_str(out["llama-metaspace"].to_str())
    t.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="never", split=False)
    out["metaspace-never"] = t
    return out


def cases(wikitext):
    raw = open(wikitext, encoding="utf-8").read()
    # A 2000-character stretch from well past the training text, starting at a line.
    start = raw.index("\n", TRAIN_CHARS + 100_000) + 1
    paragraph = raw[start:start + 2000]
    return [
        ("english", "The quick brown fox jumps over the lazy dog."),
        ("leading space", " Hello world"),
        ("leading spaces", "   Hello world"),
        ("trailing spaces", "Hello world   "),
        ("multiple spaces", "Hello     world  and   more"),
        ("only spaces", "     "),
        ("single space", " "),
        ("newlines and tabs", "line one\nline two\n\n\tindented\t\ttabs\r\nend"),
        ("digits", "In 2007 there were 1,234,567 people and 3.14159 pies."),
        ("emoji", "Hello 👋 world 🌍🚀 done 👨‍👩‍👧"),
        ("cjk", "東京は日本の首都です。北京是中国的首都。"),
        ("cjk rare", "鬱蒼とした森で麒麟と饕餮を見た"),
        ("cjk then emoji", "鬱🚀蒼 麒😀"),
        ("cyrillic", "Привет, как дела? Съешь же ещё этих мягких французских булок."),
        ("greek", "Καλημέρα κόσμε"),
        ("absent characters", "Ærøskøbing ǅ ℵ ∮ ⅋ ꙮ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u0007\u001b"),
        ("combining marks", "e\u0301 n\u0303 cafe\u0301 re\u0301sume\u0301"),
        ("specials in the middle", "Hello<s>world</s> and <s> spaced </s> end"),
        ("specials at the start", "<s>Hello world</s>"),
        ("special alone", "</s>"),
        ("specials adjacent", "<s></s><s>x"),
        ("unk written", "an <unk> token"),
        ("gemma specials", "<bos><start_of_turn>user\nHi there<end_of_turn>\n<start_of_turn>model<mask> ok<eos>"),
        ("added tokens", "say [INST] hello [/INST] and  <|sep|>  next<|sep|>x"),
        ("metaspace written", "▁Hello ▁▁world▁"),
        ("metaspace alone", "▁"),
        ("empty", ""),
        ("punctuation", "Well... (yes) — \"quoted\" 'single' @-@ [brackets] {braces} #hash $5 100% a&b"),
        ("wikitext paragraph", paragraph),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wikitext", required=True, help="WikiText-2 raw (wiki.test.raw)")
    ap.add_argument("--out", required=True, help="folder for the tokenizer.json files and cases.json")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        toks = layouts(work, args.wikitext)
    files = {}
    for name, tok in toks.items():
        files[name] = f"{name}.tokenizer.json"
        tok.save(os.path.join(args.out, files[name]), pretty=False)
    # Read back from the files, so the ids are those of what is committed.
    loaded = {name: Tokenizer.from_file(os.path.join(args.out, f)) for name, f in files.items()}
    out_cases = []
    for name, text in cases(args.wikitext):
        ids = {k: t.encode(text, add_special_tokens=False).ids for k, t in loaded.items()}
        decoded = {k: loaded[k].decode(v, skip_special_tokens=False) for k, v in ids.items()}
        out_cases.append({"name": name, "text": text, "ids": ids, "decoded": decoded})
    versions = {"python": sys.version.split()[0], "tokenizers": tokenizers.__version__,
                "sentencepiece": spm.__version__, "transformers": transformers.__version__,
                "protobuf": google.protobuf.__version__}
    with open(os.path.join(args.out, "cases.json"), "w", encoding="utf-8") as f:
        json.dump({"versions": versions, "layouts": files, "cases": out_cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for name, f in files.items():
        print(f"{f}: {os.path.getsize(os.path.join(args.out, f))} bytes")
    print(f"cases.json: {len(out_cases)} cases × {len(files)} layouts")


if __name__ == "__main__":
    main()
