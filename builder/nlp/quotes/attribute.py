"""The article read sentence by sentence: which sentences are speech, which quotation each
belongs to, and who speaks it (an explicit cue, a trailing attribution, the sentence before a
colon, a follow-on of the quotation before)."""

from __future__ import annotations

from spacy.tokens import Span

from builder.nlp.quotes.colon import line_cue, transcript_name
from builder.nlp.quotes.context import DocContext
from builder.nlp.quotes.cues import Cue, find_cues, in_sentence, np_tokens, subject
from builder.nlp.quotes.drafts import Draft, follow_on, forward_references, named_later, new_draft, titled_in_article
from builder.nlp.quotes.marks import QUOTE_MARKS, inside, quote_spans
from builder.nlp.quotes.people import note_persons, person
from builder.nlp.quotes.speakers import speaker_from_np
from builder.nlp.quotes.state import Speaker


def read_article(ctx: DocContext, sents: list[Span]) -> tuple[list[Draft], dict[int, tuple[str, int]]]:
    """The article's quotations, and for each sentence that is speech its (quote type, key of
    the quotation it belongs to)."""
    text, state = ctx.text, ctx.state
    spans = quote_spans(text)
    of_sentence: dict[int, tuple[str, int]] = {}
    drafts: list[Draft] = []
    by_marks: dict[tuple[int, int], Draft] = {}
    for index, sent in enumerate(sents):
        touching = [sp for sp in spans if sp[0] < sent.end_char and sp[1] > sent.start_char]
        in_sent = [(max(a, sent.start_char), min(b, sent.end_char)) for a, b in touching]
        cue, speaker = find_speaker(ctx, sent, in_sent)
        line = drafts[-1] if drafts and drafts[-1].cue == ":" and drafts[-1].quote_type == "direct" else None
        if cue is None and not touching and line is not None and line.start <= sent.start_char and sent.end_char <= line.end + 1:
            # the rest of a transcript's line ('Kovac: We will sign. The vote is Friday.'): the same answer
            line.sentence_indices.append(index)
            of_sentence[index] = ("direct", line.key)
            continue
        if cue is None and not touching and drafts and drafts[-1].awaits_speaker(index):
            trailing = _trailing_attribution(ctx, sent)
            if trailing is not None:
                # '"..." / Jane Doe said as she left.': the attribution after the quotation
                drafts[-1].set_speaker(trailing)
                state.speakers.append(trailing)
                drafts[-1].cue = trailing.role or drafts[-1].cue
                note_persons(ctx, sent, in_sent, trailing)
                continue
        if cue is None and touching and index > 0 and text[sents[index - 1].start_char : sents[index - 1].end_char].rstrip().endswith(":"):
            speaker = _introducer(ctx, sents[index - 1])  # 'She told the crowd:' + the quotation
        speech = bool(touching) if cue is None else (speaker is not None or bool(touching) or _unresolved_pronoun(ctx, cue))
        if cue is None and touching and _scare_quotes(text, sent, in_sent):
            speech = False  # NATO's "open door": a term in the narrator's voice, not speech
        if speech:
            qtype = _quote_type(sent, cue, in_sent)
            continued = [by_marks[sp] for sp in touching if sp in by_marks]
            if not continued and cue is None and _resumes(text, sents, index, touching, drafts):
                continued = [_extend(text, drafts[-1], touching, by_marks)]
            quote = continued[0] if continued else new_draft(text, sent, cue, qtype, touching, drafts, by_marks)
            if speaker is not None:
                if quote.speaker is None or quote.resolution in (None, "follow_on"):
                    quote.set_speaker(speaker)
                if speaker.resolution != "forward":
                    state.speakers.append(speaker)
            if index not in quote.sentence_indices:
                quote.sentence_indices.append(index)
            of_sentence[index] = (qtype, quote.key)
            if cue is not None and cue.verb is not None and speaker is not None:
                for extra in _second_statements(ctx, sent, cue, in_sent):
                    # "X said A, adding that B": B is a second quote of the same speaker
                    second = new_draft(text, sent, extra, "indirect", [], drafts, {})
                    # its own subject speaks when it has one ("A said ..., but B insisted that ...")
                    own = speaker_from_np(ctx, extra.subject, sent) if extra.subject and extra.subject[0].i not in {t.i for t in cue.subject} else None
                    second.set_speaker(own or speaker)
                    second.sentence_indices.append(index)
        if speech and speaker is not None and cue is not None and cue.verb is not None:
            _note_documents(ctx, cue.verb, speaker)
        note_persons(ctx, sent, in_sent, speaker)
    follow_on(drafts)
    forward_references(drafts, state, ctx.lex.role_synonyms)
    named_later(drafts, state, text)
    titled_in_article(drafts, state, ctx.lex.role_titles, ctx.lex.role_qualifiers, lambda w: ctx.gaz.named_by(w) is not None)
    return drafts, of_sentence


