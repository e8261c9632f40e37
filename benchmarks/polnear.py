"""Quote attribution against PolNeAR (real 2016 US election news with gold attribution relations).

  python benchmarks/polnear.py [--split dev|train] [--limit N] [--show N] [--context C]
                               [--cache DIR] [--json FILE] [--data DIR] [--code DIR]

`--code DIR` runs the builder package of another tree (DIR/builder, DIR/schemas), e.g. a
commit exported with `git archive COMMIT builder schemas | tar -x -C DIR`, so a
figure can be tied to a commit while the working tree changes.

Runs the project's rules (builder.run.build.analyse_corpus, rules only, no gold) over
the split's articles and scores the quotes they find against PolNeAR's gold
attribution relations:

- quotes: the Gender Gap Tracker's metric. A gold content (the union of its
  spans) is found when one predicted quote covers more than 30 % of it,
  |gold & pred| / |gold| (and, stricter, more than 80 %). Each prediction and
  each gold relation is used at most once: a maximum bipartite matching per
  article (Kuhn's augmenting paths, each gold trying its candidate predictions
  in decreasing coverage, so among maximum matchings the better-covering pairs
  are preferred). P = matched predictions / predictions, R = matched gold / gold.
- speakers, over the found quotes (30 % matching) whose gold relation has a
  source: (a) mention: the predicted speaker mention overlaps the gold SOURCE
  span; (b) name: the predicted speaker name agrees with the gold source's
  name (see `gold_names`, `names_agree`: the gold source text and CoreNLP's
  representative, cut before their description, lowercase, titles stripped;
  agreement on the whole name or on the last word). CoreNLP's representative
  is automatic and sometimes wrong, so (b) is a lower bound where the gold
  source is a pronoun; sources that are only a pronoun with no CoreNLP name
  are left out of (b) and counted.
- twice: (i) gold relations whose cue is a speech cue (SPEECH_LEMMAS below,
  defined here and not taken from schemas/speech.yaml, so the measure is not
  circular); (ii) all relations (PolNeAR also annotates beliefs, attitudes,
  evidence: "wants", "believes", "shows", "found"). In (i) a prediction that
  matches no speech relation but does match a non-speech relation (same
  criterion, in a second matching over what is left) is neutral: it is taken
  out of the precision's denominator, neither right nor wrong.
- an error breakdown: missed gold by is_direct, by cue and by reason (no
  prediction overlaps it, covered 30 % or less, its prediction matched another
  relation, not in the cleaned text); predictions that match no gold (pieces of
  a found relation, which PolNeAR joins around "X said" and the rules may split
  in two, are counted apart, with P*/F1* not counting them); found quotes whose
  speaker is null or wrong, by the gold source's kind (name, descriptor,
  pronoun). `--show N` prints
  N examples of each class to the terminal (never write them into a committed
  file: the texts are their outlets' work).

Offsets: the rules run on the cleaned text (furniture dropped, spacing and
quotation marks repaired, the title line possibly taken as the title); their
offsets are mapped to the raw text that the gold indexes with
difflib.SequenceMatcher(autojunk=False) (curly and straight quotation marks,
non-breaking and plain spaces taken as equal): first over the whitespace-separated
words, then character by character inside the gaps between matched words. A
span maps to [raw position of its first matched character, raw position of
its last matched character + 1).

Speaker mentions: from the quote records' `speaker_start`/`speaker_end` when
they have them; otherwise approximated (figures marked "approximate") within
250 characters of the quote by the occurrence of the predicted speaker's
name, or its last word, or, for a speaker resolved by coreference, a subject
pronoun, nearest the quote's cue word (see `approximate_mention`).
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DATA = Path("/work/shared/eval/polnear")
THRESHOLDS = (0.3, 0.8)
SPEAKER_THRESHOLD = 0.3
APPROX_WINDOW = 250

# ------------------------------------------------------------------ speech cues (independent of schemas/)

# Reporting verbs: saying, and written or recorded communication (lemmas). Left out on purpose:
# cognition, attitude, evidence and evaluation (believe, think, know, want, hope, expect, see, find,
# show, seem, support, oppose, agree, cite, criticize, praise, blast, attack, defend), and verbs that
# mostly name or characterise rather than report ("called him a liar", "described it as", "questions
# about", which PolNeAR also annotates).
SPEECH_LEMMAS = frozenset(
    """
    say tell add note warn write announce state explain argue claim insist ask reply respond answer
    declare comment remark observe mention stress emphasize emphasise admit acknowledge concede
    confirm deny suggest predict promise pledge vow threaten urge recall repeat reiterate assert
    allege contend maintain tweet post testify complain joke quip boast brag shout yell scream
    whisper continue report quote inform disclose reveal caution demand accuse propose hint assure
    reassure advise recount lament retort counter chant exclaim
    """.split()
)
IRREGULAR = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written")}
# Multi-word cues: consecutive words (any form of the first one).
SPEECH_PHRASES = (("according", "to"), ("point", "out"))
PUNCT_CUE = re.compile(r"^[\W_]*$")  # ":", "—", a quotation mark: a quotation laid out without a verb


def _forms(lemma: str) -> set[str]:
    """Regular inflections (over-generating is harmless: only cue words are looked up)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing",
             lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return forms | set(IRREGULAR.get(lemma, ()))


