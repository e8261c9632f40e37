"""The `stance_labels` spaCy component: stance labels per sentence, with their evidence.

A label needs a cue and a holder of the label's side (holders.py): the
grammatical actor of the cue's clause, else the sentence's speaker (the
`speaker_side`/`speaker_id` the quote component put on the sentence), else an
actor named inside the cue's phrase. No label when the holder's opponent
reports it (except restated demands), when the cue is negated, hypothetical,
aimed at another country or a kind from another context (scope.py). `judge`
says, for every matched cue, which of these happened (OUTCOMES).

Results, plain data on each sentence of `content_sents(doc)` (builder/nlp/fields.py):
`labels`, `stance_evidence` (why each label was given) and `pending_stance`
(cues that matched but found no holder: a speaker found later, across
documents, may hold them; see builder/steps/crossdoc.py).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from builder.nlp import fields
from builder.nlp.segment import content_sents, ents_by_sentence
from builder.nlp.stance import scope
from builder.nlp.stance.holders import VETO, actor, aimed_elsewhere, between_camps, inner_actor, rebuffed
from builder.nlp.stance.lexicon import CueRule, DocContext, StanceLexicon
from builder.rules import RuleSet

# what can become of a matched cue (StanceLabeler.judge): a label, a wait for a holder, or a reason for none
OUTCOMES = {
    "label": "labelled",
    "no_holder": "cue without a holder of its side",
    "negated": "negated",
    "not_refused": "refusal cue that nothing refuses",
    "ungoverned": "cue without the threat or condition it needs",
    "missing_word": "required word absent",
    "hypothetical": "inside an if/unless clause",
    "not_a_condition": "condition cue outside an if-clause naming the side it needs",
    "other_target": "about another country",
    "missing_side": "required side absent",
    "out_of_context": "cue word named as a kind from another context",
    "other_side_actor": "actor of another side",
    "joint_actor": "joint actor of both camps",
    "reported_by_opponent": "reported by the holder's opponent",
    "rejected_by_opponent": "the object of the opponent's refusal",
}

fields.declare("sentence", {"labels": [], "stance_evidence": [], "pending_stance": []})


class StanceLabeler:
    """Holds the compiled lexicon only; each Doc gets its own DocContext."""

    def __init__(self, nlp: Language, rules: RuleSet):
        self.lex = StanceLexicon(nlp.vocab, rules)
        self.tax = self.lex.tax
        self.matcher = self.lex.matcher
        self.max_tokens = self.lex.max_tokens

    def judge(self, sent: Span, speaker_side: str | None, speaker_id: str | None, matches=None, sent_ents=None, ctx: DocContext | None = None) -> list[dict]:
        """Every cue that matched in the sentence and what became of it: `outcome` is `label`
        (with its holder), `no_holder` (waiting for a speaker of its side), or the reason it gives
        no label (one of OUTCOMES). The rules' own account of their misses. `matches` and
        `sent_ents` (the sentence's cue matches and entities) and `ctx` are computed when not given."""
        ctx = ctx or DocContext.of(sent.doc, self.lex)
        gaz = self.lex.gaz
        sides_named = {gaz.side_of(e.kb_id_) for e in (sent.ents if sent_ents is None else sent_ents) if e.kb_id_}
        about_other = bool(sides_named & self.lex.other_targets) and "RU" not in sides_named
        if matches is None:
            matches = self.matcher(sent, self.max_tokens)
        out = []
        for match_id, start, end in matches:  # offsets relative to the sentence
            rule = self.lex.cues[sent.doc.vocab.strings[match_id]]
            cue = sent[start:end]
            item = {"label": rule.label, "cue_id": rule.id, "cue": cue.text, "start": cue.start_char - sent.start_char, "end": cue.end_char - sent.start_char, "holder": None}
            out.append(item)
            item["outcome"] = self._filter(ctx, rule, cue, sent, sides_named, about_other)
            if item["outcome"] is None:
                item["outcome"], item["holder"] = self._holder(ctx, rule, cue, speaker_side, speaker_id)
        return out

    def _holder(self, ctx: DocContext, rule: CueRule, cue: Span, speaker_side: str | None, speaker_id: str | None):
        """(outcome, holder) of a cue that passed the filters."""
        sides = self.lex.holder_sides[rule.label]
        if speaker_side in self.lex.opposing[rule.label] and not rule.any_reporter:
            return "reported_by_opponent", None  # "US measures mentioned by a Russian speaker"
        if rule.any_reporter and rebuffed(ctx, cue, self.lex.refusal_words, self.lex.opposing[rule.label]):
            return "rejected_by_opponent", None  # "Washington rejected Moscow's key demands": a reply, not the demand
        if between_camps(ctx, cue, rule):
            return "joint_actor", None  # "the latest diplomatic effort between the two sides"
        holder = inner_actor(ctx, cue, rule, first=True) if rule.actor_only else None
        if holder is None and rule.unowned_requires and not any(t.lower_ in rule.unowned_requires or t.lemma_.lower() in rule.unowned_requires for t in cue.sent):
            return "missing_word", None  # no owner named and no allied destination: maybe Russia's troops
        if holder is None:
            holder = actor(ctx, cue, rule)
        if holder is VETO:
            return "other_side_actor", None
        if holder is None and speaker_side in sides:
            holder = speaker_id or True
        if holder is None:
            holder = inner_actor(ctx, cue, rule)
        if holder is None or holder is VETO:
            return "no_holder", None
        return "label", holder

    def _filter(self, ctx: DocContext, rule: CueRule, cue: Span, sent: Span, sides_named: set, about_other: bool) -> str | None:
        """The reason a matched cue gives no label whoever holds it, or None."""
        lex = self.lex
        limits = lex.limits[rule.label]
        if rule.negatable and scope.negated(cue, limits):
            return "negated"
        if rule.negative and not scope.refused(cue, lex.refusal_words):
            return "not_refused"
        if rule.negative and scope.limited(cue, limits):
            return "negated"  # the refusal itself dropped: "has dropped its demand for a halt to enlargement"
        if rule.governed_by and not scope.governed(cue, rule.governed_by):
            return "ungoverned"
        if rule.requires_words and not any(t.lower_ in rule.requires_words or t.lemma_.lower() in rule.requires_words for t in sent):
            return "missing_word"
        if rule.condition_of:
            # the cue is the condition of a threat ("if Russia invades, ..."): an if-clause that
            # names an actor of these sides, never the main clause
            clause = scope.condition_clause(cue, lex.hypothetical_marks)
            named = {lex.gaz.side_of(e.kb_id_) for e in ctx.ents.within(clause.left_edge.i, clause.right_edge.i + 1) if e.kb_id_} if clause is not None else set()
            if not named & rule.condition_of:
                return "not_a_condition"
            head = clause.head
            if scope.negated(head.doc[head.i : head.i + 1], limits):
                return "negated"  # "ruled out sending troops if Russia invades": no threat made
        elif scope.hypothetical(cue, lex.hypothetical_marks):
            return "hypothetical"
        if about_other or aimed_elsewhere(ctx, cue):
            return "other_target"
        if scope.framed(cue, lex.frame_modifiers):
            return "out_of_context"
        if rule.requires_sides and not (sides_named & rule.requires_sides):
            return "missing_side"
        return None

    def label_sentence(self, ctx: DocContext, sent: Span, speaker_side: str | None, speaker_id: str | None, matches=None, sent_ents=None) -> tuple[list[str], list[dict], list[dict]]:
        """Labels with their evidence, plus cues that matched but found no holder (a speaker found
        later, across documents, may hold them: see `crossdoc.promote_pending`)."""
        best: dict[str, dict] = {}
        pending: dict[str, dict] = {}
        for item in self.judge(sent, speaker_side, speaker_id, matches, sent_ents, ctx):
            if item["outcome"] not in ("label", "no_holder", "reported_by_opponent"):
                continue  # a speaker corrected later (across documents) may hold a waiting cue
            holder = item["holder"]
            evidence = {
                "label": item["label"],
                "holder_id": holder if isinstance(holder, str) else None,
                "cue": item["cue"],
                "start": item["start"],
                "end": item["end"],
            }
            if item["outcome"] != "label":
                pending.setdefault(item["label"], evidence)
                continue
            current = best.get(item["label"])
            if current is None or (evidence["end"] - evidence["start"]) < (current["end"] - current["start"]):
                best[item["label"]] = evidence
        names = self.tax.names
        labels = [l for l in names if l in best]
        waiting = [pending[l] for l in names if l in pending and l not in best]
        return labels, [best[l] for l in labels], waiting

    def _by_sentence(self, doc: Doc):
        """(sentence, its cue matches, its entities) for every sentence: one cue pass over the
        Doc, matches bucketed by sentence (a pass per sentence costs 5x more)."""
        sents = content_sents(doc)
        by_sent: list[list] = [[] for _ in sents]
        starts = [s.start for s in sents]
        k = 0
        for match_id, start, end in self.matcher(doc, self.max_tokens):
            while k + 1 < len(sents) and start >= starts[k + 1]:
                k += 1
            if sents and sents[k].start <= start and end <= sents[k].end:
                by_sent[k].append((match_id, start - sents[k].start, end - sents[k].start))
        return zip(sents, by_sent, ents_by_sentence(doc, sents))

    def trace(self, doc: Doc, speakers: list[tuple[str | None, str | None]]) -> list[list[dict]]:
        """`judge` for every sentence of an analysed Doc, given each sentence's final (speaker side,
        speaker id): what the rules can say about a label they gave or missed."""
        ctx = DocContext.of(doc, self.lex)
        return [self.judge(sent, side, sid, matches, ents, ctx) for (sent, matches, ents), (side, sid) in zip(self._by_sentence(doc), speakers)]

    def __call__(self, doc: Doc) -> Doc:
        ctx = DocContext.of(doc, self.lex)
        for sent, matches, ents in self._by_sentence(doc):
            labels, evidence, waiting = self.label_sentence(ctx, sent, sent._.speaker_side, sent._.speaker_id, matches, ents)
            sent._.labels, sent._.stance_evidence, sent._.pending_stance = labels, evidence, waiting
        return doc


@Language.factory("stance_labels", default_config={"rules": {"@misc": "stance_builder.rules.v1"}})
def make_stance_labeler(nlp: Language, name: str, rules: RuleSet) -> StanceLabeler:
    return StanceLabeler(nlp, rules)
