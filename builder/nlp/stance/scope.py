"""Where a stance cue stands in its clause: negated (negations and the label's limit words
counted in the cue's own clause; two cancel), refused, governed by a threat or condition,
hypothetical (inside an if/unless clause), or named as a kind from another context."""

from __future__ import annotations

from spacy.tokens import Span, Token

# a negation does not reach across these edges: "NATO will never admit Ukraine, while the EU insists ..."
CLAUSE_EDGES = {"advcl", "ccomp", "relcl", "conj", "parataxis", "csubj"}
# subordinators of a condition the cue is tied to ("military action if its demands are not met")
CONDITION_MARKS = {"if", "unless"}
# punctuation before a contrastive "not": "X, not Y", "X -- not Y"
CONTRAST_MARKS = {",", ";", "—", "–", "--", "-"}


def scope(cue: Span, limits: frozenset[str] = frozenset(), steps: int = 4) -> list[Token]:
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


def negations(cue: Span, limits: frozenset[str] = frozenset()) -> int:
    """How many negations reach the cue: "not"/"never", "no" before a noun on the way up, a
    negative subject, a "without" the cue depends on, and the label's limit words ("ruled out
    sending troops", "rejected a bid to impose sanctions"). A negation in a neighbouring
    clause ("..., but without ...") does not reach it."""
    n = 0
    inside = {t.i for t in cue}
    for tok in scope(cue, limits):
        for c in tok.children:
            if c.i in inside or _contrastive(c, cue):
                continue
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") or (c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("nobody", "nothing", "none", "noone")):
                n += 1
        if tok.i not in inside and tok.lower_ in ("without", "w/o"):
            n += 1
        if tok.i not in inside and tok.lemma_.lower() in limits and tok.pos_ in ("VERB", "NOUN", "ADP"):
            if tok.lemma_.lower() != "rule" or any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children):
                n += 1
    return n


def _contrastive(tok: Token, cue: Span) -> bool:
    """A "not" after the cue and a comma or dash ("binding agreements, not promises") negates
    the contrast that follows it, not the cue."""
    return tok.dep_ == "neg" and tok.i >= cue.end and tok.i > 0 and tok.doc[tok.i - 1].text in CONTRAST_MARKS


def negated(cue: Span, limits: frozenset[str] = frozenset()) -> bool:
    """'did not threaten', 'no plans to move', 'ruled out sending troops'; two negations cancel
    ('never ruled out providing assistance', 'not ... without consequences')."""
    return negations(cue, limits) % 2 == 1


def limited(cue: Span, limits: frozenset[str]) -> bool:
    """A limit word governs the cue and is not itself negated ("dropped its demand", not "has not
    changed its demand")."""
    n = 0
    for tok in scope(cue, limits, steps=6):
        if not cue.start <= tok.i < cue.end and tok.lemma_.lower() in limits and tok.pos_ in ("VERB", "NOUN"):
            n += 1 + sum(1 for c in tok.children if c.dep_ == "neg")
    return n % 2 == 1


def refused(cue: Span, refusal_words: frozenset[str]) -> bool:
    """Negated, or governed by a refusal word ("avoid concessions", "bar Ukraine from joining")."""
    return negations(cue) > 0 or any(t.lemma_.lower() in refusal_words for t in scope(cue))


def governed(cue: Span, words: frozenset[str]) -> bool:
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


def hypothetical(cue: Span, marks: frozenset[str]) -> bool:
    """The cue is inside an adverbial clause one of `marks` opens ("if", "unless")."""
    return condition_clause(cue, marks) is not None


def condition_clause(cue: Span, marks: frozenset[str]) -> Token | None:
    """The head of the if/unless clause the cue is inside, also an inverted "Should Russia
    invade, ..." (a clause-initial "should" before its subject); None outside one."""
    tok = cue.root
    while tok.head != tok:
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in tok.children):
            return tok
        if tok.dep_ in ("advcl", "ccomp") and tok.i < tok.head.i and tok.left_edge.lower_ == "should" and tok.left_edge.head == tok:
            return tok  # "Should Russia choose to ..., we ..." (the small parser often makes it a ccomp)
        tok = tok.head
    return None


def framed(cue: Span, frame_modifiers: frozenset[str]) -> bool:
    """A cue word named as a kind from another context ("Cold War diplomacy", "Cold War-era
    sanctions", "coercive diplomacy"): a modifier of its noun is one of `frame_modifiers`."""
    return any(
        c.dep_ in ("compound", "amod", "nmod") and (c.lower_ in frame_modifiers or c.lemma_.lower() in frame_modifiers)
        for tok in cue
        if tok.pos_ == "NOUN"
        for c in tok.children
        if not cue.start <= c.i < cue.end
    )