SPEECH_FORMS = {form: lemma for lemma in SPEECH_LEMMAS for form in _forms(lemma)}


def cue_words(cue: str | None) -> list[str]:
    return re.findall(r"[a-z]+", (cue or "").lower().replace("’", "'"))


def is_speech_cue(cue: str | None) -> bool:
    """Speech when a word of the cue is a form of a speech lemma, it holds a speech phrase, or it is
    punctuation only (a colon, a dash, a quotation mark introducing the quotation)."""
    if PUNCT_CUE.match(cue or ""):
        return True
    words = cue_words(cue)
    if any(w in SPEECH_FORMS for w in words):
        return True
    for first, second in SPEECH_PHRASES:
        for a, b in zip(words, words[1:]):
            if b == second and (a == first or a in _forms(first)):
                return True
    return False


def cue_key(cue: str | None) -> str:
    """A cue for grouping: its speech lemma when it has one, else its words ("has said" -> say)."""
    if PUNCT_CUE.match(cue or ""):
        return f"<punct {(cue or '').strip() or 'none'}>"
    words = cue_words(cue)
    for w in words:
        if w in SPEECH_FORMS:
            return SPEECH_FORMS[w]
    return " ".join(words)


# ------------------------------------------------------------------ names

PRONOUNS = frozenset("i me my we us our you your he him his she her it its they them their who whom which that this these those one someone".split())
TITLES = frozenset(
    """the a an mr mrs ms miss dr sen senator rep representative gov governor president vice former gen general
    lt col sgt rev mayor judge justice prof professor sir secretary his her their its our my
    """.split()
)
SUFFIXES = frozenset("jr sr ii iii iv".split())


def norm_name(name: str | None) -> list[str]:
    """Lowercase words (hyphens split) without a possessive 's, leading titles and determiners, and a
    trailing Jr./III: "Sen. Bernie Sanders" -> [bernie, sanders], "Park Geun - hye" -> [park, geun, hye]."""
    text = (name or "").lower().replace("’", "'")
    text = re.sub(r"'s\b|'\B", "", text)
    words = re.findall(r"[a-z0-9]+", text)
    while len(words) > 1 and words[0] in TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    return words


# where a source's name ends and its description begins: "Phil Smith, a spokesman for ...",
# "Rep. G.K. Butterfield (D-N.C.)", CoreNLP's "-LRB-", "Rucker Culpepper, who runs ..."
NAME_END = re.compile(r",|\(|-LRB-|\s(?:who|whose|which)\s")


def gold_names(rel: dict) -> list[list[str]]:
    """The gold source's names: its text as written and CoreNLP's representative (unless a pronoun),
    each cut where its description begins, and also before " of " ("Mr. Morgan of the Sierra Club")."""
    out = []
    for name in (rel.get("speaker"), rel.get("speaker_corenlp_rep")):
        head = NAME_END.split(name or "", maxsplit=1)[0]
        before_of = head.split(" of ")[0].split()
        named = before_of and before_of[-1][:1].isupper() and before_of[-1].lower().strip(".") not in TITLES
        for variant in (head, " ".join(before_of) if named else ""):
            words = norm_name(variant)
            if words and not (len(words) == 1 and words[0] in PRONOUNS) and words not in out:
                out.append(words)
    return out


def names_agree(pred: str, golds: list[list[str]]) -> bool:
    """Same normalised name, or same last word (a surname; 'officials' = 'official')."""
    p = norm_name(pred)
    if not p:
        return False
    return any(p == g or p[-1].rstrip("s") == g[-1].rstrip("s") for g in golds)


def gold_source_kind(rel: dict) -> str:
    words = norm_name(rel.get("speaker"))
    if not rel.get("speaker_spans") or rel.get("attribution_type") == "Attribution-no-source":
        return "no source"
    if len(words) == 1 and words[0] in PRONOUNS:
        return "pronoun"
    # a name when the head of the source (its last word before a description) is capitalised:
    # "Sen. Tim Kaine (D-Va.)" and "Kaine" are names, "The Florida senator" and "critics" are not
    head = NAME_END.split(rel.get("speaker") or "", maxsplit=1)[0].split(" of ")[0].split()
    return "name" if head and head[-1][:1].isupper() else "descriptor"


# ------------------------------------------------------------------ offsets: cleaned text -> raw text


