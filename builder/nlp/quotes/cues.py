"""Speech cues of a sentence and the content they report, from the dependency parse.

A cue is a speech verb or adjective (schemas/speech.yaml) with a subject that
can be a speaker, an "according to X", or a name before a colon that opens a
quotation; its content is the clause or object the verb reports.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Span, Token

from builder.nlp.quotes.context import DocContext
from builder.nlp.quotes.marks import QUOTE_MARKS, inside

FRAMING_GAP = re.compile(r"[ \w'’-]{1,40}[,:] ?[\"']?")


@dataclass
class Cue:
    verb: Token | None
    text: str
    subject: list[Token]  # the speaker noun phrase's tokens
    content: tuple[int, int] | None  # char span of the reported content
    relay: bool = False
    anchor: Token | None = None  # "according" of an "According to A, B said" that cites A: it goes first


def in_sentence(positions: list[int], sent: Span) -> list[int]:
    """The sorted token positions that fall inside the sentence."""
    return positions[bisect_left(positions, sent.start) : bisect_left(positions, sent.end)]


def np_tokens(head: Token) -> list[Token]:
    """The subject noun phrase without relative clauses or trailing appositive clauses' verbs."""
    toks = [t for t in head.subtree if not any(a.dep_ in ("relcl", "acl") and a != head for a in _ancestors_until(t, head))]
    return sorted(toks, key=lambda t: t.i)


def _content(ctx: DocContext, verb: Token) -> tuple[int, int] | None:
    """Character span of what the verb reports: its clause or object complements, never the
    addressee ("told Reuters that ..." reports the clause, not "Reuters")."""
    lex = ctx.lex
    children = list(verb.children)
    clauses = [c for c in children if c.dep_ in ("ccomp", "xcomp")] or _addressee_clause(ctx, verb)
    objects = [c for c in children if c.dep_ == "dobj" and c.pos_ != "PRON"]
    preps = [c for c in children if c.dep_ == "prep" and c.lower_ in ("of", "on", "about", "that")]
    if clauses:
        parts = clauses
    elif objects and verb.lemma_.lower() not in lex.addressee_verbs:
        parts = objects + [p for p in preps if p.i > objects[0].i]
    elif preps and verb.lemma_.lower() in lex.preposition_report_verbs:
        parts = preps
    else:
        return _head_content(verb)
    first = min((next(iter(p.subtree)) for p in parts), key=lambda t: t.i)
    if first.dep_ == "mark" and first.lower_ in ("that", "whether", "if") and first.i + 1 < len(verb.doc):
        first = verb.doc[first.i + 1]  # the report, not its complementiser
    last = max((list(p.subtree)[-1] for p in parts), key=lambda t: t.i)
    return first.idx, last.idx + len(last)


def _addressee_clause(ctx: DocContext, verb: Token) -> list[Token]:
    """'assured residents that the water was safe': the small parser often hangs the that-clause
    on the addressee (as a relative clause); it is what the verb reports."""
    if verb.lemma_.lower() not in ctx.lex.addressee_verbs:
        return []
    marked = [c for o in verb.children if o.dep_ == "dobj" for c in o.children
              if c.dep_ in ("acl", "relcl") and any(m.dep_ == "mark" and m.lower_ in ("that", "whether", "if") for m in c.children)]
    # 'asked workers if they planned to attend': the question, parsed as a conditional clause
    return marked or [c for c in verb.children if c.dep_ == "advcl" and c.i > verb.i
                      and any(m.dep_ == "mark" and m.lower_ in ("whether", "if") and m.i == c.left_edge.i for m in c.children)]


def _head_content(verb: Token) -> tuple[int, int] | None:
    """'The meeting would be held in Brussels, Ryabkov said': the clause the verb hangs on."""
    if verb.dep_ not in ("parataxis", "ccomp", "advcl") or verb.head.i > verb.i:
        return None
    own = {t.i for t in verb.subtree}
    before = [t for t in verb.head.subtree if t.i not in own and t.i < min(own)]
    while before and before[-1].is_punct:
        before.pop()
    if not before:
        return None
    return before[0].idx, before[-1].idx + len(before[-1])


