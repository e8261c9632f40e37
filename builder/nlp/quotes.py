"""Quotations and reported speech with their speakers, as a spaCy component.

Direct quotations are paired by character; reported speech is found from the
dependency parse around speech verbs (schemas/speech.yaml). Speakers are
resolved within the article: names through the gazetteer, pronouns and "the
official" to earlier sources, unattributed follow-on quotes to the quote they
continue. Quotes the article never attributes are left for the cross-document
step (builder/crossdoc.py).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from builder.rules import RuleSet
from builder.rules.gazetteer import Entity
from builder.nlp.segment import EntityIndex, content_sents
from builder.nlp.sides import side_from_description

FRAMING_GAP = re.compile(r"[ \w'’-]{1,40}[,:] ?[\"']?")
QUOTE_MARKS = frozenset('"\'“”‘’«»')

log = logging.getLogger(__name__)

SUBJECTS = {"nsubj", "nsubjpass"}
CLAUSES = {"ccomp", "xcomp", "advcl", "parataxis"}
OPENING_CONTEXT = set(" \n([{-—–:")

if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)
if not Doc.has_extension("sent_info"):
    Doc.set_extension("sent_info", default=None)


# ---------------------------------------------------------------- quotation marks


def _marks(para: str, mark: str):
    """(position, character before, character after) of every `mark` in a paragraph."""
    for i, ch in enumerate(para):
        if ch == mark:
            yield i, (para[i - 1] if i else " "), (para[i + 1] if i + 1 < len(para) else " ")


def _single_quote_spans(para: str) -> list[tuple[int, int]]:
    """Single-quoted quotations ('...', the Guardian/BBC style), told apart from apostrophes:
    a mark inside a word (Russia's, don't) never opens or closes, and an unclosed one is
    dropped rather than guessed (a stray '90s is not a quotation)."""
    spans = []
    open_at: int | None = None
    for i, before, after in _marks(para, "'"):
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word
        if open_at is None:
            if before in OPENING_CONTEXT and (after.isalnum() or after == '"'):
                open_at = i + 1
        elif not before.isspace() and (after.isspace() or after in ",.;:!?)\"" or i + 1 == len(para)):
            if i > open_at:
                spans.append((open_at, i))
            open_at = None
    return spans


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the content between paired quotation marks, per paragraph.

    Double quotes: a mark after a space or an opening bracket opens, one before
    a space or punctuation closes; a quotation left open is closed at its
    paragraph's end (a multi-paragraph quote reopens in the next paragraph) and
    logged. Single quotes are paired too (see _single_quote_spans), except
    inside a double-quoted quotation.
    """
    spans: list[tuple[int, int]] = []
    para_start = 0
    for para in text.split("\n\n"):
        doubles: list[tuple[int, int]] = []
        open_at: int | None = None
        for i, before, after in _marks(para, '"'):
            opens = before in OPENING_CONTEXT and not after.isspace()
            if open_at is None and (opens or not (after.isspace() or after in ",.;:!?")):
                open_at = i + 1
            elif open_at is not None:
                if i > open_at:
                    doubles.append((open_at, i))
                open_at = None
        if open_at is not None and open_at < len(para):
            log.info("quotation opened at offset %d never closed; closed at its paragraph's end", para_start + open_at)
            doubles.append((open_at, len(para.rstrip())))
        singles = [sp for sp in _single_quote_spans(para) if not any(a <= sp[0] and sp[1] <= b for a, b in doubles)]
        spans.extend((para_start + a, para_start + b) for a, b in sorted(doubles + singles))
        para_start += len(para) + 2
    return spans


# ---------------------------------------------------------------- speakers


@dataclass
class Speaker:
    name: str
    entity_id: str | None
    side: str | None
    kind: str  # person | institution | descriptor
    role: str | None = None  # head noun of a descriptor ("official")
    resolution: str = "explicit"
    start: int | None = None  # char offsets of the mention naming the speaker here (name, pronoun, descriptor)
    end: int | None = None
    side_evidence: str | None = None  # gazetteer | description: where `side` comes from

    def at(self, start: int | None, end: int | None, resolution: str | None = None) -> "Speaker":
        """The same speaker, named by another mention (a pronoun, a back-reference)."""
        from dataclasses import replace

        return replace(self, start=start, end=end, resolution=resolution or self.resolution)


# the fields of a quote dict that say who speaks (a follow-on quotation takes them all)
SPEAKER_FIELDS = ("speaker", "speaker_id", "speaker_side", "speaker_start", "speaker_end", "side_evidence")


def _agent(verb: Token) -> Token | None:
    """The "by" agent of a passive verb, if the sentence names one."""
    return next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)


AMBIGUOUS = Speaker("(two people hold this role)", None, None, "person")


def _entity_value(ent: Span, key: str):
    """What the entities component found for an entity (canonical name, id, side), if it ran."""
    return getattr(ent._, key) if Span.has_extension(key) else None


def replace_role(sp: Speaker, cue: str) -> Speaker:
    """The speaker with the cue word kept as its role slot (for a trailing attribution's cue)."""
    from dataclasses import replace

    return replace(sp, role=sp.role if sp.kind == "descriptor" else cue)


def _evidence(side: str | None, how: str) -> str | None:
    return how if side else None


@dataclass
class Cue:
    verb: Token | None
    text: str
    subject: list[Token]  # the speaker noun phrase's tokens
    content: tuple[int, int] | None  # char span of the reported content
    relay: bool = False
    anchor: Token | None = None  # "according" of an "According to A, B said" that cites A: it goes first


@dataclass
class ArticleState:
    """What earlier sentences of the article said: for pronouns and back-references."""

    speakers: list[Speaker] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)  # surname -> full name, for unlisted people
    # per sentence, the persons it names outside quotation marks, most likely antecedent of a
    # later "he"/"she" first: the sentence's own speaker, then subjects, then other mentions
    mentions: list[list[Speaker]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)  # name -> "m" | "f", from "Mr."/"Ms." in the article
    # role -> the person the article gave that title ("Ambassador Linda Thomas-Greenfield" makes a
    # later "the US ambassador" her); qualified roles keep their qualifier ("vice president")
    roles: dict[str, Speaker] = field(default_factory=dict)

    def note_persons(self, attributor: "QuoteAttributor", sent: Span, in_sent: list[tuple[int, int]], speaker: Speaker | None) -> None:
        """Remember the persons a sentence names: full names for later surnames, antecedents for 'he'/'she'."""
        ranked: list[tuple[int, int, Speaker]] = []
        if speaker is not None and speaker.kind == "person":
            ranked.append((0, 0, speaker))
        for ent in attributor.ents.within(sent.start, sent.end):
            if ent.label_ != "PERSON":
                continue
            if len(ent) > 1 and not ent.kb_id_:
                full = attributor.bare_name(ent)  # the fullest form the article uses is the name
                surname = full.split()[-1]
                if len(full.split()) > 1 and len(full) > len(self.full_names.get(surname, "")):
                    self.full_names[surname] = full
            person = attributor._person(ent, list(ent), self)
            before = ent.doc[ent.start - 1].lower_.rstrip(".") if ent.start > sent.start else ""
            if before in attributor.lex.title_gender:
                self.gender.setdefault(person.name, attributor.lex.title_gender[before])
            for role in attributor.titles_of(ent, sent):
                held = self.roles.get(role)
                # a role two people hold in the article names neither ("the president" after two presidents)
                self.roles[role] = person if held is None or held.name == person.name else AMBIGUOUS
            subject = ent.root.dep_ in ("nsubj", "nsubjpass")
            if _inside(ent.start_char, in_sent):
                continue  # named inside a quotation: the quoted words' subject, not a later "he said"
            ranked.append((1 if subject else 2, ent.start, person))
        seen: set[str] = set()
        here = []
        for _, _, person in sorted(ranked, key=lambda r: (r[0], r[1])):
            if person.name not in seen:
                seen.add(person.name)
                here.append(person)
        self.mentions.append(here)


class QuoteAttributor:
    def __init__(self, rules: RuleSet):
        self.gaz = gazetteer = rules.gazetteer
        self.lex = lexicon = rules.speech
        self.sides = rules.sides
        self.strip_words = rules.honorifics | rules.titles
        self.speech_words = lexicon.speech_adjectives | lexicon.speech_verbs | lexicon.relay_verbs
        self.verb_words = lexicon.speech_verbs | lexicon.relay_verbs
        self.country_of_side = {}
        for e in gazetteer.entities.values():
            if e.type == "GPE" and e.demonyms and e.side and e.side not in self.country_of_side:
                self.country_of_side[e.side] = e

    def titles_of(self, ent: Span, sent: Span) -> list[str]:
        """The roles a person is given where the article names them: title words just before the
        name ("U.S. Ambassador to the UN Linda Thomas-Greenfield") or an apposition ("Linda
        Thomas-Greenfield, the US ambassador"); a qualifier stays with its role ("vice president")."""
        doc = ent.doc
        words = []
        i = ent.start - 1
        while i >= sent.start and ent.start - i <= 8 and (doc[i].is_title or doc[i].lower_ in ("of", "to", "the", "for") or doc[i].ent_type_ in ("GPE", "NORP", "ORG")):
            words.insert(0, doc[i])
            i -= 1
        roles = []
        for t in ent.root.children:
            if t.dep_ == "appos":
                words += [x for x in t.subtree if x.i < t.i + 1]
                if t.pos_ == "NOUN":
                    roles.append(t.lemma_.lower())  # "Piet Halloran, a senior engineer": an engineer
        if ent.root.dep_ == "appos" and ent.root.head.i < ent.start:
            words += [x for x in ent.root.head.subtree if x.i <= ent.root.head.i]
        for k, t in enumerate(words):
            lemma = t.lower_.rstrip(".")
            if lemma in self.lex.role_titles:
                prev = words[k - 1] if k else None
                # a qualifier or the first word of a compound title stays with the role: "vice
                # president", "attorney general", "majority leader" (a side word does not: "U.S.")
                keep = prev is not None and (prev.lower_ in self.lex.role_qualifiers or (prev.is_title and not prev.ent_type_ and prev.lower_ not in ("the", "of", "to", "for")))
                roles.append(f"{prev.lower_} {lemma}" if keep else lemma)
        return roles

    def bare_name(self, ent: Span) -> str:
        """A person's name without the titles before it ("Sen.", "President"); a title word is
        part of the name when it is the surname ("Billie Jean King", "Charlie King")."""
        toks = list(ent)
        while len(toks) > 1 and toks[0].text in self.strip_words:
            toks.pop(0)
        for k, t in enumerate(toks[1:], start=1):
            if t.pos_ in ("VERB", "AUX", "ADP", "CCONJ") and not t.is_title:
                toks = toks[:k]  # "Shaheen told Pannell": the name ends where the verb starts
                break
        return " ".join(t.text for t in toks)

    # ---- cues

    def _np_tokens(self, head: Token) -> list[Token]:
        """The subject noun phrase without relative clauses or trailing appositive clauses' verbs."""
        toks = [t for t in head.subtree if not any(a.dep_ in ("relcl", "acl") and a != head for a in _ancestors_until(t, head))]
        return sorted(toks, key=lambda t: t.i)

    def _content(self, verb: Token) -> tuple[int, int] | None:
        """Character span of what the verb reports: its clause or object complements, never the
        addressee ("told Reuters that ..." reports the clause, not "Reuters")."""
        children = list(verb.children)
        clauses = [c for c in children if c.dep_ in ("ccomp", "xcomp")]
        objects = [c for c in children if c.dep_ == "dobj" and c.pos_ != "PRON"]
        preps = [c for c in children if c.dep_ == "prep" and c.lower_ in ("of", "on", "about", "that")]
        if clauses:
            parts = clauses
        elif objects and verb.lemma_.lower() not in self.lex.addressee_verbs:
            parts = objects + [p for p in preps if p.i > objects[0].i]
        elif preps and verb.lemma_.lower() in self.lex.preposition_report_verbs:
            parts = preps
        else:
            return self._head_content(verb)
        first = min((next(iter(p.subtree)) for p in parts), key=lambda t: t.i)
        if first.dep_ == "mark" and first.lower_ in ("that", "whether", "if") and first.i + 1 < len(verb.doc):
            first = verb.doc[first.i + 1]  # the report, not its complementiser
        last = max((list(p.subtree)[-1] for p in parts), key=lambda t: t.i)
        return first.idx, last.idx + len(last)

    @staticmethod
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

    def _subject(self, verb: Token) -> Token | None:
        if verb.lemma_.lower() in self.lex.relay_verbs:
            # "he was quoted as saying", "she was cited as saying": the one quoted is the passive subject
            passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
            if passive and any(c.dep_ == "auxpass" for c in verb.children):
                return passive[0]
        if any(c.dep_ == "auxpass" for c in verb.children):
            return _agent(verb)  # "Russia ... is accused of ...": the speaker is the "by" agent
        for child in verb.children:
            if child.dep_ == "nsubj":
                if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
                    return verb.head  # "an official who briefed reporters": the speaker is the official
                return child
            if child.dep_ == "nsubjpass":
                return _agent(verb)  # "Russia is accused of ...": the speaker is the "by" agent
        if verb.dep_ == "pcomp" and verb.head.lower_ == "by" and verb.head.dep_ == "prep" and verb.head.head != verb.head:
            # "ended her speech by saying": her words; "attacked Biden for saying": Biden's, not theirs
            return self._subject(verb.head.head)
        # "..., saying ..." and "accusing ..." take the subject of the clause they hang on
        if verb.dep_ in ("advcl", "xcomp", "conj", "acl") and verb.head != verb:
            if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
                return None
            return self._subject(verb.head)
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

    def _candidates(self, doc: Doc) -> tuple[list[int], list[int]]:
        """Token indices whose lemma is a speech word, and those that can open "according to":
        found once per Doc from its hash arrays (a Python loop over every token of every sentence
        was most of this component's time)."""
        strings = doc.vocab.strings
        lemmas, lowers = (doc.to_array([LEMMA, LOWER]).T.tolist() if len(doc) else ([], []))
        hits = {h for h in set(lemmas) if strings[h].lower() in self.speech_words}
        first = {strings.add(p[0]) for p in self.lex.according_to}
        return [i for i, h in enumerate(lemmas) if h in hits], [i for i, h in enumerate(lowers) if h in first]

    def cues(self, sent: Span, quotes_in_sent: list[tuple[int, int]]) -> list[Cue]:
        """Speech cues of a sentence in reading order; negated verbs are not speech."""
        found: list[Cue] = []
        doc = sent.doc
        candidates, openers = self.candidates
        for i in candidates[bisect_left(candidates, sent.start) : bisect_left(candidates, sent.end)]:
            tok = doc[i]
            lemma = tok.lemma_.lower()
            if tok.pos_ == "ADJ" and lemma in self.lex.speech_adjectives:
                # the clause hangs on the adjective or, as the parser often has it, on its copula
                # ("She was blunt that ...")
                clauses = [c for c in tok.children if c.dep_ == "ccomp"]
                if not clauses and tok.dep_ in ("acomp", "oprd"):
                    clauses = [c for c in tok.head.children if c.dep_ == "ccomp" and c.i > tok.i]
                subj = self._subject(tok.head) if clauses and tok.dep_ in ("acomp", "oprd") else None
                if subj is not None:
                    sub = [t for c in clauses for t in c.subtree]
                    if sub[0].dep_ == "mark" and len(sub) > 1:
                        sub = sub[1:]
                    found.append(Cue(tok, tok.text, self._np_tokens(subj), (sub[0].idx, sub[-1].idx + len(sub[-1]))))
                continue
            if tok.pos_ not in ("VERB", "AUX") or lemma not in self.verb_words:
                continue
            if any(c.dep_ == "neg" for c in tok.children):
                continue
            if _inside(tok.idx, quotes_in_sent):
                continue
            content = self._content(tok)
            quoted = any(_touches(tok, q) for q in quotes_in_sent)
            framed = any(_frames(tok, q, self.text) for q in quotes_in_sent)
            if lemma in self.lex.clause_only_verbs and not framed and not any(c.dep_ == "ccomp" for c in tok.children) and tok.dep_ != "parataxis":
                continue
            if content is None and tok.dep_ == "relcl" and tok.head.lower_ not in self.lex.non_referential:
                sub = list(tok.head.subtree)
                content = (sub[0].idx, sub[-1].idx + len(sub[-1]))
            if content is None and not quoted and not framed and tok.dep_ not in ("parataxis",) and lemma not in self.lex.object_report_verbs:
                continue
            subj = self._subject(tok)
            if subj is None:
                continue
            subject_tokens = self._np_tokens(subj)
            found.append(Cue(tok, tok.text, subject_tokens, content, relay=lemma in self.lex.relay_verbs))
        for i in openers[bisect_left(openers, sent.start) : bisect_left(openers, sent.end)]:
            tok = doc[i]
            for pattern in self.lex.according_to:
                if tok.lower_ == pattern[0] and tok.i + len(pattern) <= sent.end and all(
                    sent.doc[tok.i + k].lower_ == w for k, w in enumerate(pattern)
                ):
                    last = sent.doc[tok.i + len(pattern) - 1]
                    objs = [c for c in last.children if c.dep_ == "pobj"]
                    if objs:
                        cue_text = sent.doc[tok.i : tok.i + len(pattern)].text
                        content = self._according_content(sent, tok, objs[0])
                        # only before the verb: '"...," X said, according to AFP' is X's, relayed by AFP
                        relayed = next((c for c in found if c.verb is not None and tok.head == c.verb and tok.i < c.verb.i), None)
                        if relayed is not None:
                            # "According to A, B said ...": A is the source the sentence cites for B's words
                            found.insert(0, Cue(None, cue_text, self._np_tokens(objs[0]), relayed.content, anchor=tok))
                        else:
                            found.append(Cue(None, cue_text, self._np_tokens(objs[0]), content))
        if not found:
            found.extend(self._colon_cue(sent, quotes_in_sent))
        primary = [c for c in found if not c.relay] or found
        return sorted(primary, key=lambda c: (_depth(c.verb) if c.verb is not None else 0, c.anchor is None))

    def _according_content(self, sent: Span, opener: Token, source: Token) -> tuple[int, int] | None:
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

    def _colon_cue(self, sent: Span, quotes_in_sent: list[tuple[int, int]]) -> list[Cue]:
        """'Peskov: "We will respond."' -- a short name or role before a colon that opens a quotation."""
        for tok in sent:
            if tok.text != ":" or tok.i - sent.start > 8 or not any(a >= tok.idx + 1 and a <= tok.idx + 3 for a, _ in quotes_in_sent):
                continue
            before = [t for t in sent.doc[sent.start : tok.i] if not t.is_punct]
            if before and (before[-1].pos_ == "PROPN" or before[-1].ent_type_ in ("PERSON", "ORG", "GPE") or before[-1].lower_ in self.lex.role_nouns
                           or (all(t.is_title for t in before) and before[-1].text in self.known_surnames)):  # "Kovac:" after "Maria Kovac"
                return [Cue(None, ":", before, quotes_in_sent[0])]
        return []

    # ---- speaker noun phrases

    def _entity_of(self, tokens: list[Token]) -> list[Span]:
        return self.ents.starting_in(tokens)

    def _country(self, side: str | None) -> Entity | None:
        return self.country_of_side.get(side) if side else None

    def _government(self, entity: Entity) -> Entity:
        """A capital speaks for its country: "Moscow said" is the Russian government."""
        if entity.type == "GPE" and not entity.demonyms and self._country(entity.side):
            return self._country(entity.side)
        return entity

    def _side_from_words(self, tokens: list[Token]) -> str | None:
        """Side from entities, demonyms or descriptor phrases inside the noun phrase only."""
        for ent in self._entity_of(tokens):
            side = self.gaz.side_of(ent.kb_id_ or None)
            if side:
                return side
        text = " ".join(t.text for t in tokens).lower()
        for phrase, entity in self.gaz.by_descriptor.items():
            if f" {phrase} " in f" {text} " and entity.side:
                return entity.side
        return None

    def _short(self, entity: Entity) -> str:
        """How a descriptor names an affiliation: an acronym alias, else the name ("NSC", "White House")."""
        acronyms = [a for a in entity.aliases if a.isupper() and a.isalpha() and len(a) <= 5]
        if acronyms:
            return min(acronyms, key=len)
        if entity.type == "GPE" and entity.demonyms:
            return entity.demonyms[0]
        return entity.name

    def speaker_from_np(self, tokens: list[Token], state: ArticleState, sent: Span) -> Speaker | None:
        """The speaker a subject noun phrase names, with the offsets of that mention."""
        if not tokens:
            return None
        head = next((t for t in tokens if t.head not in tokens or t.head == t), tokens[0])
        lower = head.lower_
        if head.pos_ == "PRON":
            sp = self._pronoun(lower, state, sent, head)
            return sp.at(head.idx, head.idx + len(head)) if sp is not None else None
        span = (tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
        ents = self._entity_of(tokens)
        persons = [e for e in ents if e.label_ == "PERSON" and _names_head(e, head)]
        if not persons and head.lemma_.lower() in self.lex.role_titles and not any(c.dep_ == "det" for c in head.children):
            # a title without an article ends in the name: "U.S. ambassador to the U.N. Linda
            # Thomas-Greenfield" (unlike "a spokesman for Joe Biden", whose article makes it a role)
            last = [e for e in ents if e.label_ == "PERSON" and e.end == tokens[-1].i + 1 and e.start > head.i]
            persons = last[-1:]
        if not persons and head.pos_ == "NOUN":
            # "a spokesman for the port, Davor Linde": an unlisted name in apposition to a common
            # noun is a person, whatever label the small model gave it
            persons = [e for e in ents if not e.kb_id_ and e.label_ in ("ORG", "GPE", "NORP") and e.start > head.i
                       and len(e) > 1 and all(t.is_title for t in e) and _names_head(e, head)]
        if persons:
            # the person is the speaker even behind a title: "Russia's deputy envoy, Dmitry Polyanskiy"
            person = persons[0]
            return self._person(person, tokens, state).at(person.start_char, person.end_char)
        if lower in self.lex.government_nouns or head.lemma_.lower() in self.lex.government_nouns:
            side = self._side_from_words(tokens)
            country = self._country(side)
            if country:
                return Speaker(country.name, country.id, country.side, "institution", start=span[0], end=span[1], side_evidence="description")
        head_ent = next((e for e in ents if e.start <= head.i < e.end), None)
        surname = state.full_names.get(head.text) if head.pos_ == "PROPN" and len(head_ent or [head]) == 1 else None
        if surname is not None:
            # a surname the small model did not tag as a person, after the full name: "Weaver said"
            earlier = next((sp for sp in reversed(state.speakers) if sp.name == surname), None)
            side = earlier.side if earlier is not None else None
            return Speaker(surname, None, side, "person", start=head.idx, end=head.idx + len(head),
                           side_evidence=earlier.side_evidence if earlier is not None else None)
        if head_ent is not None and head_ent.kb_id_ and head_ent.label_ != "NORP":
            entity = self._government(self.gaz.entities[head_ent.kb_id_])
            return Speaker(entity.name, entity.id, entity.side, "institution", start=head_ent.start_char, end=head_ent.end_char, side_evidence="gazetteer")
        if head_ent is not None and head_ent.label_ != "NORP":
            return Speaker(head_ent.text, None, None, "institution", start=head_ent.start_char, end=head_ent.end_char)
        if lower in self.lex.role_nouns or head.lemma_.lower() in self.lex.role_nouns or head.lemma_.lower() in self.lex.role_titles:
            return self._descriptor(head, tokens, state, sent).at(*span)
        if head.lemma_.lower() in self.lex.partitives:
            # "one of the officials", "a majority of Americans", "40 percent of respondents"
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if obj is not None:
                return self.speaker_from_np(self._np_tokens(obj), state, sent)
        if head.lemma_.lower() in self.lex.not_sources:
            return None  # "the figures suggest", "the move signals": no one's words
        if head.pos_ in ("NOUN", "PROPN", "NUM") and lower not in self.lex.non_referential:
            # any other noun phrase is a source in its own words: "critics", "police", "the Clinton
            # campaign", "some Americans" (people of a country, not its government: no side), poll
            # shares ("a third said", "three-quarters said")
            side = side_from_description(tokens, self.sides, head=head)[0]  # "Senate Republicans" -> US
            definite = any(c.dep_ == "det" and c.lower_ == "the" for c in head.children) and len(tokens) == 2
            # "the engineer said" may be someone the article names later ("X, a senior engineer")
            return Speaker(self._plain_name(head, tokens), None, side, "descriptor", head.lemma_.lower(), "forward" if definite else "explicit",
                           start=span[0], end=span[1], side_evidence="description" if side else None)
        return None

    def _plain_name(self, head: Token, tokens: list[Token]) -> str:
        """A short descriptor in the article's words: the head and its modifiers, no determiner."""
        words = self._modifier_words(head, tokens).split()
        return " ".join(words + [head.text if head.pos_ == "PROPN" or head.is_upper else head.lower_])

    def _person(self, ent: Span, np_tokens: list[Token], state: ArticleState | None = None) -> Speaker:
        title = [t for t in np_tokens if t.i < ent.start or t.i >= ent.end]
        independent = any(t.lower_ in self.lex.independent_roles for t in title)
        if ent.kb_id_ and ent.kb_id_ in self.gaz.entities:
            entity = self.gaz.entities[ent.kb_id_]
            side = None if independent else entity.side or self._side_from_words(title)
            return Speaker(entity.name, entity.id, side, "person", side_evidence="gazetteer" if entity.side else "description")
        name = self.bare_name(ent)
        words = name.split()
        if state is not None and len(words) == 1 and name in state.full_names:
            name = state.full_names[name]  # "Ms Petrenko" after "Olena Petrenko"
        canonical = _entity_value(ent, "canonical")
        if canonical and len(canonical.split()) >= len(name.split()):
            name = canonical  # the fullest form the article uses, aliases resolved (builder/entities.py)
        if independent:
            return Speaker(name, _entity_value(ent, "entity_id"), None, "person")
        side, evidence = _entity_value(ent, "side"), _entity_value(ent, "side_evidence")
        if side is None:  # the title in this very noun phrase ("Ukraine's foreign minister Jane Doe")
            side = self._side_from_words(title)
            evidence = "description" if side else None
        if side is None and state is not None:
            earlier = next((sp for sp in reversed(state.speakers) if sp.name == name and sp.side), None)
            if earlier is not None:
                side, evidence = earlier.side, earlier.side_evidence
        return Speaker(name, _entity_value(ent, "entity_id"), side, "person", side_evidence=evidence)

    def _descriptor(self, head: Token, tokens: list[Token], state: ArticleState, sent: Span) -> Speaker:
        role = head.text.lower()
        determiner = next((t.lower_ for t in tokens if t.dep_ == "det" and t.head == head), None)
        affil_tokens = [t for t in tokens if t != head]
        ents = [e for e in self._entity_of(affil_tokens) if e.kb_id_]
        org_ref = [t for t in affil_tokens if t.lower_ in self.lex.organisation_nouns and t.head.dep_ == "prep"]
        if not ents and org_ref:
            # "a representative for the organisation": the organisation named last before it
            prior = [e for e in self.ents.ents if e.end <= org_ref[0].i and e.kb_id_ and e.label_ == "ORG"]
            if prior:
                ents = [prior[-1]]
        titled = self._titled_person(head, tokens, state, determiner)
        if titled is not None:
            return titled
        forward = False
        if determiner == "the" and not ents and not self._side_from_words(affil_tokens):
            earlier = self._back_reference(role, state)
            if earlier is not None:
                return earlier.at(None, None, "coreference")
            # "the official said" before the article introduces its source: a later "a US official"
            # may resolve it (see _forward_references); else the descriptor stands as it is
            forward = True
        affil = None
        gov = [t for t in affil_tokens if t.lower_ in self.lex.government_nouns]
        poss_person = [e for e in self._entity_of(affil_tokens) if e.label_ == "PERSON"]
        modifiers = self._modifier_words(head, tokens)
        if modifiers:
            affil = modifiers  # "a senior administration official", "a US official", "the NSC spokesperson"
        elif gov and poss_person:
            affil = f"{poss_person[-1][-1].text} {gov[0].lower_}"  # "a spokesperson for Joe Biden's administration"
        elif ents:
            best = sorted(ents, key=lambda e: (self.gaz.entities[e.kb_id_].type != "ORG", -e.start))[0]
            affil = self._short(self.gaz.entities[best.kb_id_])
        else:
            norp = [t for t in affil_tokens if t.ent_type_ == "NORP"]
            if norp:
                affil = norp[0].text
        side = self._side_from_words(tokens)
        if not side and ents:
            side = self.gaz.side_of(ents[0].kb_id_)
        if not side:  # "Sen. ...", "a Republican of Texas", "the administration" (builder/sides.py)
            side = side_from_description(tokens, self.sides, head=head)[0]
        if role in self.lex.independent_roles:
            side = None
        name = f"{affil} {role}" if affil else role
        return Speaker(name, None, side, "descriptor", role, "forward" if forward else "explicit", side_evidence="description")

    def _titled_person(self, head: Token, tokens: list[Token], state: ArticleState, determiner: str | None) -> Speaker | None:
        """'the (US) ambassador' / "Russia's envoy" for the person the article gave that title,
        when the side the words name (if any) is theirs; "a ..." introduces someone new."""
        if determiner in ("a", "an", "another", "one") or not state.roles:
            return None
        mods = [t for t in tokens if t.i < head.i and t.dep_ not in ("det", "punct") and not (t.ent_type_ in ("GPE", "NORP") or self._side_from_words([t]))]
        if len(mods) > 1 or any(t.dep_ == "poss" or t.tag_ == "POS" for t in mods):
            return None  # "the company's president", "the party's deputy leader": someone else
        key = f"{mods[0].lower_} {head.lemma_.lower()}" if mods else head.lemma_.lower()
        person = state.roles.get(key)
        if person is None or person is AMBIGUOUS:
            return None
        side = self._side_from_words([t for t in tokens if t != head])
        if side and person.side and side != person.side:
            return None
        return person.at(None, None, "coreference")

    def _modifier_words(self, head: Token, tokens: list[Token]) -> str:
        """Words before the role noun that qualify it, entities by their short form:
        "senior administration", "US", "NSC", "Russian deputy foreign"."""
        words: list[str] = []
        done: set[int] = set()
        for t in tokens:
            if t.i >= head.i or t.i in done or t.dep_ in ("det", "punct", "case", "predet") or t.head.i > head.i:
                continue
            ent = self.ents.covering(t.i)
            ent = ent if ent is not None and ent.kb_id_ else None
            if ent is not None:
                words.append(self._short(self.gaz.entities[ent.kb_id_]))
                done.update(range(ent.start, ent.end))
            elif t.dep_ in ("amod", "compound", "nmod", "npadvmod", "nummod") or t.ent_type_ == "NORP":
                words.append(t.text if t.ent_type_ or t.is_upper else t.lower_)
        return " ".join(words)

    def _back_reference(self, role: str, state: ArticleState) -> Speaker | None:
        stem = role.rstrip("s")
        for sp in reversed(state.speakers):
            if sp.kind == "descriptor" and sp.role and sp.role.rstrip("s") == stem:
                return sp
        synonyms = self.lex.role_synonyms
        if stem in synonyms:
            for sp in reversed(state.speakers):
                if sp.kind == "descriptor" and sp.role in synonyms:
                    return sp
        return None

    def _pronoun(self, lower: str, state: ArticleState, sent: Span, tok: Token) -> Speaker | None:
        if lower in self.lex.person_pronouns:
            # the person named nearest before, in the last sentences that name one: their speaker,
            # then their subjects, then other mentions; a known gender ("Mr.", "Ms.") must agree
            want = self.lex.pronoun_gender.get(lower)
            for here in reversed(state.mentions[-self.lex.pronoun_window :]):
                for sp in here:
                    known = state.gender.get(sp.name)
                    if want and known and known != want:
                        continue
                    return sp.at(None, None, "coreference")
            for sp in reversed(state.speakers[-4:]):
                if sp.kind == "person":
                    return sp.at(None, None, "coreference")
            return None
        if lower in self.lex.institution_pronouns or lower in self.lex.either_pronouns:
            if tok.head.dep_ in ("relcl", "acl", "advcl", "ccomp") or tok.head.dep_ == "conj":
                inside = [e for e in self.ents.within(sent.start, tok.i) if e.kb_id_ and self.gaz.side_of(e.kb_id_)]
                if inside:
                    entity = self._government(self.gaz.entities[inside[-1].kb_id_])
                    return Speaker(entity.name, entity.id, entity.side, "institution", None, "coreference", side_evidence="gazetteer")
            for sp in reversed(state.speakers[-3:]):
                if sp.kind == "institution":
                    return sp.at(None, None, "coreference")
            if lower in self.lex.institution_pronouns:
                # "The company ... It said": an organisation that was the subject of the last sentences
                near = sent.doc[max(0, sent.start - self.lex.pronoun_reach) : sent.start]
                prior = [e for e in self.ents.within(near.start, near.end) if e.label_ == "ORG" and e.root.dep_ in SUBJECTS]
                if prior:
                    return self.speaker_from_np(list(prior[-1]), state, sent).at(None, None, "coreference")
        return None

    # ---- the component

    def _find_speaker(self, sent: Span, in_sent, state: ArticleState) -> tuple[Cue | None, Speaker | None]:
        """The sentence's cue and speaker: the main clause's cue first; an embedded verb only
        when the main clause's subject refers to nothing ("what it says is ...")."""
        cue = None
        for candidate in self.cues(sent, in_sent):
            cue = cue or candidate
            speaker = self.speaker_from_np(candidate.subject, state, sent)
            if speaker is not None and candidate.text == ":" and speaker.kind == "descriptor" and all(t.is_title for t in candidate.subject):
                # 'Kovac: "..."' a name as written, which the small model took for a common noun
                name = " ".join(t.text for t in candidate.subject)
                speaker = Speaker(state.full_names.get(name, name), None, None, "person", start=speaker.start, end=speaker.end)
            if speaker is not None:
                return candidate, speaker
            if not (candidate.subject and candidate.subject[0].lower_ in self.lex.non_referential):
                break
        return cue, None

    def __call__(self, doc: Doc) -> Doc:
        sents = content_sents(doc)
        text = self.text = doc.text  # Doc.text joins every token anew on each access
        self.ents = EntityIndex(doc)
        self.candidates = self._candidates(doc)
        spans = quote_spans(text)
        state = ArticleState()
        self.known_surnames = state.full_names  # surnames the article has named in full so far
        info: list[dict] = [{} for _ in sents]
        quotes: list[dict] = []
        span_quote: dict[tuple[int, int], dict] = {}
        for index, sent in enumerate(sents):
            touching = [sp for sp in spans if sp[0] < sent.end_char and sp[1] > sent.start_char]
            in_sent = [(max(a, sent.start_char), min(b, sent.end_char)) for a, b in touching]
            cue, speaker = self._find_speaker(sent, in_sent, state)
            if cue is None and not touching and quotes and self._awaits_speaker(quotes[-1], index):
                trailing = self._trailing_attribution(sent, state)
                if trailing is not None:
                    # '"..." / Jane Doe said as she left.': the attribution after the quotation
                    _set_speaker(quotes[-1], trailing)
                    state.speakers.append(trailing)
                    quotes[-1]["cue"] = trailing.role or quotes[-1]["cue"]
                    state.note_persons(self, sent, in_sent, trailing)
                    continue
            if cue is None and touching and index > 0 and text[sents[index - 1].start_char : sents[index - 1].end_char].rstrip().endswith(":"):
                speaker = self._introducer(sents[index - 1], state)  # 'She told the crowd:' + the quotation
            speech = bool(touching) if cue is None else (speaker is not None or bool(touching) or self._unresolved_pronoun(cue))
            if cue is None and touching and self._scare_quotes(text, sent, in_sent):
                speech = False  # NATO's "open door": a term in the narrator's voice, not speech
            if speech:
                qtype = self._quote_type(sent, cue, in_sent)
                continued = [span_quote[sp] for sp in touching if sp in span_quote]
                quote = continued[0] if continued else self._new_quote(text, sent, cue, qtype, touching, quotes, span_quote)
                if speaker is not None:
                    if quote["speaker"] is None or quote["resolution"] in (None, "follow_on"):
                        _set_speaker(quote, speaker)
                    if speaker.resolution != "forward":
                        state.speakers.append(speaker)
                if index not in quote["sentence_indices"]:
                    quote["sentence_indices"].append(index)
                info[index].update(quote_type=qtype, quote_key=quote["key"])
                if cue is not None and cue.verb is not None and speaker is not None:
                    for extra in self._second_statements(sent, cue, in_sent):
                        # "X said A, adding that B": B is a second quote of the same speaker
                        second = self._new_quote(text, sent, extra, "indirect", [], quotes, {})
                        # its own subject speaks when it has one ("A said ..., but B insisted that ...")
                        own = self.speaker_from_np(extra.subject, state, sent) if extra.subject and extra.subject[0].i not in {t.i for t in cue.subject} else None
                        _set_speaker(second, own or speaker)
                        second["sentence_indices"].append(index)
            state.note_persons(self, sent, in_sent, speaker)
        self._follow_on(quotes)
        self._forward_references(quotes, state)
        doc._.quotes = [_public(q) for q in quotes]
        for i, item in enumerate(info):
            key = item.pop("quote_key", None)
            if key is not None:
                q = quotes[key]
                item.update(speaker=q["speaker"], speaker_id=q["speaker_id"], speaker_side=q["speaker_side"], quote_index=key)
        doc._.sent_info = info
        return doc

    def _second_statements(self, sent: Span, cue: Cue, in_sent: list[tuple[int, int]]) -> list[Cue]:
        """Speech verbs hanging on the sentence's cue with a content of their own outside it and
        outside quotation marks: "..., adding that ...", "... and warned that ..."."""
        out = []
        for other in self.cues(sent, in_sent):
            if other.verb is None or other.verb == cue.verb or other.content is None or cue.content is None:
                continue
            if other.verb.head != cue.verb or other.verb.dep_ not in ("advcl", "conj"):
                continue
            a, b = other.content
            if a < cue.content[1] and cue.content[0] < b or _inside(a, in_sent):
                continue
            out.append(other)
        return out

    def _unresolved_pronoun(self, cue: Cue) -> bool:
        """Reported speech whose subject is a pronoun the article gives no antecedent for: still
        speech (the quote is real), with an unknown speaker."""
        return cue.content is not None and len(cue.subject) == 1 and cue.subject[0].pos_ == "PRON" and cue.subject[0].lower_ not in self.lex.non_referential

    @staticmethod
    def _awaits_speaker(quote: dict, index: int) -> bool:
        """The quotation of the sentence just before, still without an attribution."""
        return quote["speaker"] is None and quote["cue"] is None and quote["quote_type"] == "direct" and max(quote["sentence_indices"], default=-2) == index - 1

    def _trailing_attribution(self, sent: Span, state: ArticleState) -> Speaker | None:
        """A sentence that only attributes ('Jane Doe said as she left the room.'): a speech verb
        with a speaker and no content of its own (no clause, object or quotation)."""
        doc = sent.doc
        candidates, _ = self.candidates
        for i in candidates[bisect_left(candidates, sent.start) : bisect_left(candidates, sent.end)]:
            tok = doc[i]
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in self.lex.speech_verbs or tok.i - sent.start > 8:
                continue
            if any(c.dep_ in ("ccomp", "xcomp", "dobj", "neg") for c in tok.children):
                continue
            subj = self._subject(tok)
            if subj is None or subj.i > tok.i:
                continue
            sp = self.speaker_from_np(self._np_tokens(subj), state, sent)
            if sp is not None:
                return replace_role(sp, tok.text)
        return None

    def _introducer(self, prev: Span, state: ArticleState) -> Speaker | None:
        """Who a sentence ending in a colon introduces: its speech verb's speaker, else the
        subject of its main verb, else the last person it names ('Here is Clinton in 1992:')."""
        cue, speaker = self._find_speaker(prev, [], state)
        if speaker is not None:
            return speaker
        name = [t for t in prev if not t.is_punct]
        known = any(e.label_ in ("PERSON", "ORG") for e in self.ents.within(prev.start, prev.end)) or (name and name[-1].text in state.full_names)
        if 0 < len(name) <= 4 and all(t.is_title or t.pos_ == "PROPN" for t in name) and known:
            # a name on its own line before the quotation ('Brenner:' in transcripts and Q&As)
            sp = self.speaker_from_np(name, state, prev)
            if sp is not None:
                return sp if sp.kind != "descriptor" else Speaker(state.full_names.get(sp.name, " ".join(t.text for t in name)), None, None, "person", start=sp.start, end=sp.end)
        subj = self._subject(prev.root)
        if subj is not None:
            sp = self.speaker_from_np(self._np_tokens(subj), state, prev)
            if sp is not None:
                return sp
        persons = [e for e in self.ents.within(prev.start, prev.end) if e.label_ == "PERSON"]
        if persons:
            return self._person(persons[-1], list(persons[-1]), state).at(persons[-1].start_char, persons[-1].end_char)
        return None

    @staticmethod
    def _scare_quotes(text: str, sent: Span, in_sent: list[tuple[int, int]]) -> bool:
        """Only short quoted terms (four words or fewer) inside a longer narrated sentence."""
        short = all(len(text[a:b].split()) <= 4 for a, b in in_sent)
        outside = [t for t in sent if not t.is_punct and not _inside(t.idx, in_sent)]
        return short and len(outside) > 6

    def _quote_type(self, sent: Span, cue: Cue | None, in_sent: list[tuple[int, int]]) -> str:
        if not in_sent:
            return "indirect" if cue else "none"
        quoted = sum(b - a for a, b in in_sent)
        outside = [t for t in sent if not t.is_punct and not _inside(t.idx, in_sent)]
        attribution = set()
        if cue is not None:
            attribution = {t.i for t in cue.subject} | ({cue.verb.i} if cue.verb is not None else set())
            if cue.verb is not None:
                attribution |= {t.i for c in cue.verb.children if c.dep_ in ("npadvmod", "prep", "advmod", "dative", "aux", "nsubj", "nsubjpass", "advcl", "punct", "conj", "cc") for t in c.subtree if not _inside(t.idx, in_sent)}
        reported_outside = [t for t in outside if t.i not in attribution]
        if cue is None:
            return "direct" if quoted else "none"
        return "mixed" if len(reported_outside) > 2 else "direct"

    def _new_quote(self, text: str, sent, cue, qtype, touching, quotes, span_quote) -> dict:
        if qtype == "direct" and touching:
            start, end = touching[0][0], touching[-1][1]
            while end > start and text[end - 1] in ", ":
                end -= 1  # the comma before the attribution belongs to the sentence, not the quote
        elif cue is not None and cue.content is not None:
            start, end = cue.content
            close = text.find('"', end, end + 3)
            if text[start:end].count('"') % 2 and close >= 0:
                end = close + 1  # keep a partial quotation's closing mark (after its comma, if any)
        else:
            start, end = sent.start_char, sent.end_char
        quote = {
            "key": len(quotes),
            "start": start,
            "end": end,
            "cue": cue.text if cue else None,
            "speaker": None,
            "speaker_id": None,
            "speaker_side": None,
            "quote_type": qtype,
            "resolution": None,
            "sentence_indices": [],
            "role": None,
            "speaker_start": None,
            "speaker_end": None,
            "side_evidence": None,
        }
        quotes.append(quote)
        for sp in touching:
            span_quote.setdefault(sp, quote)
        return quote

    def _follow_on(self, quotes: list[dict]) -> None:
        """An unattributed quotation continues the attributed quotation right before it (tentatively:
        an explicit attribution of the same words in another article wins, see builder/crossdoc.py)."""
        for i, q in enumerate(quotes):
            if q["speaker"] is None and q["cue"] is None and i > 0:
                prev = quotes[i - 1]
                if prev["speaker"] is not None and prev["quote_type"] in ("direct", "mixed"):
                    q.update({k: prev[k] for k in SPEAKER_FIELDS}, resolution="follow_on")

    def _forward_references(self, quotes: list[dict], state: ArticleState) -> None:
        """'the official said' before the article introduces 'a US official': resolve to that later source."""
        for q in quotes:
            if q["resolution"] == "forward":
                role = q["role"]
                later = self._back_reference(role, ArticleState(speakers=list(state.speakers)))
                titled = state.roles.get(role or "")
                if later is None and titled is not None and titled is not AMBIGUOUS:
                    later = titled  # the role first, the name later: "the engineer said" ... "X, a senior engineer"
                if later is not None:
                    q.update(speaker=later.name, speaker_id=later.entity_id, speaker_side=later.side, resolution="coreference",
                             side_evidence=later.side_evidence)  # the mention stays "the official" of this sentence
                else:
                    # no later source: "the Florida senator" names the speaker, tentatively (an
                    # explicit attribution of a reprint of the same words wins, see crossdoc.py)
                    q.update(resolution="explicit", weak=True)


def _set_speaker(quote: dict, sp: Speaker) -> None:
    quote.update(speaker=sp.name, speaker_id=sp.entity_id, speaker_side=sp.side, resolution=sp.resolution, role=sp.role,
                 speaker_start=sp.start, speaker_end=sp.end, side_evidence=_evidence(sp.side, sp.side_evidence or "description"))


def _public(q: dict) -> dict:
    """The quote as records.py reads it (resolution 'follow_on' is a within-article coreference)."""
    resolution = q["resolution"]
    if resolution == "follow_on":
        resolution = "coreference"
    return {
        "index": q["key"],
        "start": q["start"],
        "end": q["end"],
        "cue": q["cue"],
        "speaker": q["speaker"],
        "speaker_id": q["speaker_id"],
        "speaker_side": q["speaker_side"],
        "quote_type": q["quote_type"],
        "resolution": resolution if q["speaker"] else None,
        "tentative": q["resolution"] == "follow_on" or bool(q.get("weak")),
        "sentence_indices": sorted(q["sentence_indices"]),
        "speaker_start": q["speaker_start"] if q["speaker"] else None,
        "speaker_end": q["speaker_end"] if q["speaker"] else None,
        "speaker_side_evidence": q["side_evidence"] if q["speaker_side"] else None,
    }


def _names_head(person: Span, head: Token) -> bool:
    """The person is the noun phrase's head or its appositive ("the envoy, Dmitry Polyanskiy"),
    not a modifier ("a spokesperson for Joe Biden's administration")."""
    if person.start <= head.i < person.end:
        return True
    return any(t.dep_ == "appos" and t.head == head for t in person)


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


def _inside(idx: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= idx < b for a, b in spans)


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


def _touches(tok: Token, span: tuple[int, int]) -> bool:
    """The verb's clause contains the quotation (it is attributed by this verb)."""
    sub = list(tok.subtree)
    return sub[0].idx <= span[0] and span[1] <= sub[-1].idx + len(sub[-1]) + 1


@Language.factory("stance_quotes", default_config={"rules": {"@misc": "stance_builder.rules.v1"}})
def make_quotes(nlp: Language, name: str, rules: RuleSet) -> QuoteAttributor:
    return QuoteAttributor(rules)
