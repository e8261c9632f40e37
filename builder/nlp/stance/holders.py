"""Who holds a stance cue: the actors a noun phrase names, the subject the cue's clause has
(walking up the parse), the actor named inside the cue's phrase, or both camps at once."""

from __future__ import annotations

from spacy.tokens import Span, Token

from builder.nlp.stance.lexicon import CueRule, DocContext

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


def _np_tokens(head: Token):
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


def sides_of_np(ctx: DocContext, head: Token) -> list[tuple[str, str | None]]:
    """(side, entity id) of every actor the noun phrase names, in order: linked entities, else
    the `holder_words` of the taxonomy ("senators", "lawmakers")."""
    lex = ctx.lex
    toks = sorted(_np_tokens(head), key=lambda t: t.i)
    out: list[tuple[str, str | None]] = []
    seen = set()
    for tok in toks:
        ent = ctx.ents.covering(tok.i)
        if ent is not None and ent.kb_id_ and ent.start not in seen:
            seen.add(ent.start)
            side = lex.gaz.side_of(ent.kb_id_)
            if side:
                out.append((side, ent.kb_id_))
    if not out:
        for tok in toks:
            side = lex.holder_words.get(tok.lower_) or lex.holder_words.get(tok.lemma_.lower())
            if side:
                out.append((side, None))
        text = " " + " ".join(t.lower_ for t in toks) + " "
        out.extend((side, None) for phrase, side in lex.holder_phrases.items() if f" {phrase} " in text)
    return out


def _side_of_np(ctx: DocContext, head: Token, rule: CueRule) -> tuple[str | None, str | None]:
    """(side, entity id) of a noun phrase: its first actor of the rule's holder sides, else its
    first actor. A joint actor of both camps holds the label ("Blinken and Lavrov agreed to
    continue talks": the US is a joint actor agreeing to further talks)."""
    found = sides_of_np(ctx, head)
    if not found:
        return None, None
    for side, eid in found:
        if side in ctx.lex.holder_sides[rule.label]:
            return side, eid
    return found[0]


def actor(ctx: DocContext, cue: Span, rule: CueRule):
    """The holder id (True for a holder with no id) walking up from the cue to the first
    subject of a holder side; VETO when an actor_only cue's nearest subject is another side.
    Pronoun subjects, subjects that contain the cue itself and the patient of the cue's own
    passive verb ("Putin will not be allowed") are passed over (an actor_only cue's patient is
    the actor's own: "Russian forces were put on alert"). The subject of a relative clause on
    the way counts ("the sanctions the US is preparing")."""
    sides = ctx.lex.holder_sides[rule.label]
    tok = cue.root
    first = True
    came_by = None  # the dependency by which the walk reached `tok`
    for _ in range(20):
        if rule.actor_only and came_by == "xcomp" and tok.lemma_.lower() in ctx.lex.object_control:
            # "urged Russia to de-escalate": the object of an object-control verb does the xcomp
            for obj in (c for c in tok.children if c.dep_ == "dobj" and c.pos_ != "PRON"):
                side, eid = _side_of_np(ctx, obj, rule)
                if side in sides:
                    return eid or True
                if side is not None or obj.ent_type_ in ("GPE", "NORP"):
                    return VETO  # another country does it ("urged India to de-escalate"), listed or not
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "agent")]
        subjects += [s for r in tok.children if r.dep_ == "relcl" and not r.i <= cue.root.i <= r.right_edge.i for s in r.children if s.dep_ in ("nsubj", "agent")]
        other = False  # a subject of another side at this level (checked after all of them)
        for child in subjects:
            if child.pos_ == "PRON":
                continue
            if child.left_edge.i <= cue.root.i <= child.right_edge.i:
                continue  # "Russian military action would be met with ...": the cue is the subject
            side, eid = _side_of_np(ctx, child, rule)
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
                ent = ctx.ents.covering(poss.i)
                if ent is not None and ent.kb_id_ and ctx.lex.gaz.side_of(ent.kb_id_) in sides:
                    return ent.kb_id_
        if tok.head == tok:
            break
        came_by = tok.dep_
        tok = tok.head
    return None