def _agent(verb: Token) -> Token | None:
    """The "by" agent of a passive verb, if the sentence names one."""
    return next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)


# nouns of speaking whose participle tells what was said ("a speech expressing concern")
SPEECH_NOUNS = frozenset({"speech", "remark", "address", "interview", "briefing", "testimony", "appearance", "op-ed", "video"})


def subject(ctx: DocContext, verb: Token) -> Token | None:
    """The head of the noun phrase that speaks through the verb."""
    if verb.lemma_.lower() in ctx.lex.relay_verbs:
        # "he was quoted as saying", "she was cited as saying": the one quoted is the passive subject
        passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if passive and any(c.dep_ == "auxpass" for c in verb.children):
            return passive[0]
    if any(c.dep_ == "auxpass" for c in verb.children):
        return _agent(verb)  # "Russia ... is accused of ...": the speaker is the "by" agent
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    # two subjects on one verb are a misparse ('"Increased risk," an official said'): one that a
    # quotation closes after is quoted words, not the speaker; of the others a name wins ("its
    # chair Anna Berg saying")
    outside = [c for c in subjects if not any(t.is_quote for t in verb.doc[c.i + 1 : verb.i])]
    named = [c for c in outside if c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")]
    nearest = (named or outside)[0] if len(subjects) > 1 and outside else None
    for child in verb.children:
        if child.dep_ == "nsubj" and (nearest is None or child == nearest):
            if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
                return verb.head  # "an official who briefed reporters": the speaker is the official
            return child
        if child.dep_ == "nsubjpass":
            return _agent(verb)  # "Russia is accused of ...": the speaker is the "by" agent
    if verb.dep_ == "pcomp" and verb.head.lower_ == "by" and verb.head.dep_ == "prep" and verb.head.head != verb.head:
        # "ended her speech by saying": her words; "attacked Biden for saying": Biden's, not theirs
        return subject(ctx, verb.head.head)
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ctx.lex.object_control_verbs:
        obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if obj is not None:
            return obj  # "leading some to suggest ...": "some" suggests, not the subject of "leading"
    # "..., saying ..." and "accusing ..." take the subject of the clause they hang on
    if verb.dep_ in ("advcl", "xcomp", "conj", "acl") and verb.head != verb:
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            owner = verb.head
            if owner.lemma_.lower() in ctx.lex.document_nouns | SPEECH_NOUNS and owner.dep_ in ("dobj", "pobj") and owner.head.pos_ in ("VERB", "ADP"):
                # "gave a speech expressing concern", "in a statement saying ...": the speech's giver
                head = owner.head.head if owner.dep_ == "pobj" else owner.head
                return subject(ctx, head) if head.pos_ in ("VERB", "AUX") and head != verb else None
            return None
        return subject(ctx, verb.head)
    if verb.dep_ == "ROOT":
        # the small parser sometimes hangs the sentence's subject on a clause inside a
        # parenthetical ("Moscow, worried by what it says is ..., has said ..."): take the
        # sentence-initial subject before the verb
        for tok in verb.sent:
            if tok.i >= verb.i:
                break
            if tok.dep_ == "nsubj" and tok.i == verb.sent.start and tok.pos_ in ("PROPN", "NOUN"):
                return tok
    return None


def _adjective_cue(ctx: DocContext, tok: Token) -> Cue | None:
    """'She was blunt that ...': the clause hangs on the adjective or, as the parser often has
    it, on its copula."""
    clauses = [c for c in tok.children if c.dep_ == "ccomp"]
    if not clauses and tok.dep_ in ("acomp", "oprd"):
        clauses = [c for c in tok.head.children if c.dep_ == "ccomp" and c.i > tok.i]
    subj = subject(ctx, tok.head) if clauses and tok.dep_ in ("acomp", "oprd") else None
    if subj is None:
        return None
    sub = [t for c in clauses for t in c.subtree]
    if sub[0].dep_ == "mark" and len(sub) > 1:
        sub = sub[1:]
    return Cue(tok, tok.text, np_tokens(subj), (sub[0].idx, sub[-1].idx + len(sub[-1])))


def _verb_cue(ctx: DocContext, tok: Token, quotes_in_sent: list[tuple[int, int]]) -> Cue | None:
    """A speech verb that reports something (a clause, an object, a quotation it frames) and has
    a speaker; negated verbs and verbs inside a quotation are not speech."""
    lex = ctx.lex
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX") or lemma not in ctx.rules.verb_words:
        return None
    if any(c.dep_ == "neg" for c in tok.children) or inside(tok.idx, quotes_in_sent):
        return None
    if tok.dep_ == "xcomp" and any(c.dep_ == "neg" for c in tok.head.children):
        return None  # "has not offered to rule out ...": a negated announcement reports nothing
    content = _content(ctx, tok)
    quoted = any(_touches(tok, q) for q in quotes_in_sent)
    framed = any(_frames(tok, q, ctx.text) for q in quotes_in_sent) or (
        lemma in lex.characterising_verbs and any(q[0] > tok.idx and _touches(tok, q) and not _in_object(tok, q) for q in quotes_in_sent))
    particle = next((c for c in tok.children if c.dep_ in ("prt", "prep") and c.lower_ in lex.particle_reports.get(lemma, ())), None)
    judged = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"
                   and not any(o.lower_ in NOT_JUDGEMENTS for o in c.children)), None) if lemma in lex.characterising_verbs else None
    has_object = any(c.dep_ == "dobj" for c in tok.children)
    stated = next((c for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() in lex.report_objects.get(lemma, ())), None)
    if stated is not None:
        # "voiced concern that ...", "dismissed the allegations": the object is the statement
        sub = [t for t in tok.subtree if t.i >= stated.left_edge.i]
        content, framed = (sub[0].idx, sub[-1].idx + len(sub[-1])), True
    if judged is not None and has_object:
        # 'portrayed the escalation as a threat to all of Europe': a judgement reported
        sub = [t for c in tok.children if c.dep_ == "dobj" or c == judged for t in c.subtree]
        content, framed = (sub[0].idx, sub[-1].idx + len(sub[-1])), True
    if particle is not None and particle.dep_ == "prep" and has_object:
        particle = None  # "called the meeting for Tuesday": the preposition is not the report's
    if particle is not None and content is None:
        after = [t for c in (particle.children if particle.dep_ == "prep" else tok.children) if c.i > particle.i
                 and c.dep_ in ("pobj", "pcomp", "dobj", "advcl", "xcomp") for t in c.subtree]
        content = (after[0].idx, after[-1].idx + len(after[-1])) if after else None
    if lemma in lex.clause_only_verbs and not framed and not any(c.dep_ == "ccomp" for c in tok.children) and tok.dep_ != "parataxis" \
            and not _addressee_clause(ctx, tok) and not (particle is not None and content is not None):
        return None
    if content is None and tok.dep_ == "relcl" and tok.head.lower_ not in lex.non_referential:
        sub = list(tok.head.subtree)
        content = (sub[0].idx, sub[-1].idx + len(sub[-1]))
    if content is None and not quoted and not framed and tok.dep_ not in ("parataxis",) and lemma not in lex.object_report_verbs:
        return None
    subj = subject(ctx, tok)
    if subj is None:
        return None
    return Cue(tok, tok.text, np_tokens(subj), content, relay=lemma in lex.relay_verbs)