class OffsetMap:
    """Matching blocks (clean_start, raw_start, size) of the cleaned against the raw text."""

    def __init__(self, clean: str, raw: str):
        self.blocks = _char_blocks(clean, raw)
        self.starts = [b[0] for b in self.blocks]
        self.kept = sorted((b, b + size) for _, b, size in self.blocks)  # raw text the cleaned text keeps

    def kept_share(self, spans) -> float:
        """How much of raw `spans` the cleaned text kept (not the title line, not furniture)."""
        total = sum(b - a for a, b in spans)
        kept = sum(max(0, min(b, y) - max(a, x)) for a, b in spans for x, y in self.kept if x < b and y > a)
        return kept / total if total else 1.0

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Raw span from the first to the last matched character of clean[start:end]."""
        if end <= start or not self.blocks:
            return None
        k = bisect.bisect_right(self.starts, start) - 1
        raw_start = None
        if k >= 0 and start < self.blocks[k][0] + self.blocks[k][2]:
            raw_start = self.blocks[k][1] + start - self.blocks[k][0]
        elif k + 1 < len(self.blocks) and self.blocks[k + 1][0] < end:
            raw_start = self.blocks[k + 1][1]
        if raw_start is None:
            return None
        last = end - 1
        k = bisect.bisect_right(self.starts, last) - 1
        a, b, size = self.blocks[k]
        raw_end = b + min(last - a, size - 1) + 1
        return (raw_start, raw_end) if raw_end > raw_start else None


# one character for one, so offsets are unchanged: curly and straight marks align
SAME_CHAR = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def _char_blocks(clean: str, raw: str) -> list[tuple[int, int, int]]:
    clean, raw = clean.translate(SAME_CHAR), raw.translate(SAME_CHAR)
    ct = [m.span() for m in re.finditer(r"\S+", clean)]
    rt = [m.span() for m in re.finditer(r"\S+", raw)]
    words = difflib.SequenceMatcher(None, [clean[a:b] for a, b in ct], [raw[a:b] for a, b in rt], autojunk=False)
    blocks: list[tuple[int, int, int]] = []
    prev_c = prev_r = 0
    for i, j, n in words.get_matching_blocks():
        gap_c = ct[i][0] if i < len(ct) else len(clean)
        gap_r = rt[j][0] if j < len(rt) else len(raw)
        if gap_c > prev_c and gap_r > prev_r:  # words that differ (repaired): character by character
            chars = difflib.SequenceMatcher(None, clean[prev_c:gap_c], raw[prev_r:gap_r], autojunk=False)
            blocks.extend((prev_c + a, prev_r + b, s) for a, b, s in chars.get_matching_blocks() if s)
        for k in range(n):
            (a0, a1), (b0, _) = ct[i + k], rt[j + k]
            blocks.append((a0, b0, a1 - a0))
        if n:
            prev_c, prev_r = ct[i + n - 1][1], rt[j + n - 1][1]
    return blocks


# ------------------------------------------------------------------ running the rules


def run_rules(articles: list[dict], cache_dir: Path, progress: bool) -> tuple[dict, list, dict]:
    """{article_id: AnalysedArticle}, errors, versions. One analyse_corpus call over the split; if it
    raises, the error is reported and the articles are analysed one by one (the cache keeps what
    the failed run finished), so one bad article costs only itself."""
    from builder.run.build import BuildOptions, analyse_corpus

    errors: list[dict] = []
    versions: dict = {}

    def run(subset: list[dict], tmp: Path) -> dict:
        inp = tmp / "in"
        inp.mkdir(parents=True)
        file_of = {}
        for i, a in enumerate(subset):  # one file per article: skip_bad then drops only that article
            file_of[f"{i:05d}.jsonl"] = a["id"]
            (inp / f"{i:05d}.jsonl").write_text(json.dumps({"id": a["id"], "text": a["text"]}, ensure_ascii=False) + "\n", encoding="utf-8")
        opts = BuildOptions(input_dir=inp, out_dir=tmp / "x", use_gold=False, cache_dir=cache_dir, progress=progress, skip_bad=True)
        corpus = analyse_corpus(opts)
        versions.update(corpus.versions)
        for s in corpus.read.skipped:
            errors.append({"article": file_of.get(s["file"], s["file"]), "stage": "ingest", "error": s["reason"]})
        out = {a.article.article_id: a for a in corpus.analysed}
        for d in corpus.read.duplicates:  # same cleaned text as another article: same analysis
            if d["same_as"] in out:
                out[d["article_id"]] = out[d["same_as"]]
        return out

    with tempfile.TemporaryDirectory(prefix="polnear-") as tmp:
        try:
            return run(articles, Path(tmp) / "all"), errors, versions
        except Exception as exc:  # noqa: BLE001 (the build code may be mid-edit: report, go on)
            errors.append({"article": "<whole split>", "stage": "analyse_corpus", "error": f"{type(exc).__name__}: {exc}"})
        analysed: dict = {}
        for n, a in enumerate(articles):
            try:
                analysed.update(run([a], Path(tmp) / f"one{n}"))
            except Exception as exc:  # noqa: BLE001
                errors.append({"article": a["id"], "stage": "analyse_corpus", "error": f"{type(exc).__name__}: {exc}"})
        return analysed, errors, versions


# ------------------------------------------------------------------ matching


@dataclass
class Gold:
    index: int
    rel: dict
    spans: list[tuple[int, int]]
    length: int
    speech: bool


@dataclass
class Pred:
    index: int
    quote: object
    span: tuple[int, int] | None  # raw offsets
    mention: tuple[int, int] | None = None  # raw offsets of the speaker mention
    how: str = "none"  # the mention from speaker_start/end ('exact'), 'approximate', or 'none'


def coverage(g: Gold, p: Pred) -> float:
    if p.span is None or not g.length:
        return 0.0
    s, e = p.span
    return sum(max(0, min(b, e) - max(a, s)) for a, b in g.spans) / g.length


def match(golds: list[Gold], preds: list[Pred], threshold: float) -> dict[int, int]:
    """Maximum matching gold index -> pred index over pairs with coverage > threshold."""
    edges: dict[int, list[int]] = {}
    best: dict[int, float] = {}
    for g in golds:
        cands = [(coverage(g, p), p.index) for p in preds]
        cands = sorted(((c, i) for c, i in cands if c > threshold), key=lambda x: (-x[0], x[1]))
        edges[g.index] = [i for _, i in cands]
        best[g.index] = cands[0][0] if cands else 0.0
    owner: dict[int, int] = {}  # pred -> gold

    def augment(gi: int, seen: set) -> bool:
        for pi in edges[gi]:
            if pi in seen:
                continue
            seen.add(pi)
            if pi not in owner or augment(owner[pi], seen):
                owner[pi] = gi
                return True
        return False

    for gi in sorted(edges, key=lambda gi: (-best[gi], gi)):
        augment(gi, set())
    return {gi: pi for pi, gi in owner.items()}


# ------------------------------------------------------------------ speaker mentions


SUBJECT_PRONOUNS = ("he", "she", "they", "it", "we", "i")


def _nearest(text: str, lo: int, hi: int, needles, anchor: tuple[int, int], outside: tuple[int, int] | None = None):
    """((distance to the anchor, rank, -length), span) of the needle occurrence nearest the anchor
    (not inside `outside`, when given)."""
    best = None
    for rank, needle in enumerate(needles):
        for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text[lo:hi], flags=re.I):
            s, e = lo + m.start(), lo + m.end()
            if outside and s < outside[1] and e > outside[0]:
                continue
            dist = 0 if s < anchor[1] and e > anchor[0] else min(abs(s - anchor[1]), abs(anchor[0] - e))
            key = (dist, rank, -(e - s))
            if best is None or key < best[0]:
                best = (key, (s, e))
    return best


def approximate_mention(text: str, quote, window: int = APPROX_WINDOW) -> tuple[int, int] | None:
    """Where the speaker is probably named, for records without speaker_start/end: within `window`
    characters of the quote, the occurrence of the speaker's name, or its last word, or (when the
    rules resolved the speaker by coreference) a subject pronoun, nearest the quote's cue (its
    occurrence nearest the quote); without a cue found, the nearest outside the quote."""
    name = (quote.speaker or "").strip()
    if not name:
        return None
    lo, hi = max(0, quote.start - window), min(len(text), quote.end + window)
    anchor, outside = (quote.start, quote.end), (quote.start, quote.end)
    if quote.cue:
        found = _nearest(text, lo, hi, [quote.cue], anchor)
        if found:
            anchor, outside = found[1], None
    needles = [name, name.split()[-1]]
    if quote.resolution == "coreference":
        needles += list(SUBJECT_PRONOUNS)
    best = _nearest(text, lo, hi, needles, anchor, outside)
    return best[1] if best else None


def predicted_mention(text: str, quote, omap: OffsetMap) -> tuple[tuple[int, int] | None, str]:
    """(raw span, how): how is 'exact' (speaker_start/end), 'approximate' or 'none'."""
    if hasattr(quote, "speaker_start"):
        s, e = getattr(quote, "speaker_start", None), getattr(quote, "speaker_end", None)
        if s is None or e is None:
            return None, "none"
        return omap.span(s, e), "exact"
    span = approximate_mention(text, quote)
    return (omap.span(*span) if span else None), ("approximate" if span else "none")


def overlaps(span: tuple[int, int] | None, spans) -> bool:
    return span is not None and any(min(b, span[1]) > max(a, span[0]) for a, b in spans)


# ------------------------------------------------------------------ evaluation


@dataclass
class Tally:
    gold: int = 0
    preds: int = 0
    neutral: int = 0
    matched: int = 0
    pieces: int = 0  # unmatched predictions lying inside a found gold content (a split relation)

    def figures(self) -> dict:
        def prf(denominator: int) -> tuple[float, float, float]:
            p = self.matched / denominator if denominator else 0.0
            r = self.matched / self.gold if self.gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        p, r, f = prf(self.preds - self.neutral)
        p2, _, f2 = prf(self.preds - self.neutral - self.pieces)
        return {"gold": self.gold, "predictions": self.preds, "neutral_predictions": self.neutral,
                "matched": self.matched, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "split_pieces": self.pieces, "precision_pieces_not_counted": round(p2, 4), "f1_pieces_not_counted": round(f2, 4)}


@dataclass
class Speakers:
    found: int = 0
    no_source: int = 0
    mention_right: int = 0
    mention_null: int = 0
    mention_wrong: int = 0
    mention_unlocated: int = 0  # speaker given but its mention not found (approximate) / null (exact)
    name_n: int = 0
    name_right: int = 0
    name_null: int = 0
    name_wrong: int = 0
    name_unknown: int = 0  # gold source only a pronoun without a CoreNLP name
    by_how: Counter = field(default_factory=Counter)
    null_by_kind: Counter = field(default_factory=Counter)
    wrong_by_kind: Counter = field(default_factory=Counter)
    wrong_by_resolution: Counter = field(default_factory=Counter)

    def figures(self) -> dict:
        n = self.found - self.no_source
        return {
            "found_quotes": self.found, "found_without_gold_source": self.no_source, "with_gold_source": n,
            "mention": {"accuracy": round(self.mention_right / n, 4) if n else 0.0, "right": self.mention_right,
                        "speaker_null": self.mention_null, "wrong": self.mention_wrong,
                        "speaker_given_mention_not_located": self.mention_unlocated,
                        "mention_source": dict(self.by_how)},
            "name": {"accuracy": round(self.name_right / self.name_n, 4) if self.name_n else 0.0, "n": self.name_n,
                     "right": self.name_right, "speaker_null": self.name_null, "wrong": self.name_wrong,
                     "excluded_gold_name_unknown": self.name_unknown},
            "null_by_gold_source_kind": dict(self.null_by_kind.most_common()),
            "wrong_mention_by_gold_source_kind": dict(self.wrong_by_kind.most_common()),
            "wrong_mention_by_predicted_resolution": dict(self.wrong_by_resolution.most_common()),
        }


def _inside_share(g: Gold, p: Pred) -> float:
    """|gold & pred| / |pred|: how much of the prediction lies inside the gold content."""
    if p.span is None or p.span[1] <= p.span[0]:
        return 0.0
    s, e = p.span
    return sum(max(0, min(b, e) - max(a, s)) for a, b in g.spans) / (e - s)


def _missed_reason(g: Gold, preds: list[Pred], omap: OffsetMap) -> str:
    """Why a gold content was not found: not in the cleaned text (the title line, furniture), no
    prediction overlaps it, the best prediction covers 30 % or less, or that one was used elsewhere."""
    if omap.kept_share(g.spans) < 0.5:
        return "not in the cleaned text (title line or furniture)"
    best = max((coverage(g, p) for p in preds), default=0.0)
    if best == 0:
        return "no prediction overlaps"
    return "covered 30 % or less" if best <= SPEAKER_THRESHOLD else "its prediction matched another gold"


def _unmatched_kind(p: Pred, golds: list[Gold], found: set[int]) -> str:
    """Why a prediction matched nothing: a piece of a gold content that another prediction already
    found (the rules split one relation in two, typically around "X said"), a span that overlaps a
    gold content too little, or no gold content at all."""
    if any(g.index in found and _inside_share(g, p) >= 0.5 for g in golds):
        return "piece of a found gold content (split relation)"
    if any(coverage(g, p) > 0 for g in golds):
        return "overlaps a gold content, too little or that gold taken"
    return "overlaps no gold content"


class Evaluation:
    def __init__(self):
        self.quotes = {(subset, t): Tally() for subset in ("speech", "all") for t in THRESHOLDS}
        self.speakers = {subset: Speakers() for subset in ("speech", "all")}
        self.missed = {subset: {"by_is_direct": Counter(), "by_cue": Counter(), "by_reason": Counter()} for subset in ("speech", "all")}
        self.gold_by_direct = {subset: Counter() for subset in ("speech", "all")}
        self.unmatched_preds = {"by_quote_type": Counter(), "by_cue": Counter(), "by_overlap": Counter(), "speaker_null": 0}
        self.examples: dict[str, list] = {k: [] for k in (
            "missed_speech_direct", "missed_speech_indirect", "unmatched_prediction",
            "speaker_null", "speaker_wrong_mention", "speaker_wrong_name")}
        self.gold_offset_mismatch = 0

    def article(self, raw: str, rels: list[dict], clean: str, quotes: list) -> None:
        """Score one article: its raw text and gold, the cleaned text and the rules' quotes."""
        omap = OffsetMap(clean, raw)
        golds = []
        for i, rel in enumerate(rels):
            spans = [tuple(s) for s in rel["quote_spans"]]
            if " ... ".join(raw[a:b] for a, b in spans) != rel["quote"]:
                self.gold_offset_mismatch += 1
            golds.append(Gold(i, rel, spans, sum(b - a for a, b in spans), is_speech_cue(rel.get("cue"))))
        preds = []
        for i, q in enumerate(quotes):
            p = Pred(i, q, omap.span(q.start, q.end))
            p.mention, p.how = predicted_mention(clean, q, omap)
            preds.append(p)
        speech = [g for g in golds if g.speech]
        other = [g for g in golds if not g.speech]
        for t in THRESHOLDS:
            m_all = match(golds, preds, t)
            m_speech = match(speech, preds, t)
            used = set(m_speech.values())
            m_neutral = match(other, [p for p in preds if p.index not in used], t)
            for subset, m, gs, neutral in (("all", m_all, golds, m_neutral), ("speech", m_speech, speech, m_neutral)):
                tally = self.quotes[(subset, t)]
                tally.gold += len(gs)
                tally.preds += len(preds)
                found = set(m) | (set(neutral) if subset == "speech" else set())
                taken = set(m.values()) | (set(neutral.values()) if subset == "speech" else set())
                tally.neutral += len(neutral) if subset == "speech" else 0
                tally.matched += len(m)
                tally.pieces += sum(1 for p in preds if p.index not in taken and _unmatched_kind(p, golds, found).startswith("piece"))
                if t == SPEAKER_THRESHOLD:
                    self._errors(subset, raw, gs, preds, m, omap)
            if t == SPEAKER_THRESHOLD:
                self._unmatched(raw, golds, preds, m_all)

    def _errors(self, subset: str, raw: str, golds: list[Gold], preds: list[Pred], m: dict[int, int], omap: OffsetMap) -> None:
        by_index = {p.index: p for p in preds}
        for g in golds:
            direct = "direct" if g.rel["is_direct"] else "indirect"
            self.gold_by_direct[subset][direct] += 1
            if g.index not in m:
                self.missed[subset]["by_is_direct"][direct] += 1
                self.missed[subset]["by_cue"][cue_key(g.rel.get("cue"))] += 1
                self.missed[subset]["by_reason"][_missed_reason(g, preds, omap)] += 1
                if subset == "speech":
                    self.examples[f"missed_speech_{direct}"].append(self._example(raw, g, None))
                continue
            p = by_index[m[g.index]]
            sp = self.speakers[subset]
            sp.found += 1
            kind = gold_source_kind(g.rel)
            if kind == "no source":
                sp.no_source += 1
                continue
            sp.by_how[p.how] += 1
            if p.quote.speaker is None:
                sp.mention_null += 1
                sp.null_by_kind[kind] += 1
                if subset == "speech":
                    self.examples["speaker_null"].append(self._example(raw, g, p))
            elif overlaps(p.mention, g.rel["speaker_spans"]):
                sp.mention_right += 1
            else:
                sp.mention_wrong += 1
                sp.wrong_by_kind[kind] += 1
                sp.wrong_by_resolution[p.quote.resolution or "none"] += 1
                if p.mention is None:
                    sp.mention_unlocated += 1
                if subset == "speech":
                    self.examples["speaker_wrong_mention"].append(self._example(raw, g, p))
            names = gold_names(g.rel)
            if not names:
                sp.name_unknown += 1
                continue
            sp.name_n += 1
            if p.quote.speaker is None:
                sp.name_null += 1
            elif names_agree(p.quote.speaker, names):
                sp.name_right += 1
            else:
                sp.name_wrong += 1
                if subset == "speech":
                    self.examples["speaker_wrong_name"].append(self._example(raw, g, p))

    def _unmatched(self, raw: str, golds: list[Gold], preds: list[Pred], m: dict[int, int]) -> None:
        used = set(m.values())
        for p in preds:
            if p.index in used:
                continue
            u = self.unmatched_preds
            u["by_quote_type"][p.quote.quote_type] += 1
            u["by_cue"][cue_key(p.quote.cue) if p.quote.cue else "<no cue>"] += 1
            u["by_overlap"][_unmatched_kind(p, golds, set(m))] += 1
            if p.quote.speaker is None:
                u["speaker_null"] += 1
            self.examples["unmatched_prediction"].append(self._example(raw, None, p))

    @staticmethod
    def _example(raw: str, g: Gold | None, p: Pred | None) -> dict:
        ex = {}
        if g is not None:
            a, b = g.spans[0][0], g.spans[-1][1]
            ex.update(gold_quote=g.rel["quote"], gold_speaker=g.rel.get("speaker"), gold_rep=g.rel.get("speaker_corenlp_rep"),
                      gold_cue=g.rel.get("cue"), is_direct=g.rel["is_direct"], raw_span=(a, b), article=g.rel["article_id"])
        if p is not None:
            q = p.quote
            ex.update(pred_quote=q.text, pred_speaker=q.speaker, pred_cue=q.cue, pred_type=q.quote_type,
                      resolution=q.resolution, mention=raw[p.mention[0]:p.mention[1]] if p.mention else None,
                      mention_how=p.how, article=q.article_id)
            if p.span and g is None:
                ex["raw_span"] = p.span
        ex["_raw"] = raw
        return ex

    def figures(self) -> dict:
        out: dict = {"quotes": {}, "speakers": {}, "errors": {}}
        for (subset, t), tally in self.quotes.items():
            out["quotes"].setdefault(subset, {})[f">{int(t * 100)}%"] = tally.figures()
        for subset, sp in self.speakers.items():
            out["speakers"][subset] = sp.figures()
        for subset in ("speech", "all"):
            gd = self.gold_by_direct[subset]
            md = self.missed[subset]["by_is_direct"]
            out["errors"][f"missed_gold_{subset}"] = {
                "by_is_direct": {k: {"gold": gd[k], "missed": md[k], "recall": round(1 - md[k] / gd[k], 4) if gd[k] else 0.0} for k in ("direct", "indirect")},
                "by_reason": dict(self.missed[subset]["by_reason"].most_common()),
                "by_cue_top": dict(self.missed[subset]["by_cue"].most_common(25)),
            }
        u = self.unmatched_preds
        out["errors"]["unmatched_predictions"] = {
            "n": sum(u["by_quote_type"].values()), "by_quote_type": dict(u["by_quote_type"].most_common()),
            "by_overlap": dict(u["by_overlap"].most_common()), "by_cue_top": dict(u["by_cue"].most_common(15)),
            "with_speaker_null": u["speaker_null"],
        }
        out["gold_offset_mismatches"] = self.gold_offset_mismatch
        return out


