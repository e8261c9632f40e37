"""Where a mention's description sits in the parse: titles, the words around a name, and the
shapes the parser gets wrong (a title split at its preposition, one plural title over a list
of names).

builder/nlp/sides.py reads a side from the tokens found here; builder/nlp/entities.py
uses the title runs to keep title words out of entities.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from builder.rules.sides import SideLexicon


# ---------------------------------------------------------------- titles


def title_runs(doc: Doc | Span, lexicon: SideLexicon) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the titles in `doc`: runs of title words and joiners with a
    head and at least two words ("Secretary of State", "Deputy National Security Adviser")."""
    runs = []
    tokens = list(doc)
    i = 0
    while i < len(tokens):
        if tokens[i].lower_ not in lexicon.title_words:
            i += 1
            continue
        j = i
        while j < len(tokens) and (tokens[j].lower_ in lexicon.title_words or (tokens[j].text in lexicon.title_joiners and j > i)):
            j += 1
        while j > i and tokens[j - 1].text in lexicon.title_joiners:
            j -= 1
        words = [t for t in tokens[i:j] if t.text not in lexicon.title_joiners]
        if len(words) >= 2 and any(t.lower_ in lexicon.title_heads for t in words):
            runs.append((tokens[i].i, tokens[j - 1].i + 1))
        i = max(j, i + 1)
    return runs


# ---------------------------------------------------------------- descriptions


def describe(mention: Span, lexicon: SideLexicon) -> list[Token]:
    """The tokens that describe `mention` in its sentence (not the mention itself): the title and
    modifiers before the name, an apposition (either way round), a relative clause or participle,
    an affiliation ("of the State Department"), a parenthetical right after it ("(D-Conn.)")."""
    doc = mention.doc
    inside = set(range(mention.start, mention.end))
    head = mention.root
    out: set[int] = set()

    def add(tok: Token, skip: set[int]) -> None:
        out.update(t.i for t in tok.subtree if t.i not in skip)

    for child in (c for t in mention for c in t.children):  # the parser hangs titles on any word of a name
        if child.i in inside:
            continue
        if child.i < mention.start and child.dep_ in lexicon.phrase_links and child.dep_ not in ("relcl", "acl", "conj"):
            add(child, inside)
        elif child.dep_ in ("appos", "relcl", "acl"):
            add(child, inside)
        elif child.dep_ == "prep" and child.lower_ in lexicon.affiliation_preps:
            add(child, inside)
    parent = head.head
    between = doc[min(parent.i, mention.start) : max(parent.i + 1, mention.start)]
    if parent.i not in inside and parent != head and is_office(parent, lexicon) and "(" not in [t.text for t in between] and (
        head.dep_ == "appos" or (head.dep_ in ("compound", "nmod") and parent.i > head.i)
    ):
        # the name is the apposition of its description: "a Kremlin spokesman, Ivan Belov"
        out.add(parent.i)
        own = {t.i for t in head.subtree}
        for child in parent.children:
            if child.i not in own and (child.dep_ in lexicon.phrase_links or child.dep_ == "prep"):
                add(child, own | inside)
    if mention.end < len(doc) and doc[mention.end].text == "(":
        for t in doc[mention.end : min(len(doc), mention.end + 10)]:
            out.add(t.i)
            if t.text == ")":
                break
    return [doc[i] for i in sorted(out - inside)]


def is_office(tok: Token, lexicon: SideLexicon) -> bool:
    return tok.lower_ in lexicon.offices or tok.lemma_.lower() in lexicon.offices


def misparsed_title(mention: Span, lexicon: SideLexicon) -> Token | None:
    """The office of a title the parser split at its preposition: in "Russian Ambassador to the
    European Union Jane Doe" the name often comes out as the object of "to"; the title is then
    "Russian Ambassador", and "the European Union" the place of the office, not its side."""
    head = mention.root
    prep = head.head
    if head.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ in lexicon.affiliation_preps:
        return None
    office = prep.head
    if office.i < mention.start and is_office(office, lexicon) and office.pos_ in ("NOUN", "PROPN"):
        return office
    return None


def _plural(tok: Token, lexicon: SideLexicon) -> bool:
    return tok.tag_ in ("NNS", "NNPS") or tok.text in lexicon.plural_titles


def list_title(mention: Span, lexicon: SideLexicon) -> tuple[list[Token], Token] | None:
    """The plural title of a list of names the mention is in: "Sens. Jane Doe, R-Texas, and John
    Roe", "the Republican representatives Ann Poe of Montana, Lara Boe of Colorado" (tokens, head)."""
    anchor, hops = mention.root, 0
    while anchor.dep_ in ("appos", "conj") and anchor.head != anchor and anchor.head.ent_type_ == "PERSON" and hops < 12:
        anchor, hops = anchor.head, hops + 1
    if not hops:
        return None
    office = anchor.head
    if anchor.dep_ == "appos" and office.i < anchor.i and is_office(office, lexicon) and _plural(office, lexicon):
        return [t for c in office.lefts for t in c.subtree] + [office], office
    titles = [c for c in anchor.lefts if c.ent_type_ != "PERSON" and _plural(c, lexicon)]
    if titles:
        return [t for c in titles for t in c.subtree], titles[-1]
    return None
