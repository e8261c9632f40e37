"""Which person mentions of an article are one person: "Chris Coons", "Coons" and "Sen. Coons".

Full names come first, then one-word names go to the person they last named, so
the entity linker (builder/nlp/entities.py) can give every mention the fullest
name and one id; a gazetteer person named by another form is linked to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from builder.rules.gazetteer import Entity, Gazetteer


def compatible(a: str, b: str) -> bool:
    """Two given names of one person: equal, a short form ("Chris"/"Christopher") or an initial ("J.")."""
    a, b = a.rstrip(".").casefold(), b.rstrip(".").casefold()
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def same_given(a: str, b: str) -> bool:
    """One given name in two spellings or forms: compatible, or the same first letter and at most
    two edits apart ("Dmitri"/"Dmitry", "Andrei"/"Andriy"); "John" and "Jake" are two people."""
    if compatible(a, b):
        return True
    a, b = a.casefold(), b.casefold()
    if a[:1] != b[:1]:
        return False
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1] <= 2


@dataclass
class Person:
    first: str
    last: str
    kb: str | None = None
    spans: list[int] = field(default_factory=list)  # indices into the article's spans


def persons_by_last(gazetteer: Gazetteer) -> dict[str, list[Entity]]:
    """The gazetteer's people by surname, to link "Jane Doe" to the entry of "Jane S. Doe"."""
    out: dict[str, list[Entity]] = {}
    for entity in gazetteer.entities.values():
        if entity.type == "PERSON":
            out.setdefault(entity.name.split()[-1], []).append(entity)
    return out


def group_people(spans: list[Span], gazetteer: Gazetteer, by_last: dict[str, list[Entity]]) -> tuple[list[Span], list[Person]]:
    """Groups the article's person mentions into people; links gazetteer people named by a
    longer or shorter form ("Mr. Price", "Ned S. Price"). The spans with kb ids set, and the
    people outside the gazetteer."""
    doc = spans[0].doc if spans else None
    people: list[Person] = []
    by_kb: dict[str, Person] = {}
    owner: dict[int, Person] = {}

    def gazetteer_person(entity: Entity) -> Person:
        if entity.id not in by_kb:
            words = entity.name.split()
            by_kb[entity.id] = Person(words[0], words[-1], entity.id)
            people.append(by_kb[entity.id])
        return by_kb[entity.id]

    order = [k for k, s in enumerate(spans) if s.label_ == "PERSON"]
    for k in order:  # gazetteer people first, then full names, then one-word names
        if spans[k].kb_id_:
            p = gazetteer_person(gazetteer.entities[spans[k].kb_id_])
            p.spans.append(k)
            owner[k] = p
    for k in order:
        s = spans[k]
        if s.kb_id_ or len(s) < 2:
            continue
        first, last = s[0].text, s[-1].text
        p = next((p for p in people if p.last == last and compatible(p.first, first)), None)
        if p is None:
            entity = next((e for e in by_last.get(last, []) if compatible(e.name.split()[0], first)), None)
            p = gazetteer_person(entity) if entity is not None else None
        if p is None:
            p = Person(first, last)
            people.append(p)
        p.spans.append(k)
        owner[k] = p
    for k in order:
        s = spans[k]
        if k in owner:
            continue
        word = s.text
        candidates = [p for p in people if p.last == word and p.spans]
        if not candidates:
            firsts = [p for p in people if p.first == word and p.spans and p.first != p.last]
            candidates = firsts if len(firsts) == 1 else []
        if candidates:
            before = [p for p in candidates if min(p.spans) < k]
            p = max(before, key=lambda p: max(j for j in p.spans if j < k)) if before else min(candidates, key=lambda p: min(p.spans))
        else:
            p = Person(word, word)
            people.append(p)
        p.spans.append(k)
        owner[k] = p
    out = list(spans)
    for k, p in owner.items():
        if p.kb and not spans[k].kb_id_:
            out[k] = Span(doc, spans[k].start, spans[k].end, label="PERSON", kb_id=p.kb)
    return out, [p for p in people if p.kb is None]


def split_at_verbs(span: Span) -> list[Span]:
    """A model entity cut where a verb or auxiliary not part of a name starts: the small model
    tags "Shaheen told Pannell" as one entity, and the fullest form would become the name. A
    person's span also ends at "and" ("Biden and Putin"). The pieces with a capitalised word stay."""
    cuts = [t.i for t in span[1:] if not t.is_title and (
        t.pos_ in ("VERB", "AUX") or (span.label_ == "PERSON" and t.pos_ == "CCONJ"))]
    if not cuts or span.kb_id_:
        return [span]
    out, start = [], span.start
    for i in cuts + [span.end]:
        if i > start and any(t.is_title for t in span.doc[start:i]):
            out.append(Span(span.doc, start, i, label=span.label_))
        start = i + 1
    return out


def name_reading(tok: Token) -> bool:
    """A capitalised word that can be a surname: a proper noun, or a common-noun reading the small
    model gave a name that speaks or is described ("Price claimed", "Price, the spokesperson,")."""
    if not tok.is_title:
        return False
    if tok.pos_ == "PROPN":
        return True
    return tok.pos_ == "NOUN" and (tok.dep_ in ("nsubj", "nsubjpass", "appos") or any(c.dep_ == "appos" for c in tok.children))