# ------------------------------------------------------------------ printing


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def print_figures(fig: dict, header: dict) -> None:
    for k, v in header.items():
        print(f"{k}: {v}")
    approx = any(fig["speakers"][s]["mention"]["mention_source"].get("approximate") for s in ("speech", "all"))
    print()
    print("QUOTES (Gender Gap Tracker metric; maximum matching, each prediction used once)")
    print(f"{'subset':<8} {'match':<6} {'gold':>6} {'pred':>6} {'neutral':>8} {'matched':>8} {'P':>6} {'R':>6} {'F1':>6}"
          f" | {'pieces':>6} {'P*':>6} {'F1*':>6}")
    for subset in ("speech", "all"):
        for thr, t in fig["quotes"][subset].items():
            print(f"{subset:<8} {thr:<6} {t['gold']:>6} {t['predictions']:>6} {t['neutral_predictions']:>8} {t['matched']:>8} "
                  f"{_pct(t['precision']):>6} {_pct(t['recall']):>6} {_pct(t['f1']):>6} | {t['split_pieces']:>6} "
                  f"{_pct(t['precision_pieces_not_counted']):>6} {_pct(t['f1_pieces_not_counted']):>6}")
    print("  speech: gold relations with a speech cue; neutral: predictions that match only a non-speech relation,")
    print("  left out of the speech precision. pieces: unmatched predictions inside a found gold content (PolNeAR")
    print("  joins the parts of a quotation around 'X said' into one relation, the rules may give two); P*, F1*: the")
    print("  same with pieces not counted as false positives (P, R, F1 is the Gender Gap Tracker figure).")
    print()
    print(f"SPEAKERS over found quotes (>30 % match) with a gold source{' -- mention figures APPROXIMATE (no speaker_start in the records)' if approx else ''}")
    for subset in ("speech", "all"):
        s = fig["speakers"][subset]
        m, n = s["mention"], s["name"]
        print(f"{subset:<8} found {s['found_quotes']}, with gold source {s['with_gold_source']} "
              f"(no source: {s['found_without_gold_source']}); mention source {m['mention_source']}")
        print(f"         (a) mention overlap{' (approximate)' if approx else ''}: {_pct(m['accuracy'])} % "
              f"({m['right']} right, {m['speaker_null']} speaker null, {m['wrong']} wrong, of which "
              f"{m['speaker_given_mention_not_located']} with no mention located)")
        print(f"         (b) resolved name: {_pct(n['accuracy'])} % of {n['n']} ({n['right']} right, {n['speaker_null']} null, "
              f"{n['wrong']} wrong; {n['excluded_gold_name_unknown']} excluded: gold source a pronoun with no CoreNLP name)")
        print(f"         speaker null by gold source kind: {s['null_by_gold_source_kind']}")
        print(f"         wrong mention by gold source kind: {s['wrong_mention_by_gold_source_kind']}; "
              f"by predicted resolution: {s['wrong_mention_by_predicted_resolution']}")
    print()
    print("ERRORS (>30 % matching)")
    for subset in ("speech", "all"):
        e = fig["errors"][f"missed_gold_{subset}"]
        d = e["by_is_direct"]
        print(f"missed gold ({subset}): " + "; ".join(f"{k} {v['missed']} of {v['gold']} (recall {_pct(v['recall'])} %)" for k, v in d.items()))
        print(f"   by reason: {e['by_reason']}")
        print("   by cue: " + ", ".join(f"{k} {v}" for k, v in e["by_cue_top"].items()))
    u = fig["errors"]["unmatched_predictions"]
    print(f"predictions matching no gold (all relations): {u['n']}; by quote_type {u['by_quote_type']}; "
          f"{u['by_overlap']}; speaker null {u['with_speaker_null']}")
    print("   by predicted cue: " + ", ".join(f"{k} {v}" for k, v in u["by_cue_top"].items()))
    if fig["gold_offset_mismatches"]:
        print(f"WARNING: {fig['gold_offset_mismatches']} gold relations whose quote text is not the raw text at its spans")


