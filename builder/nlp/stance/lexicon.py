"""The stance rules of schemas/stance_taxonomy.yaml, compiled once per component, and the
per-Doc context the labeling functions read (never kept on the component)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from builder.errors import ConfigError
from builder.nlp.segment import EntityIndex
from builder.nlp.stance.matcher import CueMatcher
from builder.rules import RuleSet



@dataclass(frozen=True)
class CueRule:
    label: str
    id: str
    negatable: bool
    negative: bool  # polarity: negative -- counts only when negated or governed by a refusal word
    requires_sides: frozenset[str]
    requires_words: frozenset[str]
    actor_only: bool = False
    governed_by: frozenset[str] = frozenset()  # counts only under one of these heads or a condition
    any_reporter: bool = False  # holds even when an opponent of the holder reports it (restated demands)
    unowned_requires: frozenset[str] = frozenset()  # words the sentence needs when the cue names no owner
    condition_of: frozenset[str] = frozenset()  # the cue is the condition of a threat: an if-clause naming one of these sides


def _lower(words) -> frozenset[str]:
    return frozenset(w.lower() for w in words or ())


def _cue_rule(label: str, cue: dict, where: str) -> CueRule:
    polarity = cue.get("polarity", "positive")
    if polarity not in ("positive", "negative"):
        raise ConfigError(f"{where}.polarity: {polarity!r} is not positive or negative")
    return CueRule(
        label,
        cue["id"],
        bool(cue.get("negatable", True)) and polarity == "positive",
        polarity == "negative",
        frozenset(cue.get("requires_sides") or ()),
        _lower(cue.get("requires_words")),
        bool(cue.get("actor_only", False)),
        _lower(cue.get("governed_by")),
        bool(cue.get("any_reporter", False)),
        _lower(cue.get("unowned_requires")),
        frozenset(cue.get("condition_of") or ()),
    )


class StanceLexicon:
    """Every cue pattern in one CueMatcher (keyed `label:cue id`) with its CueRule, and the
    taxonomy's word lists: holder sides and words, opposing sides, limit, refusal, hypothetical
    and frame words."""

    def __init__(self, vocab, rules: RuleSet):
        self.tax = taxonomy = rules.taxonomy
        self.gaz = rules.gazetteer
        self.object_control = rules.speech.object_control_verbs  # schemas/speech.yaml: who acts in an xcomp
        extra = taxonomy.extra
        self.holder_sides = {l.name: frozenset(l.holder_sides) for l in taxonomy.labels}
        self.opposing = {l.name: frozenset(l.opposing_sides) for l in taxonomy.labels}
        self.limits = {l.name: _lower(l.limit_words) for l in taxonomy.labels}
        self.other_targets = frozenset(extra.get("other_targets") or ())
        self.max_tokens = int(extra.get("max_cue_tokens", 10))
        self.refusal_words = frozenset(extra.get("refusal_words") or ())
        self.hypothetical_marks = frozenset(extra.get("hypothetical_marks") or ())
        self.frame_modifiers = _lower(extra.get("frame_modifiers"))
        words = {w.lower(): side for side, ws in (extra.get("holder_words") or {}).items() for w in ws}
        self.holder_words = {w: side for w, side in words.items() if " " not in w}
        self.holder_phrases = {w: side for w, side in words.items() if " " in w}
        self.matcher = CueMatcher(vocab)
        self.cues: dict[str, CueRule] = {}
        where = rules.path("stance_taxonomy")
        for label in taxonomy.labels:
            for i, cue in enumerate(label.cues):
                cwhere = f"{where}: {label.name}.cues[{i}]"
                cwhere = f"{cwhere} ({cue['id']})"
                key = f"{label.name}:{cue['id']}"
                if key in self.cues:
                    raise ConfigError(f"{cwhere}.id: duplicate cue id {cue['id']!r}")
                try:
                    self.matcher.add(key, cue["pattern"])
                except Exception as exc:  # spaCy reports bad patterns with its own error types
                    detail = " ".join(line.strip() for line in str(exc).splitlines() if line.strip().startswith("-"))
                    raise ConfigError(f"{cwhere}.pattern: not a spaCy Matcher pattern ({detail or exc})") from exc
                self.cues[key] = _cue_rule(label.name, cue, cwhere)


@dataclass(frozen=True)
class DocContext:
    """One Doc as the labeling functions see it: the lexicon and the Doc's entities."""

    lex: StanceLexicon
    ents: EntityIndex

    @classmethod
    def of(cls, doc: Doc, lex: StanceLexicon) -> "DocContext":
        return cls(lex, EntityIndex(doc))