def _note_documents(ctx: DocContext, verb, speaker: Speaker) -> None:
    """'X announced ... in a statement': a later "the statement said" is X's (the same reach as a
    document named with its author, builder/nlp/quotes/speakers.py)."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "in":
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.lemma_.lower() in ctx.lex.document_nouns:
                    ctx.state.documents[obj.lemma_.lower()] = (speaker, len(ctx.state.mentions))


def find_speaker(ctx: DocContext, sent: Span, in_sent: list[tuple[int, int]]) -> tuple[Cue | None, Speaker | None]:
    """The sentence's cue and speaker: the main clause's cue first; an embedded verb only
    when the main clause's subject refers to nothing ("what it says is ...")."""
    cue = None
    for candidate in find_cues(ctx, sent, in_sent):
        cue = cue or candidate
        speaker = speaker_from_np(ctx, candidate.subject, sent)
        if speaker is not None and candidate.text == ":" and speaker.kind == "descriptor" and all(t.is_title for t in candidate.subject):
            # 'Kovac: "..."' a name as written, which the small model took for a common noun
            name = " ".join(t.text for t in candidate.subject)
            speaker = Speaker(ctx.state.full_names.get(name, name), None, None, "person", start=speaker.start, end=speaker.end)
        if speaker is not None:
            return candidate, speaker
        subject = candidate.subject
        quoted = bool(subject) and any(a <= subject[0].idx < b for a, b in in_sent)
        if not (subject and (subject[0].lower_ in ctx.lex.non_referential or quoted
                             or any(t.lemma_.lower() in ctx.lex.not_sources and t.head not in subject for t in subject))):
            break  # a subject that is no source ("what", "the figures", words inside the quotation): the next cue
    line = line_cue(ctx, sent) if cue is None and not in_sent else None
    if line is not None:
        speaker = speaker_from_np(ctx, line.subject, sent)
        if speaker is None or speaker.kind == "descriptor" or line.subject[-1].is_upper:
            first, last = line.subject[0], line.subject[-1]
            speaker = Speaker(transcript_name(ctx, line), None, None, "person", start=first.idx, end=last.idx + len(last))
        return line, speaker
    return cue, None


def _second_statements(ctx: DocContext, sent: Span, cue: Cue, in_sent: list[tuple[int, int]]) -> list[Cue]:
    """Other speech verbs of the sentence with a content of their own, outside the main cue's
    content and outside quotation marks: "..., adding that ...", "... and warned that ...",
    "Barkley, who said he votes Democratic, said ...", "A said ..., while B said ...". A verb
    inside what the main cue reports is part of that report, not a second statement."""
    out: list[Cue] = []
    if cue.content is None:
        return out
    taken = [cue.content]
    for other in find_cues(ctx, sent, in_sent):
        if other.verb is None or other.verb == cue.verb or other.content is None or other.relay:
            continue
        if cue.content[0] <= other.verb.idx < cue.content[1] or inside(other.verb.idx, in_sent):
            continue
        hangs_on = other.verb.head == cue.verb and other.verb.dep_ in ("advcl", "conj")  # "..., adding ..."
        if not hangs_on and not any(c.dep_ in ("ccomp", "xcomp") for c in other.verb.children) \
                and other.verb.lemma_.lower() not in ctx.lex.object_report_verbs:
            continue  # elsewhere a clause it reports: "an official who briefed reporters" says nothing more
        a, b = other.content
        if any(a < y and x < b for x, y in taken) or inside(a, in_sent):
            continue
        taken.append(other.content)
        out.append(other)
    return out


def _resumes(text: str, sents: list[Span], index: int, touching: list[tuple[int, int]], drafts: list[Draft]) -> bool:
    """'"A," X said. "B."': a quotation that opens the sentence right after an attributed direct
    quotation of the same paragraph goes on with it (one statement split around "X said")."""
    if not drafts or not touching or index == 0:
        return False
    prev, sent = drafts[-1], sents[index]
    if prev.quote_type != "direct" or prev.cue is None or prev.speaker is None or max(prev.sentence_indices, default=-2) != index - 1:
        return False
    between = text[sents[index - 1].start_char : touching[0][0]]
    if "\n" in between or touching[0][0] - sent.start_char > 1 or prev.end > sents[index - 1].end_char:
        return False
    # an attribution of its own after it ('"B," Lavrov added.'): another statement, maybe another speaker
    end = touching[-1][1]
    after = text[end : end + 40].lstrip("".join(QUOTE_MARKS) + " \t")
    return text[end - 1 : end] == "." or after[:1] in ("", "\n")