# what may stand between a speech verb and the quotation it frames (the marks are part of the span or not)
FRAME = re.compile(r"[\s,:\"'\u201c\u201d\u2018\u2019]*")


def find_cues(ctx: DocContext, sent: Span, quotes_in_sent: list[tuple[int, int]]) -> list[Cue]:
    """Speech cues of a sentence, the main clause's first; negated verbs are not speech."""
    found: list[Cue] = []
    doc = sent.doc
    for i in in_sentence(ctx.candidates, sent):
        tok = doc[i]
        if tok.pos_ == "ADJ" and tok.lemma_.lower() in ctx.lex.speech_adjectives:
            cue = _adjective_cue(ctx, tok)
        else:
            cue = _verb_cue(ctx, tok, quotes_in_sent)
        if cue is not None:
            found.append(cue)
    for i in in_sentence(ctx.openers, sent):
        _according_to(ctx, sent, doc[i], found)
    if not found:
        found.extend(_colon_cue(ctx, sent, quotes_in_sent))
    primary = [c for c in found if not c.relay] or found
    text = ctx.text

    def quotes(c: Cue) -> bool:
        # the cue frames the sentence's quotation: "..., with X saying, "..."", '"...," X said'
        if c.verb is None:
            return False
        v0, v1 = c.verb.idx, c.verb.idx + len(c.verb)
        s0 = min([v0] + [t.idx for t in c.subject])
        for a, b in quotes_in_sent:
            if a >= v1 and FRAME.fullmatch(text[v1:a]) and any(p in text[v1:a] for p in ",:"):
                return True  # 'saying, "...'
            if b <= s0 and FRAME.fullmatch(text[b:s0]) and any(p in text[max(a, b - 3) : s0] for p in ",?!"):
                return True  # '"...," X said'
        return False

    ranked = sorted(primary, key=lambda c: (_depth(c.verb) if c.verb is not None else 0, c.anchor is None))
    if quotes_in_sent and ranked and not quotes(ranked[0]):
        # the main clause reports no quotation ("was dismissed by X, with Y saying, "...""): the cue
        # that frames it speaks first, unless it is part of what the main cue reports
        main = ranked[0].content
        framing = [c for c in ranked if quotes(c) and not (main and main[0] <= c.verb.idx < main[1])]
        if framing:
            ranked.remove(framing[0])
            ranked.insert(0, framing[0])
    return ranked


