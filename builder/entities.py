"""Named entities corrected and canonicalised against the gazetteer, as a spaCy component.

spaCy's small model misses or mislabels many actors ("Nato" as a person,
"Kremlin" missed); gazetteer matches win, the model's other entities stay
unlinked, and person names never carry titles ("Mr Price" -> "Price").
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import config
from .gazetteer import Gazetteer, load_gazetteer

NAME_KEYS = {"honorifics", "titles"}


def _side_getter(span: Span) -> str | None:
    return _gazetteer_for(span.doc).side_of(span.kb_id_ or None)


_GAZETTEERS: dict[str, Gazetteer] = {}


def _gazetteer_for(doc: Doc) -> Gazetteer:
    key = doc._.schemas_dir or ""
    if key not in _GAZETTEERS:
        _GAZETTEERS[key] = load_gazetteer(Path(key) if key else None)
    return _GAZETTEERS[key]


for _name, _kw in {"side": {"getter": _side_getter}}.items():
    if not Span.has_extension(_name):
        Span.set_extension(_name, **_kw)
if not Doc.has_extension("schemas_dir"):
    Doc.set_extension("schemas_dir", default="")


def load_name_words(schemas_dir: Path | None = None) -> tuple[frozenset[str], frozenset[str]]:
    data = config.load("names", schemas_dir)
    config.check_keys(str(config.schema_path("names", schemas_dir)), data, NAME_KEYS, NAME_KEYS)
    return frozenset(data["honorifics"]), frozenset(data["titles"])


class EntityLinker:
    """Replaces doc.ents by gazetteer-corrected entities with kb_id = gazetteer id."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer, honorifics: frozenset[str], titles: frozenset[str], schemas_dir: str):
        self.gaz = gazetteer
        self.strip_words = honorifics | titles
        self.schemas_dir = schemas_dir
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for form, entity in gazetteer.by_form.items():
            self.matcher.add(entity.id, [nlp.make_doc(form)])
        self.demonyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        for form, entity in gazetteer.by_demonym.items():
            self.demonyms.add(entity.id, [nlp.make_doc(form)])

    def _gazetteer_spans(self, doc: Doc) -> list[Span]:
        spans = []
        named: set[str] = set()  # persons already named in full in this article
        for match_id, start, end in sorted(self.matcher(doc), key=lambda m: m[1]):
            entity = self.gaz.entities[doc.vocab.strings[match_id]]
            # a one-word alias ("Price", "Truman") must be a proper noun, inside a model entity,
            # or a person this article already named in full ("Ned Price ... Price said")
            if end - start == 1 and entity.type == "PERSON":
                if doc[start].pos_ != "PROPN" and not doc[start].ent_type_ and entity.id not in named:
                    continue
            elif entity.type == "PERSON":
                named.add(entity.id)
            spans.append(Span(doc, start, end, label=entity.type, kb_id=entity.id))
        for match_id, start, end in self.demonyms(doc):
            spans.append(Span(doc, start, end, label="NORP", kb_id=doc.vocab.strings[match_id]))
        return spans

    def _trim(self, span: Span) -> Span | None:
        """Drop leading honorifics and titles from person names; None if nothing is left."""
        start = span.start
        if span.label_ == "PERSON":
            while start < span.end and span.doc[start].text in self.strip_words:
                start += 1
        end = span.end
        while end > start and span.doc[end - 1].is_punct:
            end -= 1
        while start < end and (span.doc[start].is_punct or span.doc[start].is_space):
            start += 1
        if start >= end:
            return None
        return Span(span.doc, start, end, label=span.label_, kb_id=span.kb_id_)

    def _link_within_doc(self, spans: list[Span]) -> list[Span]:
        """An unlinked person named by surname links to an earlier person in the article."""
        by_surname: dict[str, str] = {}
        out = []
        for span in sorted(spans, key=lambda s: s.start):
            if span.label_ == "PERSON":
                if not span.kb_id_ and span.text in by_surname:
                    span = Span(span.doc, span.start, span.end, label="PERSON", kb_id=by_surname[span.text])
                if len(span) > 1 and span.kb_id_:
                    by_surname.setdefault(span[-1].text, span.kb_id_)
            out.append(span)
        return out

    def __call__(self, doc: Doc) -> Doc:
        doc._.schemas_dir = self.schemas_dir
        gaz_spans = self._gazetteer_spans(doc)
        covered = {i for s in gaz_spans for i in range(s.start, s.end)}
        model_spans = [
            s for s in doc.ents if s.label_ in self.gaz.labels and not covered.intersection(range(s.start, s.end))
        ]
        trimmed = [t for t in (self._trim(s) for s in gaz_spans + model_spans) if t is not None]
        doc.ents = self._link_within_doc(filter_spans(trimmed))
        return doc


@Language.factory("stance_entities", default_config={"schemas_dir": ""})
def make_entity_linker(nlp: Language, name: str, schemas_dir: str) -> EntityLinker:
    path = Path(schemas_dir) if schemas_dir else None
    honorifics, titles = load_name_words(path)
    return EntityLinker(nlp, load_gazetteer(path), honorifics, titles, schemas_dir)