def _extend(text: str, draft: Draft, touching: list[tuple[int, int]], by_marks: dict[tuple[int, int], Draft]) -> Draft:
    """The draft stretched over the quotation marks of the sentence that goes on with it."""
    end = touching[-1][1]
    while end > draft.end and text[end - 1] in ", ":
        end -= 1
    draft.end = max(draft.end, end)
    for sp in touching:
        by_marks.setdefault(sp, draft)
    return draft


def _unresolved_pronoun(ctx: DocContext, cue: Cue) -> bool:
    """Reported speech whose subject is a pronoun the article gives no antecedent for: still
    speech (the quote is real), with an unknown speaker."""
    return cue.content is not None and len(cue.subject) == 1 and cue.subject[0].pos_ == "PRON" and cue.subject[0].lower_ not in ctx.lex.non_referential


def _trailing_attribution(ctx: DocContext, sent: Span) -> Speaker | None:
    """A sentence that only attributes ('Jane Doe said as she left the room.'): a speech verb
    with a speaker and no content of its own (no clause, object or quotation)."""
    doc = sent.doc
    for i in in_sentence(ctx.candidates, sent):
        tok = doc[i]
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in ctx.lex.speech_verbs or tok.i - sent.start > 8:
            continue
        if any(c.dep_ in ("ccomp", "xcomp", "dobj", "neg") for c in tok.children):
            continue
        subj = subject(ctx, tok)
        if subj is None or subj.i > tok.i:
            continue
        sp = speaker_from_np(ctx, np_tokens(subj), sent)
        if sp is not None:
            return sp.with_role(tok.text)
    return None


def _introducer(ctx: DocContext, prev: Span) -> Speaker | None:
    """Who a sentence ending in a colon introduces: its speech verb's speaker, else the
    subject of its main verb, else the last person it names ('Here is Clinton in 1992:')."""
    state = ctx.state
    cue, speaker = find_speaker(ctx, prev, [])
    if speaker is not None:
        return speaker
    name = [t for t in prev if not t.is_punct]
    known = any(e.label_ in ("PERSON", "ORG") for e in ctx.ents.within(prev.start, prev.end)) or (name and name[-1].text in state.full_names)
    if 0 < len(name) <= 4 and all(t.is_title or t.pos_ == "PROPN" for t in name) and known:
        # a name on its own line before the quotation ('Brenner:' in transcripts and Q&As)
        sp = speaker_from_np(ctx, name, prev)
        if sp is not None:
            return sp if sp.kind != "descriptor" else Speaker(state.full_names.get(sp.name, " ".join(t.text for t in name)), None, None, "person", start=sp.start, end=sp.end)
    subj = subject(ctx, prev.root)
    if subj is not None:
        sp = speaker_from_np(ctx, np_tokens(subj), prev)
        if sp is not None:
            return sp
    persons = [e for e in ctx.ents.within(prev.start, prev.end) if e.label_ == "PERSON"]
    if persons:
        return person(ctx, persons[-1], list(persons[-1])).at(persons[-1].start_char, persons[-1].end_char)
    return None


def _scare_quotes(text: str, sent: Span, in_sent: list[tuple[int, int]]) -> bool:
    """Only short quoted terms (four words or fewer) inside a longer narrated sentence."""
    short = all(len(text[a:b].split()) <= 4 for a, b in in_sent)
    outside = [t for t in sent if not t.is_punct and not inside(t.idx, in_sent)]
    return short and len(outside) > 6


def _quote_type(sent: Span, cue: Cue | None, in_sent: list[tuple[int, int]]) -> str:
    """direct (the sentence is the quotation and its attribution), mixed (reported speech with
    quoted words), indirect (reported without marks), or none."""
    if not in_sent:
        if cue is not None and cue.verb is None and cue.text == ":":
            return "direct"  # a transcript's line: the speaker's own words, without marks
        return "indirect" if cue else "none"
    quoted = sum(b - a for a, b in in_sent)
    outside = [t for t in sent if not t.is_punct and not inside(t.idx, in_sent)]
    attribution = set()
    if cue is not None:
        attribution = {t.i for t in cue.subject} | ({cue.verb.i} if cue.verb is not None else set())
        if cue.verb is not None:
            attribution |= {t.i for c in cue.verb.children if c.dep_ in ("npadvmod", "prep", "advmod", "dative", "aux", "nsubj", "nsubjpass", "advcl", "punct", "conj", "cc") for t in c.subtree if not inside(t.idx, in_sent)}
    reported_outside = [t for t in outside if t.i not in attribution]
    if cue is None:
        return "direct" if quoted else "none"
    return "mixed" if len(reported_outside) > 2 else "direct"