def _according_to(ctx: DocContext, sent: Span, tok: Token, found: list[Cue]) -> None:
    """Add the cue of an "according to X" that starts at `tok` to the sentence's cues."""
    doc = sent.doc
    for pattern in ctx.lex.according_to:
        if tok.lower_ == pattern[0] and tok.i + len(pattern) <= sent.end and all(doc[tok.i + k].lower_ == w for k, w in enumerate(pattern)):
            last = doc[tok.i + len(pattern) - 1]
            objs = [c for c in last.children if c.dep_ == "pobj"]
            if objs:
                cue_text = doc[tok.i : tok.i + len(pattern)].text
                content = _according_content(sent, tok, objs[0])
                # only before the verb: '"...," X said, according to AFP' is X's, relayed by AFP
                relayed = next((c for c in found if c.verb is not None and tok.head == c.verb and tok.i < c.verb.i), None)
                if relayed is not None:
                    # "According to A, B said ...": A is the source the sentence cites for B's words
                    found.insert(0, Cue(None, cue_text, np_tokens(objs[0]), relayed.content, anchor=tok))
                else:
                    found.append(Cue(None, cue_text, np_tokens(objs[0]), content))


def _according_content(sent: Span, opener: Token, source: Token) -> tuple[int, int] | None:
    """What "according to X" reports: the words before it ("Talks will resume, according to
    X") or, when it opens the sentence ("According to X, talks will resume"), the words after
    the source's phrase. None when neither side has words."""
    before = list(sent.doc[sent.start : opener.i])
    while before and before[-1].is_punct and before[-1].text not in QUOTE_MARKS:
        before.pop()
    if any(not t.is_punct for t in before):
        return sent.start_char, before[-1].idx + len(before[-1])
    after = [t for t in sent.doc[max(t.i for t in source.subtree) + 1 : sent.end]]
    while after and after[0].is_punct:
        after.pop(0)
    while after and after[-1].is_punct and after[-1].text not in QUOTE_MARKS:
        after.pop()
    if not after:
        return None
    return after[0].idx, after[-1].idx + len(after[-1])


