"""Stance labels per sentence as a spaCy component (cues and holders from schemas/stance_taxonomy.yaml).

A label needs a cue and a holder of the label's side: the grammatical actor of
the cue's clause, else the sentence's speaker, else an actor named inside the
cue's phrase. Negated cues and cues inside if/unless clauses give no label.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import config
from .cues import CueMatcher
from .errors import ConfigError
from .gazetteer import Gazetteer, load_gazetteer
from .segment import EntityIndex, content_sents, ents_by_sentence
from .taxonomy import Taxonomy, load_taxonomy

CUE_KEYS = {"id", "pattern", "negatable", "polarity", "requires_sides", "requires_words", "actor_only"}
VETO = object()  # the cue's own actor is of another side: no label
# a negation does not reach across these edges: "NATO will never admit Ukraine, while the EU insists ..."
CLAUSE_EDGES = {"advcl", "ccomp", "relcl", "conj", "parataxis", "csubj"}


@dataclass(frozen=True)
class CueRule:
    label: str
    id: str
    negatable: bool
    negative: bool  # polarity: negative -- counts only when negated or governed by a refusal word
    requires_sides: frozenset[str]
    requires_words: frozenset[str]
    actor_only: bool = False


class StanceLabeler:
    def __init__(self, nlp: Language, taxonomy: Taxonomy, gazetteer: Gazetteer, schemas_dir: Path | None):
        self.tax = taxonomy
        self.gaz = gazetteer
        self.holder_sides = {l.name: frozenset(l.holder_sides) for l in taxonomy.labels}
        self.other_targets = frozenset(taxonomy.extra.get("other_targets") or ())
        self.max_tokens = int(taxonomy.extra.get("max_cue_tokens", 10))
        self.matcher = CueMatcher(nlp.vocab)
        self.rules: dict[str, CueRule] = {}
        where = config.schema_path("stance_taxonomy", schemas_dir)
        for label in taxonomy.labels:
            for i, cue in enumerate(label.cues):
                cwhere = f"{where}: {label.name}.cues[{i}]"
                config.check_keys(cwhere, cue, CUE_KEYS, {"id", "pattern"})
                cwhere = f"{cwhere} ({cue['id']})"
                key = f"{label.name}:{cue['id']}"
                if key in self.rules:
                    raise ConfigError(f"{cwhere}.id: duplicate cue id {cue['id']!r}")
                try:
                    self.matcher.add(key, cue["pattern"])
                except Exception as exc:  # spaCy reports bad patterns with its own error types
                    detail = " ".join(line.strip() for line in str(exc).splitlines() if line.strip().startswith("-"))
                    raise ConfigError(f"{cwhere}.pattern: not a spaCy Matcher pattern ({detail or exc})") from exc
                polarity = cue.get("polarity", "positive")
                if polarity not in ("positive", "negative"):
                    raise ConfigError(f"{cwhere}.polarity: {polarity!r} is not positive or negative")
                self.rules[key] = CueRule(
                    label.name,
                    cue["id"],
                    bool(cue.get("negatable", True)) and polarity == "positive",
                    polarity == "negative",
                    frozenset(cue.get("requires_sides") or ()),
                    frozenset(w.lower() for w in cue.get("requires_words") or ()),
                    bool(cue.get("actor_only", False)),
                )
        self.refusal_words = frozenset(taxonomy.extra.get("refusal_words") or ())
        self.hypothetical_marks = frozenset(taxonomy.extra.get("hypothetical_marks") or ())

    # ---- holders

    def _side_of_np(self, head: Token) -> tuple[str | None, str | None]:
        """(side, entity id) of a noun phrase: its first linked entity, following conjuncts."""
        for ent in self.ents.within(head.left_edge.i, head.right_edge.i + 1):
            if ent.kb_id_:
                side = self.gaz.side_of(ent.kb_id_)
                if side:
                    return side, ent.kb_id_
        return None, None

    def _actor(self, cue: Span, sides: frozenset[str], actor_only: bool):
        """The holder id (True for a holder with no id) walking up from the cue to the first
        subject of a holder side; VETO when an actor_only cue's nearest subject is another side.
        Pronoun subjects and subjects that contain the cue itself are passed over."""
        tok = cue.root
        first = True
        for _ in range(20):
            for child in tok.children:
                if child.dep_ not in ("nsubj", "nsubjpass", "agent") or child.pos_ == "PRON":
                    continue
                if child.left_edge.i <= cue.root.i <= child.right_edge.i:
                    continue  # "Russian military action would be met with ...": the cue is the subject
                side, eid = self._side_of_np(child)
                if side in sides:
                    return eid or True
                if actor_only and first and side is not None:
                    return VETO
                first = first and side is None
            if tok.head == tok:
                break
            tok = tok.head
        return None

    def _inner_actor(self, cue: Span, sides: frozenset[str]) -> str | None:
        """An actor named as a modifier inside the cue's phrase: "a longstanding demand of Moscow",
        "reassure allies of the US commitment" (never an object: "respond to any US move")."""
        candidates: list[Token] = []
        root = cue.root
        if root.dep_ in ("compound", "amod") and root.head.pos_ in ("NOUN", "PROPN"):
            # the cue modifies a noun: "a US security assistance package" names its actor there
            candidates.extend(c for c in root.head.children if c.dep_ in ("poss", "compound", "amod", "nmod") and not cue.start <= c.i < cue.end)
        for tok in cue:
            for child in tok.children:
                if child.dep_ in ("poss", "compound", "amod", "nmod"):
                    candidates.append(child)
                elif child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        candidates.append(pobj)
                        candidates.extend(c for c in pobj.children if c.dep_ in ("poss", "compound", "amod", "nmod"))
        for tok in candidates:
            ent = self.ents.covering(tok.i)
            if ent is not None and ent.kb_id_ and self.gaz.side_of(ent.kb_id_) in sides:
                return ent.kb_id_
        return None

    # ---- filters

    def _scope(self, cue: Span) -> list[Token]:
        """The cue and its heads up to its clause's head (at most four steps): where a negation applies."""
        out = list(cue)
        tok = cue.root
        for _ in range(4):
            infinitival = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)  # "no reason to make"
            if (tok.dep_ in CLAUSE_EDGES and not infinitival) or tok.head == tok:
                break
            tok = tok.head
            out.append(tok)
        return out

    def _negated(self, cue: Span) -> bool:
        """'did not threaten', 'no plans to move', 'no room for compromise'."""
        return any(
            c.dep_ == "neg"
            or (c.dep_ == "det" and c.lower_ == "no")
            or (c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("nobody", "nothing", "none", "noone"))
            or (c.dep_ == "prep" and c.lower_ == "without" and c.head == tok)
            for tok in self._scope(cue)
            for c in tok.children
        ) or any(t.lower_ == "without" for t in self._scope(cue))

    def _refused(self, cue: Span) -> bool:
        """Negated, or governed by a refusal word ("avoid concessions", "bar Ukraine from joining")."""
        return self._negated(cue) or any(t.lemma_.lower() in self.refusal_words for t in self._scope(cue))

    def _hypothetical(self, cue: Span) -> bool:
        tok = cue.root
        while tok.head != tok:
            if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in self.hypothetical_marks for c in tok.children):
                return True
            tok = tok.head
        return False

    def label_sentence(self, sent: Span, speaker_side: str | None, speaker_id: str | None, matches=None, ents=None) -> tuple[list[str], list[dict], list[dict]]:
        """Labels with their evidence, plus cues that matched but found no holder (a speaker found
        later, across documents, may hold them: see `crossdoc.promote_pending`)."""
        sides_named = {self.gaz.side_of(e.kb_id_) for e in (sent.ents if ents is None else ents) if e.kb_id_}
        about_other = bool(sides_named & self.other_targets) and "RU" not in sides_named
        best: dict[str, dict] = {}
        pending: dict[str, dict] = {}
        if matches is None:
            matches = self.matcher(sent, self.max_tokens)
        for match_id, start, end in matches:  # offsets relative to the sentence
            key = sent.doc.vocab.strings[match_id]
            rule = self.rules[key]
            cue = sent[start:end]
            if rule.negatable and self._negated(cue):
                continue
            if rule.negative and not self._refused(cue):
                continue
            if rule.requires_words and not any(t.lower_ in rule.requires_words or t.lemma_.lower() in rule.requires_words for t in sent):
                continue
            if self._hypothetical(cue) or about_other:
                continue
            if rule.requires_sides and not (sides_named & rule.requires_sides):
                continue
            sides = self.holder_sides[rule.label]
            holder = self._actor(cue, sides, rule.actor_only)
            if holder is VETO:
                continue
            if holder is None and speaker_side in sides:
                holder = speaker_id or True
            if holder is None:
                holder = self._inner_actor(cue, sides)
            if holder is None:
                pending.setdefault(rule.label, {"label": rule.label, "holder_id": None, "cue": cue.text, "start": cue.start_char - sent.start_char, "end": cue.end_char - sent.start_char})
                continue
            evidence = {
                "label": rule.label,
                "holder_id": holder if isinstance(holder, str) else None,
                "cue": cue.text,
                "start": cue.start_char - sent.start_char,
                "end": cue.end_char - sent.start_char,
            }
            current = best.get(rule.label)
            if current is None or (evidence["end"] - evidence["start"]) < (current["end"] - current["start"]):
                best[rule.label] = evidence
        labels = [l for l in self.tax.names if l in best]
        waiting = [pending[l] for l in self.tax.names if l in pending and l not in best]
        return labels, [best[l] for l in labels], waiting

    def __call__(self, doc: Doc) -> Doc:
        sents = content_sents(doc)
        self.ents = EntityIndex(doc)
        info = doc._.sent_info or [{} for _ in sents]
        # one cue pass over the Doc, matches bucketed by sentence (a pass per sentence costs 5x more)
        by_sent: list[list] = [[] for _ in sents]
        starts = [s.start for s in sents]
        k = 0
        for match_id, start, end in self.matcher(doc, self.max_tokens):
            while k + 1 < len(sents) and start >= starts[k + 1]:
                k += 1
            if sents and sents[k].start <= start and end <= sents[k].end:
                by_sent[k].append((match_id, start - sents[k].start, end - sents[k].start))
        for sent, item, matches, ents in zip(sents, info, by_sent, ents_by_sentence(doc, sents)):
            labels, evidence, waiting = self.label_sentence(sent, item.get("speaker_side"), item.get("speaker_id"), matches, ents)
            item["labels"] = labels
            item["stance_evidence"] = evidence
            item["pending_stance"] = waiting
        doc._.sent_info = info
        return doc


@Language.factory("stance_labels", default_config={"schemas_dir": ""})
def make_stance_labeler(nlp: Language, name: str, schemas_dir: str) -> StanceLabeler:
    path = Path(schemas_dir) if schemas_dir else None
    return StanceLabeler(nlp, load_taxonomy(path), load_gazetteer(path), path)
