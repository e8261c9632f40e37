"""Named entities corrected, canonicalised and given their side, as a spaCy component.

spaCy's small model misses or mislabels many actors ("Nato" as a person,
"Kremlin" missed); gazetteer matches win, title words are no entities ("State" of
"Secretary of State", schemas/sides.yaml `titles`), person names never carry titles
("Mr Price" -> "Price"), and people and organisations outside the gazetteer are
first-class: each gets the fullest name the article uses, with the article's other
forms of it ("Mr. Doe", "Doe") resolved to it across paragraphs (builder/nlp/people.py),
an id stable across articles, and a side from its own description (builder/nlp/sides.py).

Extensions, set by the `stance_entities` component for every entity of `doc.ents`:

- `Span._.canonical` (str | None): the canonical name: the gazetteer's name for a
  linked entity; for a person or organisation outside the gazetteer the fullest form
  the article uses, titles stripped ("Christopher S. Murphy" for "Sen. Murphy");
  None for other unlinked entities (dates are not kept; places and groups outside
  the gazetteer).
- `Span._.entity_id` (str | None): the gazetteer id, or `person:<slug>` /
  `org:<slug>` for people and organisations outside it (the slug of the canonical
  name, so the same name in two articles is one entity; an organisation named only by
  generic words, "the Foreign Ministry", adds its side: `org:foreign-ministry:ru`).
- `Span._.side` (str | None): the gazetteer's side, else for people and
  organisations outside it the side of their description anywhere in the article.
- `Span._.side_evidence`: "gazetteer" | "description" | None (None when side is None).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from builder.nlp.descriptions import title_runs
from builder.nlp.people import Person, group_people, name_reading, persons_by_last, same_given, split_at_verbs
from builder.nlp.sides import side_of_mention
from builder.rules import RuleSet
from builder.rules.gazetteer import found_id

# model labels that a person's surname, or a name after "Mr."/"Sen.", overrides: the small
# model tags many surnames as organisations or works ("Coons said", "Raddatz asked")
RELABEL = {"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "EVENT", "LAW", "LOC", "LANGUAGE"}
POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
GENERIC_GLUE = {"of", "the", "and", "for", "on", "'s", "\u2019s"}
EMPTY = (None, None, None, None)


def _info(span: Span) -> tuple:
    """(canonical, entity_id, side, side_evidence) of an entity span."""
    store = span.doc._.entity_info
    if store:
        found = store.get(f"{span.start}:{span.end}")
        if found is not None:
            return tuple(found)
    return EMPTY


for _k, _name in enumerate(("canonical", "entity_id", "side", "side_evidence")):
    if not Span.has_extension(_name):
        Span.set_extension(_name, getter=lambda span, k=_k: _info(span)[k])
if not Doc.has_extension("entity_info"):
    # "start:end" (token offsets) -> [canonical, entity_id, side, side_evidence]; plain data, so a
    # Doc keeps it through nlp.pipe(n_process=...) and DocBin
    Doc.set_extension("entity_info", default=None)


class EntityLinker:
    """Replaces doc.ents by gazetteer-corrected entities (kb_id = gazetteer id) and sets the extensions."""

    def __init__(self, nlp: Language, rules: RuleSet):
        self.gaz = gazetteer = rules.gazetteer
        self.sides = sides = rules.sides
        self.person_titles = rules.honorifics | frozenset(sides.legislators)  # "Mr. Doe", "Sen. Doe": a person
        self.strip_words = rules.honorifics | rules.titles | frozenset(sides.legislators)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for form, entity in gazetteer.by_form.items():
            self.matcher.add(entity.id, [nlp.make_doc(form)])
        self.demonyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        for form, entity in gazetteer.by_demonym.items():
            self.demonyms.add(entity.id, [nlp.make_doc(form)])
        # a form in other letter case ("the state department") is the gazetteer's when only one entity has it
        folded: dict[str, set[str]] = {}
        for form, entity in gazetteer.by_form.items():
            folded.setdefault(form.casefold(), set()).add(entity.id)
        self.by_folded = {k: gazetteer.entities[next(iter(v))] for k, v in folded.items() if len(v) == 1}
        self.persons_by_last = persons_by_last(gazetteer)

    # ---- spans

    def _gazetteer_spans(self, doc: Doc) -> list[Span]:
        spans = []
        named: set[str] = set()  # persons already named in full in this article
        for match_id, start, end in sorted(self.matcher(doc), key=lambda m: m[1]):
            entity = self.gaz.entities[doc.vocab.strings[match_id]]
            # a one-word alias ("Price", "Truman") must be a proper noun, inside a model entity,
            # or a person this article already named in full ("Ned Price ... Price said")
            if end - start == 1 and entity.type == "PERSON":
                if not name_reading(doc[start]) and not doc[start].ent_type_ and entity.id not in named:
                    continue
                given = doc[start - 1] if start else None
                if given is not None and given.ent_type_ == "PERSON" and given.is_title and given.pos_ == "PROPN" \
                        and not any(same_given(given.text, name.split()[0]) for name in (entity.name, *entity.aliases) if " " in name):
                    continue  # "John Sullivan" is not the gazetteer's Jake Sullivan: another given name
            elif entity.type == "PERSON":
                named.add(entity.id)
            if entity.type == "ORG" and start and self._other_country(doc[start - 1], entity):
                continue  # "the German Foreign Office", "the British Treasury": that country's body
            spans.append(Span(doc, start, end, label=entity.type, kb_id=entity.id))
        for match_id, start, end in self.demonyms(doc):
            spans.append(Span(doc, start, end, label="NORP", kb_id=doc.vocab.strings[match_id]))
        return spans

    def _other_country(self, before: Token, entity) -> bool:
        """The word before a body names a country of another side ("German", "Ukraine's")."""
        word = before.text if before.tag_ != "POS" else (before.doc[before.i - 1].text if before.i else "")
        other = self.gaz.named_by(word)
        return other is not None and other.type == "GPE" and other.side is not None and other.side != entity.side

    def _trim(self, span: Span, runs: list[tuple[int, int]]) -> Span | None:
        """Title words, honorifics, a possessive, punctuation and a leading "the" are not part of the
        entity; None if nothing is left (a fragment of a title: "State" of "Secretary of State")."""
        doc = span.doc
        start, end = span.start, span.end
        if not span.kb_id_:
            for a, b in runs:
                if a <= start and end <= b:
                    return None
                if span.label_ == "PERSON" and a <= start < b:
                    start = b  # "Deputy National Security Adviser Jane Doe"
                elif start < a < end <= b:
                    end = a  # "ABC News Senior Foreign" + "Correspondent"
        if span.label_ == "PERSON":
            while start < end and doc[start].text in self.strip_words:
                start += 1
        changed = True
        while changed and start < end:
            changed = False
            if doc[end - 1].text in POSSESSIVE or doc[end - 1].is_punct:
                end, changed = end - 1, True
            elif doc[start].is_punct or doc[start].is_space or (
                not span.kb_id_ and span.label_ in ("ORG", "NORP") and doc[start].lower_ == "the" and end - start > 1
            ):  # "the Joint Chiefs of Staff"; not places ("The Hague")
                start, changed = start + 1, True
        if start >= end:
            return None
        return Span(doc, start, end, label=span.label_, kb_id=span.kb_id_)

    def _people(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Surnames the model tagged as something else, or missed: a later mention of a person the
        article names in full ("Coons said" after "Chris Coons"), or a name after "Mr."/"Sen."."""
        persons = [s for s in spans if s.label_ == "PERSON" and not self._generic([t.text for t in s])]
        surnames = {s[-1].text for s in persons if len(s) > 1}
        surnames |= {self.gaz.entities[s.kb_id_].name.split()[-1] for s in persons if s.kb_id_}
        full = {s.text for s in persons if len(s) > 1}
        out = []
        for s in spans:
            before = doc[s.start - 1] if s.start > 0 else None
            titled = before is not None and before.text in self.person_titles
            # a name the model read as an organisation: after a title ("ministry spokesman Jane Doe") or
            # with an office in apposition ("Jane Doe, a senior security official")
            name_like = len(s) > 1 and all(t.pos_ == "PROPN" and t.is_title for t in s) and not self._generic([t.text for t in s])
            named = name_like and (
                (before is not None and before.lower_ in self.sides.title_heads)
                or any(c.dep_ == "appos" and c.lower_ in self.sides.roles for c in s.root.children)
                or (s.root.dep_ == "appos" and s.root.head.lower_ in self.sides.roles and s.root.head.i < s.start))
            if not s.kb_id_ and s.label_ in RELABEL and (s.text in surnames or s.text in full or titled or named):
                s = Span(doc, s.start, s.end, label="PERSON")
            elif not s.kb_id_ and s.label_ == "PERSON" and self._generic([t.text for t in s]) and any(
                t.lower_ in self.sides.institutions for t in s
            ):
                s = Span(doc, s.start, s.end, label="ORG")  # "Foreign Ministry" is no person
            out.append(s)
        taken = {i for s in spans for i in range(s.start, s.end)}
        i = 0
        while i < len(doc):
            t = doc[i]
            if i in taken or t.ent_type_ or not name_reading(t):
                i += 1
                continue
            titled = i > 0 and doc[i - 1].text in self.person_titles
            if titled:
                j = i
                while j < len(doc) and j - i < 3 and j not in taken and not doc[j].ent_type_ and doc[j].pos_ == "PROPN" and doc[j].is_title:
                    j += 1
                out.append(Span(doc, i, j, label="PERSON"))
                i = j
                continue
            if t.text in surnames:
                out.append(Span(doc, i, i + 1, label="PERSON"))
            i += 1
        return sorted(out, key=lambda s: s.start)

    # ---- canonical names and ids within the article

    def _generic(self, words: list[str]) -> bool:
        """An organisation named by common words only ("the Foreign Ministry", "defense ministry")."""
        lex = self.sides
        return all(w.casefold() in lex.offices or w.casefold() in lex.title_words or w.casefold() in GENERIC_GLUE for w in words)

    @staticmethod
    def _fullest(spans: list[Span]) -> str:
        """The fullest form: most words, then capitals ("Foreign Ministry" over "foreign ministry"), then first used."""
        best = max(spans, key=lambda s: (len(s), sum(t.text[:1].isupper() for t in s), len(s.text), -s.start))
        return best.text

    def _link_folded(self, spans: list[Span]) -> list[Span]:
        """An organisation in other letter case is the gazetteer's: "the state department"."""
        out = []
        for s in spans:
            entity = self.by_folded.get(s.text.casefold()) if s.label_ == "ORG" and not s.kb_id_ else None
            if entity is not None and s.start and self._other_country(s.doc[s.start - 1], entity):
                entity = None  # "Ukraine's Marine Corps" is not the US Marine Corps
            out.append(Span(s.doc, s.start, s.end, label=entity.type, kb_id=entity.id) if entity is not None else s)
        return out

    def _titled(self, span: Span, runs: list[tuple[int, int]]) -> bool:
        """A title, honorific or office right before the name: "Mr. Doe", "Sen. Doe", "spokesman Doe"."""
        if span.start == 0:
            return False
        before = span.doc[span.start - 1]
        return (before.text in self.strip_words or before.lower_ in self.sides.title_heads
                or any(b == span.start for _, b in runs))

    def _describe_people(self, spans: list[Span], people: list[Person], runs: list[tuple[int, int]],
                         info: dict[str, list]) -> None:
        """Canonical name, id and side of each person outside the gazetteer. A person the article names
        by one word only, with no title before it, gets no id: the small model tags many a weapon, place
        or company that way ("Javelin", "Twitter"), and a surname alone cannot say who it is; nor does a
        "name" with a digit ("Bill 4")."""
        for p in people:
            members = [spans[k] for k in sorted(p.spans)]
            multi = [m for m in members if len(m) > 1]
            name = self._fullest(multi) if multi else members[0].text
            if (not multi and not any(self._titled(m, runs) for m in members)) or any(c.isdigit() for c in name):
                for m in members:
                    info[f"{m.start}:{m.end}"] = [name, None, None, None]
                continue
            side = next((sd for sd in (side_of_mention(m, self.sides)[0] for m in members) if sd), None)
            for m in members:
                info[f"{m.start}:{m.end}"] = [name, found_id("PERSON", name), side, "description" if side else None]

    def _describe_organisations(self, spans: list[Span], info: dict[str, list]) -> None:
        """Ids, canonical names and sides of the article's organisations outside the gazetteer."""
        groups: dict[str, list[int]] = {}
        generic: list[int] = []
        for k, s in enumerate(spans):
            if s.label_ != "ORG" or s.kb_id_:
                continue
            if self._generic([t.text for t in s]):
                generic.append(k)
            else:
                groups.setdefault(s.text.casefold(), []).append(k)
        # an acronym is the organisation it abbreviates: "(ISW)" right after its name, or its initials
        merged: dict[str, str] = {}
        for key, ks in groups.items():
            s = spans[ks[0]]
            if len(s) != 1 or not s.text.isupper() or not 2 <= len(s.text) <= 6:
                continue
            after = [g for g, gk in groups.items() if g != key and any(
                spans[j].end + 1 == spans[a].start and s.doc[spans[a].start - 1].text == "(" for j in gk for a in ks)]
            initials = [g for g, gk in groups.items() if g != key and len(spans[gk[0]]) > 1 and "".join(
                t.text[0] for t in spans[gk[0]] if t.text[:1].isupper()) == s.text]
            target = after[:1] or (initials if len(initials) == 1 else [])
            if target:
                merged[key] = target[0]
        for key in list(merged):
            target = merged[key]
            seen = {key}
            while target in merged and target not in seen:
                seen.add(target)
                target = merged[target]
            if target != key:
                groups[target].extend(groups.pop(key))
        for ks in groups.values():
            members = [spans[k] for k in sorted(ks)]
            name = self._fullest(members)
            side = next((sd for sd in (side_of_mention(m, self.sides)[0] for m in members) if sd), None)
            for m in members:
                info[f"{m.start}:{m.end}"] = [name, found_id("ORG", name), side, "description" if side else None]
        last_side: dict[str, str | None] = {}
        for k in generic:
            s = spans[k]
            key = s.text.casefold()
            side = side_of_mention(s, self.sides)[0] or last_side.get(key)
            last_side[key] = side
            name = self._fullest([spans[j] for j in generic if spans[j].text.casefold() == key])
            info[f"{s.start}:{s.end}"] = [name, found_id("ORG", name, side), side, "description" if side else None]

    def __call__(self, doc: Doc) -> Doc:
        gaz_spans = self._gazetteer_spans(doc)
        covered = {i for s in gaz_spans for i in range(s.start, s.end)}
        model_spans = [
            p for s in doc.ents if s.label_ in self.gaz.labels and not covered.intersection(range(s.start, s.end))
            for p in split_at_verbs(s)
        ]
        runs = title_runs(doc, self.sides)
        trimmed = [t for t in (self._trim(s, runs) for s in gaz_spans + model_spans) if t is not None]
        spans = self._people(doc, filter_spans(trimmed))
        spans, people = group_people(spans, self.gaz, self.persons_by_last)
        spans = self._link_folded(spans)
        doc.ents = spans  # first, so descriptions see the linked entities ("a Kremlin spokesman")
        # gazetteer entities carry the gazetteer's name and side; descriptions below may refine them
        info: dict[str, list] = {}
        for s in spans:
            entity = self.gaz.entities.get(s.kb_id_) if s.kb_id_ else None
            if entity is not None:
                info[f"{s.start}:{s.end}"] = [entity.name, entity.id, entity.side, "gazetteer" if entity.side else None]
        self._describe_people(spans, people, runs, info)
        self._describe_organisations(spans, info)
        doc._.entity_info = info
        return doc


@Language.factory("stance_entities", default_config={"rules": {"@misc": "stance_builder.rules.v1"}})
def make_entity_linker(nlp: Language, name: str, rules: RuleSet) -> EntityLinker:
    return EntityLinker(nlp, rules)
