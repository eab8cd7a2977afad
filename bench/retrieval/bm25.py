#!/usr/bin/env python3
"""An independent BM25 (k1 = 1.2, b = 0.75, FTS5's idf) over CISI or Cranfield, to check `quiver eval retrieval
--modes keyword`. It shares no code with Quiver: its own SMART readers, its own tokeniser imitating FTS5's
`unicode61 remove_diacritics 2` (runs of letters, digits and private-use characters, lower-cased, accents dropped),
its own Porter stemmer (Porter 1980, as FTS5's `porter` tokenizer applies it to tokens of 3 to 64 characters), and
its own nDCG@10 (linear graded gains).

Usage: python3 bench/retrieval/bm25.py /work/shared/data/retrieval/cranfield [--stemming english|none]
"""
import math
import os
import re
import sys
import unicodedata


def smart(path):
    records, current, field = [], None, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            rid = re.match(r"^\.I\s+(\S+)\s*$", line)
            tag = re.match(r"^\.([A-Z])\s*$", line)
            if rid:
                if current:
                    records.append(current)
                current, field = {"id": rid.group(1), "fields": {}}, None
                continue
            if tag:
                field = tag.group(1)
                current["fields"][field] = []
                continue
            if current is not None and field is not None:
                current["fields"][field].append(line)
    if current:
        records.append(current)
    for r in records:
        r["fields"] = {k: "\n".join(v).strip() for k, v in r["fields"].items()}
    return records


def join(*parts):
    return "\n".join(p for p in parts if p)


def load(folder):
    if os.path.exists(os.path.join(folder, "CISI.ALL")):
        docs = [(r["id"], join(r["fields"].get("T", ""), r["fields"].get("W", ""))) for r in smart(os.path.join(folder, "CISI.ALL"))]
        queries = [(r["id"], join(r["fields"].get("T", ""), r["fields"].get("W", ""))) for r in smart(os.path.join(folder, "CISI.QRY"))]
        qrels = {}
        for line in open(os.path.join(folder, "CISI.REL")):
            p = line.split()
            if p:
                qrels.setdefault(p[0], {})[p[1]] = 1
    else:
        docs = [(r["id"], join(r["fields"].get("T", ""), r["fields"].get("W", ""))) for r in smart(os.path.join(folder, "cran.all.1400"))]
        # cranqrel numbers the queries by position, not by cran.qry's .I numbers.
        queries = [(str(i + 1), r["fields"].get("W", "")) for i, r in enumerate(smart(os.path.join(folder, "cran.qry")))]
        qrels = {}
        for line in open(os.path.join(folder, "cranqrel")):
            p = line.split()
            if len(p) >= 3 and 1 <= int(p[2]) <= 4:
                g = qrels.setdefault(p[0], {})
                g[p[1]] = max(g.get(p[1], 0), 5 - int(p[2]))
    return docs, queries, qrels


def fold(ch):
    # remove_diacritics 2: decompose and drop combining marks.
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))


def tokens(text):
    out, cur = [], []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LN" or cat == "Co":
            cur.append(fold(ch).lower())
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return [t for t in out if t]


# ---- Porter (1980) ----
def _cons(w, i):
    c = w[i]
    if c in "aeiou":
        return False
    if c == "y":
        return i == 0 or not _cons(w, i - 1)
    return True


def _m(stem):
    n, i, L = 0, 0, len(stem)
    while i < L and _cons(stem, i):
        i += 1
    while i < L:
        while i < L and not _cons(stem, i):
            i += 1
        if i >= L:
            break
        while i < L and _cons(stem, i):
            i += 1
        n += 1
    return n


def _vowel_in(stem):
    return any(not _cons(stem, i) for i in range(len(stem)))


def _double_c(w):
    return len(w) >= 2 and w[-1] == w[-2] and _cons(w, len(w) - 1)


def _cvc(w):
    if len(w) < 3:
        return False
    return _cons(w, len(w) - 3) and not _cons(w, len(w) - 2) and _cons(w, len(w) - 1) and w[-1] not in "wxy"


