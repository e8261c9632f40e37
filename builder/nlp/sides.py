"""The side a person or body stands for, read from its own description (schemas/sides.yaml).

ANNOTATION_GUIDE "3. Side": the description decides ("Russia's deputy foreign
minister" -> RU, "a Kremlin spokesman" -> RU, "Sen." or "(D-Conn.)" -> US), never
the topic of the sentence ("an official who warned about Russia" has no side from
Russia), and independent analysts, think tanks and media have none. Unknown stays
None.

Any component can call it: `describe(mention, lexicon)` (builder/nlp/descriptions.py)
collects a mention's description in the parse (the title before the name, an
apposition, a relative clause, an affiliation, a parenthetical);
`side_from_description(tokens, lexicon)` reads a side from such tokens;
`side_of_mention` does both. The gazetteer's side of an entity always comes first:
these functions are for the rest.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable

from spacy.tokens import Doc, Span, Token

from builder.nlp.descriptions import describe, is_office, list_title, misparsed_title
from builder.rules.sides import SideLexicon

EVIDENCE = "description"


def _linked(tok: Token, lexicon: SideLexicon) -> bool:
    """Whether `tok` belongs to the phrase of its head (so a side word there describes the mention)."""
    dep = tok.dep_
    if dep == "prep":
        if tok.lower_ not in lexicon.affiliation_preps:
            return False
        h = tok.head
        return h.pos_ not in ("VERB", "AUX") or h.lemma_.lower() in lexicon.affiliation_verbs
    if dep == "pobj":
        return tok.head.lower_ in lexicon.affiliation_preps
    if dep in ("relcl", "acl"):
        return dep in lexicon.phrase_links and tok.lemma_.lower() in lexicon.affiliation_verbs
    return dep in lexicon.phrase_links


def _phrase(head: Token, idx: set[int], lexicon: SideLexicon) -> dict[int, int | None]:
    """The tokens of `idx` in the phrase of `head`, each with its parent towards `head` (BFS)."""
    doc = head.doc
    adj: dict[int, list[int]] = {i: [] for i in idx}
    for i in idx:
        t = doc[i]
        if t.head.i != i and t.head.i in idx and _linked(t, lexicon):
            adj[i].append(t.head.i)
            adj[t.head.i].append(i)
    parent: dict[int, int | None] = {head.i: None}
    queue = deque([head.i])
    while queue:
        i = queue.popleft()
        for j in adj.get(i, ()):
            if j not in parent:
                parent[j] = i
                queue.append(j)
    return parent


def _entity_tokens(tok: Token) -> range:
    """Token indices of the entity `tok` is in (just `tok` when none)."""
    if not tok.ent_iob_ or tok.ent_iob_ == "O":
        return range(tok.i, tok.i + 1)
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return range(start, end)


def _marker(tok: Token, lexicon: SideLexicon) -> tuple[str | None, bool]:
    """(side, is_body) of a word that names an actor: an entity linked to the gazetteer, a demonym."""
    gaz = lexicon.gazetteer
    entity = gaz.entities.get(tok.ent_kb_id_) if tok.ent_kb_id_ else None
    if entity is None:
        entity = gaz.by_demonym.get(tok.text)
    if entity is None and tok.ent_type_ and tok.ent_type_ != "PERSON":
        form = gaz.by_form.get(tok.text)
        entity = form if form is not None and form.type != "PERSON" else None
    if entity is None or not entity.side:
        return None, False
    return entity.side, entity.type == "ORG" and tok.ent_type_ != "NORP"


def _article_side(doc: Doc, noun: str, lexicon: SideLexicon) -> str | None:
    """The side of the "<X> administration" the article names, when it names only one side's."""
    sides = set()
    for t in doc:
        if t.lower_ != noun:
            continue
        side, _ = _marker(t, lexicon)
        if side:
            sides.add(side)
        for child in t.children:
            if child.dep_ in ("compound", "poss", "amod", "nmod"):
                side, _ = _marker(child, lexicon)
                if side:
                    sides.add(side)
    return sides.pop() if len(sides) == 1 else None


# British and American spellings of one body word ("Defence Ministry", "Defense Department")
SPELLING = {"defence": "defense"}


def _body_side(doc: Doc, word: str, lexicon: SideLexicon) -> str | None:
    """The side of the bodies of that kind the article names ("defense officials" in an article
    that names the Defense Department or the Pentagon): the gazetteer entities linked in the
    article whose name or an alias has the word, when they are all one side's."""
    gaz = lexicon.gazetteer
    want = SPELLING.get(word, word)
    sides = set()
    for kb in {e.kb_id_ for e in doc.ents if e.kb_id_ and e.label_ == "ORG"}:
        entity = gaz.entities.get(kb)
        if entity is None or not entity.side:
            continue
        forms = (entity.name, *entity.aliases)
        if any(want in (SPELLING.get(w, w) for w in f.casefold().split()) for f in forms):
            sides.add(entity.side)
    return sides.pop() if len(sides) == 1 else None


def _is_year(tok: Token) -> bool:
    return tok.ent_type_ == "DATE" or (tok.like_num and len(tok.text) >= 4 and tok.text[:2] in ("19", "20"))


def _past(tok: Token, lexicon: SideLexicon) -> bool:
    """An office held no more: "former"/"retired" on it, or dated to a period ("from 2003 to 2005")."""
    for c in tok.children:
        if c.lower_ in lexicon.past:
            return True
        if c.dep_ == "prep" and c.lower_ in lexicon.past_periods and any(_is_year(o) for o in c.subtree if o is not c):
            return True
    # the parser often hangs the period on the verb: read the words right after the office's phrase
    doc, after = tok.doc, tok.right_edge.i + 1
    return after + 1 < len(doc) and doc[after].lower_ in lexicon.past_periods and _is_year(doc[after + 1])


