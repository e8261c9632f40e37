"""Span fields as spaCy extensions whose values are plain data in `doc.user_data`.

Like spaCy's own Span extensions, a value lives in doc.user_data under the span's
character offsets, so it survives re-slicing (`doc[a:b]`, as content_sents does)
and `nlp.pipe(n_process=...)` (user_data travels with Doc.to_bytes) as long as it
is plain data: str, int, bool, list or dict, never a Token or Span. spaCy's key
has no room for two spans at the same offsets, and a quotation can cover exactly
its sentence, so the key here adds the span's id: 0 for a sentence sliced from
the Doc, the quotation's own id for a span of doc.spans["quotes"].

Each field belongs to a kind of span ("sentence", "quote"), so a reader can take
every field the components declared for it. Assign a field's value; a default
that is read and mutated in place is not kept.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from spacy.tokens import Span

NAMESPACE = "stance_builder"
_DECLARED: dict[str, list[str]] = {}  # kind -> names of its fields, in declaration order


def _key(span: Span, name: str) -> tuple:
    return (NAMESPACE, name, span.id, span.start_char, span.end_char)


def _get(span: Span, name: str, default: Any) -> Any:
    key = _key(span, name)
    if key in span.doc.user_data:
        return span.doc.user_data[key]
    return default(span) if callable(default) else copy.copy(default)


def _set(span: Span, value: Any, name: str) -> None:
    span.doc.user_data[_key(span, name)] = value


def declare(kind: str, fields: dict[str, Any]) -> None:
    """Register the fields of a kind of span as Span extensions, each with its default: a
    value, or a function of the span. A name two kinds share is one extension (its first default)."""
    names = _DECLARED.setdefault(kind, [])
    for name, default in fields.items():
        if name not in names:
            names.append(name)
        if not Span.has_extension(name):
            Span.set_extension(name, getter=functools.partial(_get, name=name, default=default), setter=functools.partial(_set, name=name))


def values(span: Span, kind: str) -> dict[str, Any]:
    """Every declared field of that kind of span, by name."""
    return {name: getattr(span._, name) for name in _DECLARED.get(kind, ())}