def _replace(w, suffix, repl, cond):
    if w.endswith(suffix):
        stem = w[: len(w) - len(suffix)]
        return (stem + repl if cond(stem) else w), True
    return w, False


def porter(w):
    if len(w) < 3 or len(w) > 64 or not re.fullmatch(r"[a-z]+", w):
        return w
    # 1a
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("ss"):
        pass
    elif w.endswith("s"):
        w = w[:-1]
    # 1b
    extra = False
    if w.endswith("eed"):
        if _m(w[:-3]) > 0:
            w = w[:-1]
    elif w.endswith("ed") and _vowel_in(w[:-2]):
        w, extra = w[:-2], True
    elif w.endswith("ing") and _vowel_in(w[:-3]):
        w, extra = w[:-3], True
    if extra:
        if w.endswith(("at", "bl", "iz")):
            w += "e"
        elif _double_c(w) and w[-1] not in "lsz":
            w = w[:-1]
        elif _m(w) == 1 and _cvc(w):
            w += "e"
    # 1c
    if w.endswith("y") and _vowel_in(w[:-1]):
        w = w[:-1] + "i"
    # 2
    for s, r in [("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("abli", "able"),
                 ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
                 ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
                 ("iviti", "ive"), ("biliti", "ble")]:
        w, hit = _replace(w, s, r, lambda st: _m(st) > 0)
        if hit:
            break
    # 3
    for s, r in [("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", "")]:
        w, hit = _replace(w, s, r, lambda st: _m(st) > 0)
        if hit:
            break
    # 4
    for s in ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
              "ous", "ive", "ize"]:
        if w.endswith(s):
            st = w[: len(w) - len(s)]
            if _m(st) > 1 and (s != "ion" or (st and st[-1] in "st")):
                w = st
            break
    # 5a
    if w.endswith("e"):
        st = w[:-1]
        if _m(st) > 1 or (_m(st) == 1 and not _cvc(st)):
            w = st
    # 5b
    if _m(w) > 1 and _double_c(w) and w.endswith("l"):
        w = w[:-1]
    return w


def main():
    folder = sys.argv[1]
    stem = "--stemming" not in sys.argv or sys.argv[sys.argv.index("--stemming") + 1].lower() == "english"
    norm = porter if stem else (lambda t: t)
    docs, queries, qrels = load(folder)
    index, lengths = {}, {}
    for did, text in docs:
        toks = [norm(t) for t in tokens(text)]
        if not toks:
            continue
        lengths[did] = len(toks)
        for t in toks:
            index.setdefault(t, {})
            index[t][did] = index[t].get(did, 0) + 1
    n, avgdl = len(lengths), sum(lengths.values()) / len(lengths)
    k1, b = 1.2, 0.75
    total = 0.0
    judged = [(q, t) for q, t in queries if any(g > 0 for g in qrels.get(q, {}).values())]
    for qid, text in judged:
        seen, terms = set(), []
        for t in tokens(text):
            if t not in seen:
                seen.add(t)
                terms.append(norm(t))
        scores = {}
        for t in terms:
            postings = index.get(t, {})
            if not postings:
                continue
            idf = math.log((n - len(postings) + 0.5) / (len(postings) + 0.5))
            idf = idf if idf > 0 else 1e-6
            for did, tf in postings.items():
                scores[did] = scores.get(did, 0.0) + idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[did] / avgdl))
        ranking = [d for d, _ in sorted(scores.items(), key=lambda p: (-p[1], p[0]))][:10]
        gains = qrels[qid]
        dcg = sum(gains.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranking))
        ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted((g for g in gains.values() if g > 0), reverse=True)[:10]))
        total += dcg / ideal
    print(f"{os.path.basename(folder.rstrip('/'))}\tstemming={'english' if stem else 'none'}\tqueries={len(judged)}\tnDCG@10={100 * total / len(judged):.2f}")


if __name__ == "__main__":
    main()