def show_examples(ev: Evaluation, n: int, context: int, seed: int = 0) -> None:
    """N examples of each error class, to the terminal only."""
    rng = random.Random(seed)
    for cls, items in ev.examples.items():
        print(f"\n=== {cls}: {len(items)} (showing {min(n, len(items))}) ===")
        for ex in rng.sample(items, min(n, len(items))):
            raw = ex.pop("_raw")
            quote = ex.get("gold_quote") or ex.get("pred_quote") or ""
            print(f"- [{ex.get('article')}] quote: {quote[:300]!r}")
            if "gold_speaker" in ex:
                print(f"    gold: speaker {ex['gold_speaker']!r} (CoreNLP {ex['gold_rep']!r}), cue {ex['gold_cue']!r}, direct {ex['is_direct']}")
            if "pred_speaker" in ex:
                if "gold_quote" in ex:
                    print(f"    pred quote: {ex['pred_quote'][:200]!r}")
                print(f"    pred: speaker {ex['pred_speaker']!r} ({ex['resolution']}), cue {ex['pred_cue']!r}, type {ex['pred_type']}, "
                      f"mention {ex['mention']!r} ({ex['mention_how']})")
            if context and ex.get("raw_span"):
                a, b = ex["raw_span"]
                print(f"    context: ...{raw[max(0, a - context):a]!r} [[QUOTE]] {raw[b:b + context]!r}...")