def _colon_cue(ctx: DocContext, sent: Span, quotes_in_sent: list[tuple[int, int]]) -> list[Cue]:
    """'Peskov: "We will respond."' -- a short name or role before a colon that opens a quotation."""
    known_surnames = ctx.state.full_names  # surnames the article has named in full so far
    for tok in sent:
        if tok.text != ":" or tok.i - sent.start > 8 or not any(a >= tok.idx + 1 and a <= tok.idx + 3 for a, _ in quotes_in_sent):
            continue
        before = [t for t in sent.doc[sent.start : tok.i] if not t.is_punct]
        if before and (before[-1].pos_ == "PROPN" or before[-1].ent_type_ in ("PERSON", "ORG", "GPE") or before[-1].lower_ in ctx.lex.role_nouns
                       or (all(t.is_title for t in before) and before[-1].text in known_surnames)):  # "Kovac:" after "Maria Kovac"
            return [Cue(None, ":", before, quotes_in_sent[0])]
    return []


def _depth(tok: Token) -> int:
    depth = 0
    while tok.head != tok:
        tok = tok.head
        depth += 1
    return depth


def _ancestors_until(tok: Token, stop: Token):
    while tok != stop and tok.head != tok:
        yield tok
        tok = tok.head


def _frames(tok: Token, span: tuple[int, int], text: str) -> bool:
    """The verb introduces the quotation as speech: a long one in its clause, or one right before
    ('"We'll see," he added') or right after ('He added: "Yes."') -- not a scare-quoted term."""
    if _touches(tok, span) and len(text[span[0] : span[1]].split()) > 4:
        return True
    if span[1] <= tok.idx:
        between = text[span[1] : tok.idx]
        return len(between) < 40 and between.lstrip("\"'").lstrip()[:1] in ("", ",") or between[:2] in (',"', "?\"", "!\"", ",'")
    after = text[tok.idx + len(tok.text) : span[0]]
    # right after, or after adverbials that end in a comma or colon ('had written a year earlier, "...')
    return len(after) <= 3 and after.strip(" :,\"'") == "" or bool(FRAMING_GAP.fullmatch(after))


# "as part of a shake-up", "as a result": "as" phrases that judge nothing
NOT_JUDGEMENTS = frozenset({"part", "result", "well", "soon", "much", "long", "far", "such", "usual"})


def _in_object(tok: Token, span: tuple[int, int]) -> bool:
    """The quotation is a name inside the verb's object ('rejected the "peace formula" put forward
    by Kyiv'), not the judgement itself."""
    for obj in (c for c in tok.children if c.dep_ == "dobj"):
        sub = list(obj.subtree)
        if sub[0].idx <= span[0] and span[1] <= sub[-1].idx + len(sub[-1]) + 1:
            # the parser may hang the judgement's "as" on the object: 'the reports as "hysteria"'
            inner = next((t for t in sub if t.idx >= span[0]), None)
            return inner is None or not any(a.dep_ == "prep" and a.lower_ == "as" for a in inner.ancestors if a.i >= obj.i)
    return False


def _touches(tok: Token, span: tuple[int, int]) -> bool:
    """The verb's clause contains the quotation (it is attributed by this verb)."""
    sub = list(tok.subtree)
    return sub[0].idx <= span[0] and span[1] <= sub[-1].idx + len(sub[-1]) + 1