def _inner_candidates(cue: Span, agent_only: bool = False) -> list[Token]:
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


def inner_actor(ctx: DocContext, cue: Span, rule: CueRule, first: bool = False):
    """The holder named inside the cue's phrase. `first`: the agent of an actor_only cue, looked
    at before the clause's subject; VETO when it is of an opposing side ("Russian troops moved")."""
    sides = ctx.lex.holder_sides[rule.label]
    for tok in _inner_candidates(cue, agent_only=first):
        ent = ctx.ents.covering(tok.i)
        side = ctx.lex.gaz.side_of(ent.kb_id_) if ent is not None and ent.kb_id_ else None
        if side in sides:
            return ent.kb_id_
        if first and (side in ctx.lex.opposing[rule.label] or (side is not None and tok.dep_ == "poss")):
            return VETO  # its owner ("NATO's troop deployments"); an ally or beneficiary ("defense of our NATO allies") is none
    return None


# nouns whose "between" names the parties of a fight, not an exchange between camps
CONFLICT_NOUNS = frozenset({"conflict", "war", "clash", "confrontation", "crisis", "fighting", "hostility", "escalation"})


def between_camps(ctx: DocContext, cue: Span, rule: CueRule) -> bool:
    """The cue is an exchange "between" the holder's camp and its opponent ("between Washington
    and Moscow", "between the two sides"), not one side's position."""
    for tok in cue:
        if tok.lemma_.lower() in CONFLICT_NOUNS:
            continue  # "a risk of conflict between Russia and Ukraine": the parties of a conflict
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                sides = {s for s, _ in sides_of_np(ctx, pobj)}
                if sides & ctx.lex.opposing[rule.label]:
                    return True
                if not sides and pobj.lemma_.lower() in PAIR_NOUNS and any(c.lower_ in ("two", "both") for c in pobj.children):
                    return True
    return False


def aimed_elsewhere(ctx: DocContext, cue: Span) -> bool:
    """The cue's own phrase aims at a country of `other_targets` ("a diplomatic track with Iran",
    "sanctions on Iran's oil exports"), even in a sentence that names Russia too."""
    heads = list(cue) + ([cue.root.head] if cue.root.head.pos_ == "VERB" else [])
    for tok in heads:
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in AIM_PREPS):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                found = sides_of_np(ctx, pobj)
                if found and found[0][0] in ctx.lex.other_targets:
                    return True
    return False


def rebuffed(ctx: DocContext, cue: Span, refusal_words: frozenset[str], opponents: frozenset[str]) -> bool:
    """The cue is the object of a refusal whose subject is all the label's opponents
    ("Washington and its allies rejected Moscow's key demands"): the sentence reports the reply,
    so a cue any reporter may restate is not restated here. "Russia rejected the proposals" is
    not rebuffed: its subject is no opponent. A demand spelled out ("rejected Putin's demand that
    NATO never expand") is restated by the sentence, whoever refuses it."""
    tok = cue.root
    if any(c.dep_ in ("acl", "ccomp", "relcl") or (c.dep_ == "prep" and c.lower_ in ("for", "on")) for c in tok.children):
        return False
    while tok.head != tok:
        if tok.dep_ in ("acl", "ccomp", "relcl", "conj", "advcl"):
            return False  # the cue is the content of the demand, or another clause's ("..., and Russia repeated its demands")
        tok = tok.head
        if tok.pos_ == "VERB" and tok.lemma_.lower() in refusal_words:
            subjects = [c for c in tok.children if c.dep_ == "nsubj"]
            sides = [side for subj in subjects for side, _ in sides_of_np(ctx, subj)]
            return bool(sides) and all(side in opponents for side in sides)
    return False