def side_from_description(
    tokens: Iterable[Token], lexicon: SideLexicon, head: Token | None = None
) -> tuple[str | None, str | None]:
    """(side, "description") from the words that describe a mention, or (None, None).

    `tokens`: the mention and its description (see `describe`); `head`: the mention's
    head token (default: the token of `tokens` whose head lies outside them). Only the
    words in the head's own phrase count (linked by `phrase_links` and affiliation
    prepositions), so a country in the sentence's topic gives nothing. A nationality or an
    institution gives the side when the phrase names a current office ("minister",
    "spokesman", "ministry"), or when it is itself a body ("of the State Department");
    independent roles and media ("analyst", "think tank", "former official") give None;
    else US legislators by title or party ("Sen.", "a Republican of Texas", "(D-Conn.)"),
    then "the administration" when the article names only one side's."""
    toks = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    if not toks:
        return None, None
    doc = toks[0].doc
    idx = {t.i for t in toks}
    if head is None or head.i not in idx:
        head = next((t for t in toks if t.head.i not in idx or t.head == t), toks[0])
    parent = _phrase(head, idx, lexicon)
    words = [doc[i] for i in sorted(parent)]
    own = set(_entity_tokens(head))
    lowers = [t.lower_ for t in words]
    # independent: an independent role in the phrase, unless it is a past one ("a former journalist")
    if any(t.lower_ in lexicon.independent and not _past(t, lexicon) for t in words):
        return None, None
    if any(tuple(lowers[k : k + len(p)]) == p for p in lexicon.independent_phrases for k in range(len(lowers))):
        return None, None
    title_start = head.i
    while title_start - 1 in parent and title_start - 1 not in own:
        title_start -= 1  # the title right before the name: "Former Secretary of State"
    if any(t.lower_ in lexicon.past and (t.head == head or t.head.i in own or title_start <= t.i < head.i) for t in words):
        return None, None  # "former Secretary of State Jane Doe" speaks for herself
    if any(_past(doc[i], lexicon) for i in own):
        return None, None  # "Jane Doe, prime minister from 2003 to 2005"
    offices = [t for t in words if is_office(t, lexicon)]
    current = [t for t in offices if not _past(t, lexicon)]

    def depth(i: int) -> int:
        d = 0
        while parent[i] is not None:
            i, d = parent[i], d + 1
        return d

    def offices_above(i: int) -> list[Token]:
        out = []
        while i is not None:
            if is_office(doc[i], lexicon):
                out.append(doc[i])
            i = parent[i]
        return out

    found: list[tuple[int, int, str]] = []
    for t in words:
        if t.i in own and head.ent_kb_id_:
            continue  # the mention's own gazetteer entity is not its description
        side, body = _marker(t, lexicon)
        if side is None:
            continue
        above = offices_above(t.i)
        if any(_past(o, lexicon) for o in above):
            continue  # "a former US ambassador", "former head of the Ukrainian security council"
        if above or current or body:
            found.append((depth(t.i), t.i, side))
    for k, t in enumerate(words):
        if t.i in own and head.ent_kb_id_:
            continue
        for phrase, side in lexicon.descriptors:
            if tuple(lowers[k : k + len(phrase)]) == phrase and all(
                words[k + m].i == t.i + m for m in range(len(phrase)) if k + m < len(words)
            ) and not any(_past(o, lexicon) for m in range(len(phrase)) for o in offices_above(t.i + m)):
                found.append((depth(t.i), t.i, side))
    if found:
        return min(found)[2], EVIDENCE
    if head.ent_type_ == "ORG":
        return None, None  # titles and parties describe people: the Republican Party is no government
    for t in words:
        side = lexicon.legislators.get(t.text) or lexicon.parties.get(t.text)
        if side and not _past(t, lexicon):
            return side, EVIDENCE
    text = doc.text[toks[0].idx : toks[-1].idx + len(toks[-1])]
    for pattern, side in lexicon.party_codes:
        if pattern.search(text):
            return side, EVIDENCE
    for t in current:
        # "the administration", "an administration official"; not a named one ("Presidential Administration")
        if t.lower_ in lexicon.named_by_article and not any(c.dep_ in ("amod", "compound", "poss") for c in t.children):
            side = _article_side(doc, t.lower_, lexicon)
            if side:
                return side, EVIDENCE
    for t in words:
        # "two defense officials": a body word of a title (a noun of sides.yaml `titles`) on a
        # current office, the body the article names
        if t.dep_ == "compound" and t.pos_ == "NOUN" and t.lower_ in lexicon.title_words and t not in current and t.head in current and not t.ent_type_:
            side = _body_side(doc, t.lower_, lexicon)
            if side:
                return side, EVIDENCE
    return None, None


def side_of_mention(mention: Span, lexicon: SideLexicon) -> tuple[str | None, str | None]:
    """The side of a mention from its description in the parse: `describe` and
    `side_from_description`, plus two shapes the parser gets wrong: a title split at its
    preposition ("Russian Ambassador to the EU Jane Doe") and a list of names under one plural
    title ("Sens. Jane Doe, R-Texas, and John Roe, D-Md.")."""
    office = misparsed_title(mention, lexicon)
    if office is not None:
        title = [t for c in office.lefts for t in c.subtree] + [office]
        return side_from_description(title, lexicon, head=office)
    found = side_from_description([*mention, *describe(mention, lexicon)], lexicon, head=mention.root)
    if found[0] is None:
        listed = list_title(mention, lexicon)
        if listed is not None:
            return side_from_description(listed[0], lexicon, head=listed[1])
    return found
