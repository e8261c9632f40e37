"""Hand-adjudicated gold (INPUT_DIR/gold/*.jsonl) overriding the rules, sentence by sentence.

A gold line must match the sentence the builder cuts, in order and text; a
re-segmentation fails the build naming the file and line, never a silent
mismatch. A seed article without gold lines stays rule-labelled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from builder.errors import InputError
from builder.records.model import AnalysedArticle, Quote, Sentence
from builder.rules import RuleSet
from builder.rules.gazetteer import Gazetteer
from builder.steps.base import Step

GOLD_KEYS = {"article_id", "text", "speaker", "speaker_side", "quote_type", "labels", "note"}
OPTIONAL_GOLD_KEYS = {"class"}  # the failure class of a hard case, counted by `stance-builder evaluate`


@dataclass(frozen=True)
class GoldLine:
    where: str  # file:line
    article_id: str
    text: str
    speaker: str | None
    speaker_side: str | None
    quote_type: str
    labels: tuple[str, ...]
    note: str | None


def check_annotation(where: str, obj: dict, rules: RuleSet) -> None:
    """A gold line's (or a review's) labels, quote type and side must be known values."""
    label_names, sides, quote_types = rules.taxonomy.names, rules.gazetteer.sides, rules.quote_types
    if not isinstance(obj.get("labels"), list):
        raise InputError(f"{where}: 'labels' must be a list")
    bad = [l for l in obj["labels"] if l not in label_names]
    if bad:
        raise InputError(f"{where}: label {bad[0]!r} is not in the stance taxonomy ({', '.join(label_names)})")
    if obj["quote_type"] not in quote_types:
        raise InputError(f"{where}: quote type {obj['quote_type']!r} is not one of {', '.join(quote_types)}")
    if obj["speaker_side"] is not None and obj["speaker_side"] not in sides:
        raise InputError(f"{where}: speaker side {obj['speaker_side']!r} is not in schemas/entities.yaml sides")


def aligned(analysed: list[AnalysedArticle], gold: dict[str, list[GoldLine]]):
    """(article, sentence, gold line) for every article with gold, checked against the cut."""
    for a in analysed:
        lines = gold.get(a.article.article_id)
        if lines:
            check_alignment(a, lines)
            for sent, line in zip(a.sentences, lines):
                yield a, sent, line


def read_gold(gold_dir: Path, rules: RuleSet) -> dict[str, list[GoldLine]]:
    """Gold lines per article id, checked against the taxonomy and the side codes."""
    out: dict[str, list[GoldLine]] = {}
    if not gold_dir.is_dir():
        return out
    for path in sorted(gold_dir.glob("*.jsonl")):
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not raw.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: not JSON ({exc.msg})") from exc
            if not isinstance(obj, dict) or not GOLD_KEYS <= set(obj) <= GOLD_KEYS | OPTIONAL_GOLD_KEYS:
                raise InputError(f"{where}: a gold line has exactly the fields {', '.join(sorted(GOLD_KEYS))} (and optionally {', '.join(sorted(OPTIONAL_GOLD_KEYS))})")
            check_annotation(where, obj, rules)
            line = GoldLine(where, obj["article_id"], obj["text"], obj["speaker"], obj["speaker_side"], obj["quote_type"], tuple(obj["labels"]), obj["note"])
            out.setdefault(line.article_id, []).append(line)
    return out


def check_alignment(analysed: AnalysedArticle, lines: list[GoldLine]) -> None:
    sents = analysed.sentences
    for i, line in enumerate(lines):
        if i >= len(sents):
            raise InputError(f"{line.where}: gold has more lines than the {len(sents)} sentences the builder cuts for {line.article_id}")
        if sents[i].text != line.text:
            raise InputError(f"{line.where}: gold text differs from sentence {i} as cut ({sents[i].text[:60]!r}); re-adjudicate after re-segmentation")
    if len(lines) < len(sents):
        raise InputError(f"{lines[-1].where}: gold lacks lines for sentences {len(lines)}..{len(sents) - 1} of {lines[-1].article_id}")


class ApplyGold(Step):
    """The articles again, with speaker, side, quote type and labels from gold where it exists;
    gold for an article that is not in the input fails once the stream is through."""

    def __init__(self, gold: dict[str, list[GoldLine]], gazetteer: Gazetteer):
        self.gold = gold
        self.gazetteer = gazetteer

    def run(self, data: Iterable[AnalysedArticle], rank: int = 0, world_size: int = 1) -> Iterator[AnalysedArticle]:
        known = set()
        for a in data:
            known.add(a.article.article_id)
            lines = self.gold.get(a.article.article_id)
            if lines:
                check_alignment(a, lines)
                sentences = [self._labelled(sent, line) for sent, line in zip(a.sentences, lines)]
                a = replace(a, sentences=sentences, quotes=_speakers_to_quotes(sentences, a.quotes))
            yield a
        for article_id, lines in self.gold.items():
            if article_id not in known:
                raise InputError(f"{lines[0].where}: gold for article {article_id!r}, which is not in the input")

    def _labelled(self, sent: Sentence, line: GoldLine) -> Sentence:
        entity = self.gazetteer.by_form.get(line.speaker or "")
        speaker_id = entity.id if entity else None
        kept = [e for e in sent.stance_evidence if e["label"] in line.labels]
        given = {e["label"] for e in kept}
        # a label the rules missed: the adjudicated evidence is the whole sentence
        kept += [
            {"label": l, "holder_id": speaker_id, "cue": sent.text, "start": 0, "end": len(sent.text)}
            for l in line.labels
            if l not in given
        ]
        return replace(sent, speaker=line.speaker, speaker_side=line.speaker_side, speaker_id=speaker_id,
                       quote_type=line.quote_type, quote_id=None if line.quote_type == "none" else sent.quote_id,
                       labels=list(line.labels), stance_evidence=kept, label_source="gold")


def _speakers_to_quotes(sentences: list[Sentence], quotes: list[Quote]) -> list[Quote]:
    """Quotes follow the gold: sentences gold calls narration leave their quote, a quote left
    with no sentence is dropped, and a quote takes the gold speaker of its first sentence."""
    by_id = {s.id: s for s in sentences}
    kept = []
    for quote in quotes:
        sentence_ids = [i for i in quote.sentence_ids if by_id[i].quote_type != "none"]
        if not sentence_ids:
            continue
        first = by_id[sentence_ids[0]]
        mention = {}
        if (quote.speaker, quote.speaker_side) != (first.speaker, first.speaker_side):
            # the gold names another speaker (or side): the rules' mention and evidence no longer apply
            mention = {"speaker_start": None, "speaker_end": None, "speaker_side_evidence": None}
        resolution = None if first.speaker is None else ("explicit" if quote.resolution is None else quote.resolution)
        kept.append(replace(quote, sentence_ids=sentence_ids, speaker=first.speaker, speaker_id=first.speaker_id,
                            speaker_side=first.speaker_side, resolution=resolution, **mention))
    return kept