def git_head() -> str:
    try:
        return subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def git_dirty() -> str:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "builder", "schemas"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return "clean" if not out.strip() else f"{len(out.splitlines())} changed file(s) under builder/ or schemas/"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("dev", "train"), default="dev")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--show", type=int, default=0, help="print N examples of each error class (terminal only)")
    ap.add_argument("--context", type=int, default=0, help="with --show: C raw characters either side of the span")
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "stance-builder-polnear")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    ap.add_argument("--data", type=Path, default=DATA, help="the PolNeAR folder (dev/, train/)")
    ap.add_argument("--code", type=Path, default=None, help="run the builder package found in DIR (an exported commit)")
    args = ap.parse_args()
    if args.code:
        if not (args.code / "builder" / "run" / "build.py").is_file():
            ap.error(f"--code {args.code}: no builder/run/build.py there")
        sys.path.insert(0, str(args.code.resolve()))

    folder = args.data / args.split
    articles = [json.loads(line) for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        articles = articles[: args.limit]
    ids = {a["id"] for a in articles}
    gold: dict[str, list] = {}
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rel = json.loads(line)
            if rel["article_id"] in ids:
                gold.setdefault(rel["article_id"], []).append(rel)

    t0 = time.perf_counter()
    analysed, errors, versions = run_rules(articles, args.cache, progress=sys.stderr.isatty())
    t_rules = time.perf_counter() - t0
    ev = Evaluation()
    missing = []
    for a in articles:
        if a["id"] in analysed:
            ev.article(a["text"], gold.get(a["id"], []), analysed[a["id"]].article.text, analysed[a["id"]].quotes)
        else:  # not analysed (an error above): its gold counts as missed, a crash raises no figure
            missing.append(a["id"])
            ev.article(a["text"], gold.get(a["id"], []), a["text"], [])
    fig = ev.figures()
    header = {
        "benchmark": "PolNeAR quote attribution (benchmarks/polnear.py)",
        "split": f"{args.split}, {len(articles)} articles ({len(articles) - len(missing)} analysed), "
                 f"{sum(len(gold.get(i, [])) for i in ids)} gold relations "
                 f"({sum(1 for i in ids for r in gold.get(i, []) if is_speech_cue(r.get('cue')))} with a speech cue)",
        "code": f"builder package from {args.code} (checkout's git HEAD {git_head()})" if args.code
                else f"git HEAD {git_head()} (working tree: {git_dirty()})",
        "builder loaded from": str(Path(sys.modules["builder"].__file__).parent),
        "model": versions.get("model"), "analysis cache": versions.get("analysis_cache"),
        "rules wall time": f"{t_rules:.1f} s",
        "errors": errors or "none",
    }
    if missing:
        header["not analysed"] = f"{len(missing)} articles (their gold counted as missed in the quote tallies)"
    print_figures(fig, header)
    if args.show:
        show_examples(ev, args.show, args.context)
    if args.json:
        args.json.write_text(json.dumps({"header": header, **fig}, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
