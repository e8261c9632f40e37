"""Stance labels per sentence as a spaCy component (cues and holders from schemas/stance_taxonomy.yaml).

A label needs a cue and a holder of the label's side: the grammatical actor of
the cue's clause (walking up the parse; the subject of a relative clause on the
way, the owner of a noun whose content the cue tells), else the sentence's
speaker, else an actor named inside the cue's phrase (for actor_only cues that
phrase's own agent comes first: "US troops", "Russia's deployment"). No label
when the holder's opponent reports it (except restated demands), when the cue
is negated (negations and the label's limit words counted in the cue's own
clause; two cancel), inside an if/unless clause, aimed at another country, or a
kind from another context ("Cold War diplomacy"). `judge` says, for every
matched cue, which of these happened (OUTCOMES).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from builder.rules import config
from builder.nlp.cues import CueMatcher
from builder.errors import ConfigError
from builder.rules import RuleSet
from builder.nlp.segment import EntityIndex, content_sents, ents_by_sentence

CUE_KEYS = {"id", "pattern", "negatable", "polarity", "requires_sides", "requires_words", "actor_only", "governed_by", "any_reporter", "unowned_requires"}
VETO = object()  # the cue's own actor is of another side: no label
# prepositions whose object still says who a noun phrase is ("members of Congress", "officials from the US")
NP_PREPS = {"of", "from", "including", "among"}
# prepositions that aim a cue at a target ("sanctions on Iran", "a diplomatic track with Tehran")
AIM_PREPS = {"on", "with", "against", "toward", "towards", "over", "about", "for"}
# nouns of a stance whose owner holds what they govern ("Putin's insistence on a halt to
# enlargement", "Moscow's opposition to any expansion"); not "Russia's demands for guarantees"
# as the topic of a reply (blind2-04:0)
POSITION_NOUNS = {"insistence", "opposition", "refusal", "rejection", "objection"}
# "between the two sides": nouns for the two parties of an exchange
PAIR_NOUNS = {"side", "country", "party", "capital", "government", "leader", "nation", "power", "rival", "adversary"}
# subordinators of a condition the cue is tied to ("military action if its demands are not met")
CONDITION_MARKS = {"if", "unless"}
# what can become of a matched cue (StanceLabeler.judge): a label, a wait for a holder, or a reason for none
OUTCOMES = {
    "label": "labelled",
    "no_holder": "cue without a holder of its side",
    "negated": "negated",
    "not_refused": "refusal cue that nothing refuses",
    "ungoverned": "cue without the threat or condition it needs",
    "missing_word": "required word absent",
    "hypothetical": "inside an if/unless clause",
    "other_target": "about another country",
    "missing_side": "required side absent",
    "out_of_context": "cue word named as a kind from another context",
    "other_side_actor": "actor of another side",
    "joint_actor": "joint actor of both camps",
    "reported_by_opponent": "reported by the holder's opponent",
}
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
    governed_by: frozenset[str] = frozenset()  # counts only under one of these heads or a condition
    any_reporter: bool = False  # holds even when an opponent of the holder reports it (restated demands)
    unowned_requires: frozenset[str] = frozenset()  # words the sentence needs when the cue names no owner


class StanceLabeler:
    def __init__(self, nlp: Language, rules: RuleSet):
        self.tax = taxonomy = rules.taxonomy
        self.gaz = rules.gazetteer
        self.holder_sides = {l.name: frozenset(l.holder_sides) for l in taxonomy.labels}
        self.other_targets = frozenset(taxonomy.extra.get("other_targets") or ())
        self.max_tokens = int(taxonomy.extra.get("max_cue_tokens", 10))
        self.matcher = CueMatcher(nlp.vocab)
        self.rules: dict[str, CueRule] = {}
        where = rules.path("stance_taxonomy")
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
                    frozenset(w.lower() for w in cue.get("governed_by") or ()),
                    bool(cue.get("any_reporter", False)),
                    frozenset(w.lower() for w in cue.get("unowned_requires") or ()),
                )
        self.refusal_words = frozenset(taxonomy.extra.get("refusal_words") or ())
        self.hypothetical_marks = frozenset(taxonomy.extra.get("hypothetical_marks") or ())
        self.frame_modifiers = frozenset(w.lower() for w in taxonomy.extra.get("frame_modifiers") or ())
        self.opposing = {l.name: frozenset(l.opposing_sides) for l in taxonomy.labels}
        self.limits = {l.name: frozenset(w.lower() for w in l.limit_words) for l in taxonomy.labels}
        words = {w.lower(): side for side, ws in (taxonomy.extra.get("holder_words") or {}).items() for w in ws}
        self.holder_words = {w: side for w, side in words.items() if " " not in w}
        self.holder_phrases = {w: side for w, side in words.items() if " " in w}

    # ---- holders

    def _np_tokens(self, head: Token):
        """The tokens that say who a noun phrase is: the head with its modifiers, conjuncts and
        appositions, not what a participle, relative clause or prepositional phrase tells about it
        ("an email sent to Senate offices" is no Senate; "members of Congress" is)."""
        stack = [head]
        while stack:
            tok = stack.pop()
            yield tok
            for child in tok.children:
                if child.dep_ in ("acl", "relcl", "advcl", "ccomp", "xcomp", "punct", "cc", "mark"):
                    continue
                if child.dep_ == "prep" and child.lower_ not in NP_PREPS:
                    continue
                stack.append(child)

    def _sides_of_np(self, head: Token) -> list[tuple[str, str | None]]:
        """(side, entity id) of every actor the noun phrase names, in order: linked entities, else
        the `holder_words` of the taxonomy ("senators", "lawmakers")."""
        toks = sorted(self._np_tokens(head), key=lambda t: t.i)
        out: list[tuple[str, str | None]] = []
        seen = set()
        for tok in toks:
            ent = self.ents.covering(tok.i)
            if ent is not None and ent.kb_id_ and ent.start not in seen:
                seen.add(ent.start)
                side = self.gaz.side_of(ent.kb_id_)
                if side:
                    out.append((side, ent.kb_id_))
        if not out:
            for tok in toks:
                side = self.holder_words.get(tok.lower_) or self.holder_words.get(tok.lemma_.lower())
                if side:
                    out.append((side, None))
            text = " " + " ".join(t.lower_ for t in toks) + " "
            out.extend((side, None) for phrase, side in self.holder_phrases.items() if f" {phrase} " in text)
        return out

    def _side_of_np(self, head: Token, rule: CueRule | None = None) -> tuple[str | None, str | None]:
        """(side, entity id) of a noun phrase: its first actor of the rule's holder sides, else its
        first actor. A joint actor of both camps holds the label ("Blinken and Lavrov agreed to
        continue talks": the US is a joint actor agreeing to further talks)."""
        found = self._sides_of_np(head)
        if not found:
            return None, None
        if rule is not None:
            for side, eid in found:
                if side in self.holder_sides[rule.label]:
                    return side, eid
        return found[0]

    def _actor(self, cue: Span, rule: CueRule):
        """The holder id (True for a holder with no id) walking up from the cue to the first
        subject of a holder side; VETO when an actor_only cue's nearest subject is another side.
        Pronoun subjects, subjects that contain the cue itself and the patient of the cue's own
        passive verb ("Putin will not be allowed") are passed over (an actor_only cue's patient is
        the actor's own: "Russian forces were put on alert"). The subject of a relative clause on
        the way counts ("the sanctions the US is preparing")."""
        sides = self.holder_sides[rule.label]
        tok = cue.root
        first = True
        came_by = None  # the dependency by which the walk reached `tok`
        for _ in range(20):
            subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "agent")]
            subjects += [s for r in tok.children if r.dep_ == "relcl" and not r.i <= cue.root.i <= r.right_edge.i for s in r.children if s.dep_ in ("nsubj", "agent")]
            other = False  # a subject of another side at this level (checked after all of them)
            for child in subjects:
                if child.pos_ == "PRON":
                    continue
                if child.left_edge.i <= cue.root.i <= child.right_edge.i:
                    continue  # "Russian military action would be met with ...": the cue is the subject
                side, eid = self._side_of_np(child, rule)
                if child.dep_ == "nsubjpass" and cue.start <= tok.i < cue.end and not rule.actor_only and side in sides:
                    continue  # the patient of the cue's own verb: "Putin will not be allowed to ..."
                if side in sides:
                    return eid or True  # "Western governments, the United States among them, are ..."
                other = other or side is not None
            if other and rule.actor_only and first and not any(a.dep_ == "aux" and a.lower_ == "to" for a in tok.children):
                return VETO  # but "wants Russia to de-escalate": the subject of a wish is no actor
            first = first and not other
            if tok.pos_ == "NOUN" and (came_by in ("acl", "relcl") or (came_by == "prep" and tok.lemma_.lower() in POSITION_NOUNS)):
                # the cue tells the content of a noun owned by the holder: "Putin's demands -- which
                # include a promise never to expand", "Putin's insistence on a halt to enlargement"
                for poss in (c for c in tok.children if c.dep_ in ("poss", "compound")):
                    ent = self.ents.covering(poss.i)
                    if ent is not None and ent.kb_id_ and self.gaz.side_of(ent.kb_id_) in sides:
                        return ent.kb_id_
            if tok.head == tok:
                break
            came_by = tok.dep_
            tok = tok.head
        return None

    def _inner_candidates(self, cue: Span, agent_only: bool = False) -> list[Token]:
        """Tokens naming an actor inside the cue's phrase: "a longstanding demand of Moscow", "US
        troops", "assistance from the US" (never an object: "respond to any US move"). With
        `agent_only`, only the modifiers of a noun that is no object of a verb inside the cue: "US
        troops deploying", "Russia's deployment", not the beneficiary of "supporting Ukraine's armed
        forces"."""
        candidates: list[Token] = []
        root = cue.root
        inside = range(cue.start, cue.end)
        if root.dep_ in ("compound", "amod") and root.head.pos_ in ("NOUN", "PROPN"):
            # the cue modifies a noun: "a US security assistance package" names its actor there
            candidates.extend(c for c in root.head.children if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i not in inside)
        if root.dep_ in ("acl", "xcomp") and root.head.pos_ == "NOUN":
            # the cue's clause modifies a noun: "Biden's plan to send troops", "the US decision to deploy"
            candidates.extend(c for c in root.head.children if c.dep_ in ("poss", "compound", "amod"))
        for tok in cue:
            if tok.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ"):
                continue
            if agent_only and (tok.pos_ == "VERB" or (tok.dep_ in ("dobj", "pobj", "dative", "attr", "oprd") and tok.head.i in inside and tok.head.pos_ in ("VERB", "ADP") and not (tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN"))):
                continue
            for child in tok.children:
                if child.dep_ in ("poss", "compound", "amod", "nmod"):
                    candidates.append(child)
                elif child.dep_ == "prep" and child.lower_ in (("of",) if agent_only else ("of", "from")) or child.dep_ == "agent":
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        candidates.append(pobj)
                        candidates.extend(c for c in pobj.children if c.dep_ in ("poss", "compound", "amod", "nmod"))
                elif child.dep_ == "acl" and child.lemma_ == "come" and not agent_only:  # "assistance coming from the US"
                    for prep in (c for c in child.children if c.dep_ == "prep" and c.lower_ == "from"):
                        candidates.extend(c for c in prep.children if c.dep_ == "pobj")
        return candidates

    def _inner_actor(self, cue: Span, rule: CueRule, first: bool = False):
        """The holder named inside the cue's phrase. `first`: the agent of an actor_only cue, looked
        at before the clause's subject; VETO when it is of an opposing side ("Russian troops moved")."""
        sides = self.holder_sides[rule.label]
        for tok in self._inner_candidates(cue, agent_only=first):
            ent = self.ents.covering(tok.i)
            side = self.gaz.side_of(ent.kb_id_) if ent is not None and ent.kb_id_ else None
            if side in sides:
                return ent.kb_id_
            if first and (side in self.opposing[rule.label] or (side is not None and tok.dep_ == "poss")):
                return VETO  # its owner ("NATO's troop deployments"); an ally or beneficiary ("defense of our NATO allies") is none
        return None

    # ---- filters

    def _scope(self, cue: Span, limits: frozenset[str] = frozenset(), steps: int = 4) -> list[Token]:
        """The cue and its heads up to its clause's head (at most `steps` steps): where a negation
        applies. A finite clause that modifies a noun ("no sign that Russia is backing down") is a
        clause of its own; a gerund or infinitive that completes a limit word ("ruled out sending
        troops") is inside the limit's clause."""
        out = list(cue)
        tok = cue.root
        for _ in range(steps):
            infinitival = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)  # "no reason to make"
            finite_acl = tok.dep_ == "acl" and any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in tok.children)
            completes_limit = tok.head.lemma_.lower() in limits and tok.tag_ in ("VBG", "VB") and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in tok.children)
            if (tok.dep_ in CLAUSE_EDGES and not infinitival and not completes_limit) or finite_acl or tok.head == tok:
                break
            tok = tok.head
            out.append(tok)
        return out

    def _negations(self, cue: Span, limits: frozenset[str] = frozenset()) -> int:
        """How many negations reach the cue: "not"/"never", "no" before a noun on the way up, a
        negative subject, a "without" the cue depends on, and the label's limit words ("ruled out
        sending troops", "rejected a bid to impose sanctions"). A negation in a neighbouring
        clause ("..., but without ...") does not reach it."""
        n = 0
        scope = self._scope(cue, limits)
        inside = {t.i for t in cue}
        for tok in scope:
            for c in tok.children:
                if c.i in inside:
                    continue
                if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") or (c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("nobody", "nothing", "none", "noone")):
                    n += 1
            if tok.i not in inside and tok.lower_ in ("without", "w/o"):
                n += 1
            if tok.i not in inside and tok.lemma_.lower() in limits and tok.pos_ in ("VERB", "NOUN", "ADP"):
                if tok.lemma_.lower() != "rule" or any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children):
                    n += 1
        return n

    def _negated(self, cue: Span, limits: frozenset[str] = frozenset()) -> bool:
        """'did not threaten', 'no plans to move', 'ruled out sending troops'; two negations cancel
        ('never ruled out providing assistance', 'not ... without consequences')."""
        return self._negations(cue, limits) % 2 == 1

    def _limited(self, cue: Span, limits: frozenset[str]) -> bool:
        """A limit word governs the cue and is not itself negated ("dropped its demand", not "has not
        changed its demand")."""
        n = 0
        for tok in self._scope(cue, limits, steps=6):
            if not cue.start <= tok.i < cue.end and tok.lemma_.lower() in limits and tok.pos_ in ("VERB", "NOUN"):
                n += 1 + sum(1 for c in tok.children if c.dep_ == "neg")
        return n % 2 == 1

    def _refused(self, cue: Span) -> bool:
        """Negated, or governed by a refusal word ("avoid concessions", "bar Ukraine from joining")."""
        return self._negations(cue) > 0 or any(t.lemma_.lower() in self.refusal_words for t in self._scope(cue))

    def _governed(self, cue: Span, words: frozenset[str]) -> bool:
        """A head of the cue, up to its sentence's root, is one of `words` ("threatened military
        action"), or the cue is tied to a condition ("military action if its demands are not met")."""
        tok = cue.root
        while True:
            if tok.lemma_.lower() in words or tok.lower_ in words:
                return True
            if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children) for c in tok.children):
                return True
            if tok.head == tok:
                return False
            tok = tok.head

    def _hypothetical(self, cue: Span) -> bool:
        tok = cue.root
        while tok.head != tok:
            if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in self.hypothetical_marks for c in tok.children):
                return True
            tok = tok.head
        return False

    def judge(self, sent: Span, speaker_side: str | None, speaker_id: str | None, matches=None, ents=None) -> list[dict]:
        """Every cue that matched in the sentence and what became of it: `outcome` is `label`
        (with its holder), `no_holder` (waiting for a speaker of its side), or the reason it gives
        no label (one of OUTCOMES). The rules' own account of their misses."""
        sides_named = {self.gaz.side_of(e.kb_id_) for e in (sent.ents if ents is None else ents) if e.kb_id_}
        about_other = bool(sides_named & self.other_targets) and "RU" not in sides_named
        if matches is None:
            matches = self.matcher(sent, self.max_tokens)
        out = []
        for match_id, start, end in matches:  # offsets relative to the sentence
            key = sent.doc.vocab.strings[match_id]
            rule = self.rules[key]
            cue = sent[start:end]
            item = {"label": rule.label, "cue_id": rule.id, "cue": cue.text, "start": cue.start_char - sent.start_char, "end": cue.end_char - sent.start_char, "holder": None}
            out.append(item)
            item["outcome"] = self._filter(rule, cue, sent, sides_named, about_other)
            if item["outcome"] is None:
                item["outcome"], item["holder"] = self._holder(rule, cue, speaker_side, speaker_id)
        return out

    def _holder(self, rule: CueRule, cue: Span, speaker_side: str | None, speaker_id: str | None):
        """(outcome, holder) of a cue that passed the filters."""
        sides = self.holder_sides[rule.label]
        if speaker_side in self.opposing[rule.label] and not rule.any_reporter:
            return "reported_by_opponent", None  # "US measures mentioned by a Russian speaker"
        if self._between_camps(cue, rule):
            return "joint_actor", None  # "the latest diplomatic effort between the two sides"
        holder = self._inner_actor(cue, rule, first=True) if rule.actor_only else None
        if holder is None and rule.unowned_requires and not any(t.lower_ in rule.unowned_requires or t.lemma_.lower() in rule.unowned_requires for t in cue.sent):
            return "missing_word", None  # no owner named and no allied destination: maybe Russia's troops
        if holder is None:
            holder = self._actor(cue, rule)
        if holder is VETO:
            return "other_side_actor", None
        if holder is None and speaker_side in sides:
            holder = speaker_id or True
        if holder is None:
            holder = self._inner_actor(cue, rule)
        if holder is None or holder is VETO:
            return "no_holder", None
        return "label", holder

    def _framed(self, cue: Span) -> bool:
        """A cue word named as a kind from another context ("Cold War diplomacy", "Cold War-era
        sanctions", "coercive diplomacy"): a modifier of its noun is one of `frame_modifiers`."""
        return any(
            c.dep_ in ("compound", "amod", "nmod") and (c.lower_ in self.frame_modifiers or c.lemma_.lower() in self.frame_modifiers)
            for tok in cue
            if tok.pos_ == "NOUN"
            for c in tok.children
            if not cue.start <= c.i < cue.end
        )

    def _aimed_elsewhere(self, cue: Span) -> bool:
        """The cue's own phrase aims at a country of `other_targets` ("a diplomatic track with Iran",
        "sanctions on Iran's oil exports"), even in a sentence that names Russia too."""
        heads = list(cue) + ([cue.root.head] if cue.root.head.pos_ == "VERB" else [])
        for tok in heads:
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in AIM_PREPS):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    found = self._sides_of_np(pobj)
                    if found and found[0][0] in self.other_targets:
                        return True
        return False

    def _between_camps(self, cue: Span, rule: CueRule) -> bool:
        """The cue is an exchange "between" the holder's camp and its opponent ("between Washington
        and Moscow", "between the two sides"), not one side's position."""
        for tok in cue:
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    sides = {s for s, _ in self._sides_of_np(pobj)}
                    if sides & self.opposing[rule.label]:
                        return True
                    if not sides and pobj.lemma_.lower() in PAIR_NOUNS and any(c.lower_ in ("two", "both") for c in pobj.children):
                        return True
        return False

    def _filter(self, rule: CueRule, cue: Span, sent: Span, sides_named: set, about_other: bool) -> str | None:
        """The reason a matched cue gives no label whoever holds it, or None."""
        if rule.negatable and self._negated(cue, self.limits[rule.label]):
            return "negated"
        if rule.negative and not self._refused(cue):
            return "not_refused"
        if rule.negative and self._limited(cue, self.limits[rule.label]):
            return "negated"  # the refusal itself dropped: "has dropped its demand for a halt to enlargement"
        if rule.governed_by and not self._governed(cue, rule.governed_by):
            return "ungoverned"
        if rule.requires_words and not any(t.lower_ in rule.requires_words or t.lemma_.lower() in rule.requires_words for t in sent):
            return "missing_word"
        if self._hypothetical(cue):
            return "hypothetical"
        if about_other or self._aimed_elsewhere(cue):
            return "other_target"
        if self._framed(cue):
            return "out_of_context"
        if rule.requires_sides and not (sides_named & rule.requires_sides):
            return "missing_side"
        return None

    def label_sentence(self, sent: Span, speaker_side: str | None, speaker_id: str | None, matches=None, ents=None) -> tuple[list[str], list[dict], list[dict]]:
        """Labels with their evidence, plus cues that matched but found no holder (a speaker found
        later, across documents, may hold them: see `crossdoc.promote_pending`)."""
        best: dict[str, dict] = {}
        pending: dict[str, dict] = {}
        for item in self.judge(sent, speaker_side, speaker_id, matches, ents):
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
        labels = [l for l in self.tax.names if l in best]
        waiting = [pending[l] for l in self.tax.names if l in pending and l not in best]
        return labels, [best[l] for l in labels], waiting

    def _matches_by_sentence(self, doc: Doc, sents: list[Span]) -> list[list]:
        """One cue pass over the Doc, matches bucketed by sentence (a pass per sentence costs 5x more)."""
        by_sent: list[list] = [[] for _ in sents]
        starts = [s.start for s in sents]
        k = 0
        for match_id, start, end in self.matcher(doc, self.max_tokens):
            while k + 1 < len(sents) and start >= starts[k + 1]:
                k += 1
            if sents and sents[k].start <= start and end <= sents[k].end:
                by_sent[k].append((match_id, start - sents[k].start, end - sents[k].start))
        return by_sent

    def trace(self, doc: Doc, speakers: list[tuple[str | None, str | None]]) -> list[list[dict]]:
        """`judge` for every sentence of an analysed Doc, given each sentence's final (speaker side,
        speaker id): what the rules can say about a label they gave or missed."""
        sents = content_sents(doc)
        self.ents = EntityIndex(doc)
        return [
            self.judge(sent, side, sid, matches, ents)
            for sent, (side, sid), matches, ents in zip(sents, speakers, self._matches_by_sentence(doc, sents), ents_by_sentence(doc, sents))
        ]

    def __call__(self, doc: Doc) -> Doc:
        sents = content_sents(doc)
        self.ents = EntityIndex(doc)
        info = doc._.sent_info or [{} for _ in sents]
        by_sent = self._matches_by_sentence(doc, sents)
        for sent, item, matches, ents in zip(sents, info, by_sent, ents_by_sentence(doc, sents)):
            labels, evidence, waiting = self.label_sentence(sent, item.get("speaker_side"), item.get("speaker_id"), matches, ents)
            item["labels"] = labels
            item["stance_evidence"] = evidence
            item["pending_stance"] = waiting
        doc._.sent_info = info
        return doc


@Language.factory("stance_labels", default_config={"rules": {"@misc": "stance_builder.rules.v1"}})
def make_stance_labeler(nlp: Language, name: str, rules: RuleSet) -> StanceLabeler:
    return StanceLabeler(nlp, rules)
