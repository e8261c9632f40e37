"""Persons and affiliations as the article names them: bare names, the titles they are given,
the side their words or the gazetteer give them, and what a sentence tells about them for
later sentences (full names, gender, roles, antecedents of "he"/"she")."""

from __future__ import annotations

from spacy.tokens import Span, Token

from builder.nlp.quotes.context import DocContext
from builder.nlp.quotes.marks import inside
from builder.nlp.quotes.state import AMBIGUOUS, Speaker
from builder.nlp.sides import side_from_description
from builder.rules.gazetteer import Entity


def entity_value(ent: Span, key: str):
    """What the entities component found for an entity (canonical name, id, side), if it ran."""
    return getattr(ent._, key) if Span.has_extension(key) else None


def country(ctx: DocContext, side: str | None) -> Entity | None:
    return ctx.rules.country_of_side.get(side) if side else None


def government(ctx: DocContext, entity: Entity) -> Entity:
    """A capital speaks for its country: "Moscow said" is the Russian government."""
    if entity.type == "GPE" and not entity.demonyms and country(ctx, entity.side):
        return country(ctx, entity.side)
    return entity


def side_from_words(ctx: DocContext, tokens: list[Token]) -> str | None:
    """Side from entities, demonyms or descriptor phrases inside the noun phrase only."""
    for ent in ctx.ents.starting_in(tokens):
        side = ctx.gaz.side_of(ent.kb_id_ or None)
        if side:
            return side
    text = " ".join(t.text for t in tokens).lower()
    for phrase, entity in ctx.gaz.by_descriptor.items():
        if f" {phrase} " in f" {text} " and entity.side:
            return entity.side
    return country_referred(ctx, tokens)  # "the country's foreign ministry"


def title_side(ctx: DocContext, ent: Span, title: list[Token]) -> str | None:
    """The side the title and apposition of a person give, read as every description is
    (builder/nlp/sides.py): a nationality counts on an office ("a Ukrainian army officer"),
    not on a private person ("an American businessman who lives in Kyiv" stands for no one)."""
    side = side_from_description([*ent, *title], ctx.rules.sides, head=ent.root)[0]
    if side is None and any(t.i < ent.start for t in title):
        side = country_referred(ctx, title)  # "the country's former president, Petro Poroshenko"
    return side


# "the country's", "the nation's": the country the article named just before
COUNTRY_WORDS = frozenset({"country", "nation"})


def country_referred(ctx: DocContext, tokens: list[Token]) -> str | None:
    """The side of the country "the country's" refers to: the last country named before it, in
    its sentence or the one before (the one country of a side, so "Kyiv" counts as Ukraine)."""
    word = next((t for t in tokens if t.lower_ in COUNTRY_WORDS and any(c.dep_ == "case" for c in t.children)), None)
    if word is None:
        return None
    sent = word.sent
    start = word.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    for ent in reversed(ctx.ents.within(start, word.i)):
        if ent.label_ == "GPE" and ent.kb_id_ and country(ctx, ctx.gaz.side_of(ent.kb_id_)) is not None:
            return ctx.gaz.side_of(ent.kb_id_)
    return None


def short_name(entity: Entity) -> str:
    """How a descriptor names an affiliation: an acronym alias, else the name ("NSC", "White House")."""
    acronyms = [a for a in entity.aliases if a.isupper() and a.isalpha() and len(a) <= 5]
    if acronyms:
        return min(acronyms, key=len)
    if entity.type == "GPE" and entity.demonyms:
        return entity.demonyms[0]
    return entity.name


def bare_name(ctx: DocContext, ent: Span) -> str:
    """A person's name without the titles before it ("Sen.", "President"); a title word is
    part of the name when it is the surname ("Billie Jean King", "Charlie King")."""
    toks = list(ent)
    while len(toks) > 1 and toks[0].text in ctx.rules.strip_words:
        toks.pop(0)
    for k, t in enumerate(toks[1:], start=1):
        if t.pos_ in ("VERB", "AUX", "ADP", "CCONJ") and not t.is_title:
            toks = toks[:k]  # "Shaheen told Pannell": the name ends where the verb starts
            break
    return " ".join(t.text for t in toks)


def title_tokens(ent: Span, sent: Span) -> list[Token]:
    """The words that title a person where the article names them: before the name ("U.S.
    Ambassador to the UN Linda Thomas-Greenfield") and in an apposition either way round."""
    doc = ent.doc
    words = []
    i = ent.start - 1
    while i >= sent.start and ent.start - i <= 8 and (doc[i].is_title or doc[i].lower_ in ("of", "to", "the", "for") or doc[i].ent_type_ in ("GPE", "NORP", "ORG")):
        words.insert(0, doc[i])
        i -= 1
    for t in ent.root.children:
        if t.dep_ == "appos":
            words += [x for x in t.subtree if x.i < t.i + 1]
    if ent.root.dep_ == "appos" and ent.root.head.i < ent.start:
        words += [x for x in ent.root.head.subtree if x.i <= ent.root.head.i]
    return words


def titles_of(ctx: DocContext, ent: Span, sent: Span) -> list[str]:
    """The roles a person is given where the article names them: title words just before the
    name ("U.S. Ambassador to the UN Linda Thomas-Greenfield") or an apposition ("Linda
    Thomas-Greenfield, the US ambassador"); a qualifier stays with its role ("vice president")."""
    lex = ctx.lex
    words = title_tokens(ent, sent)
    roles = [t.lemma_.lower() for t in ent.root.children if t.dep_ == "appos" and t.pos_ == "NOUN"]  # "Piet Halloran, a senior engineer": an engineer
    for k, t in enumerate(words):
        lemma = t.lower_.rstrip(".")
        if lemma in lex.role_titles:
            prev = words[k - 1] if k else None
            # a qualifier or the first word of a compound title stays with the role: "vice
            # president", "attorney general", "majority leader" (a side word does not: "U.S.")
            keep = prev is not None and (prev.lower_ in lex.role_qualifiers or (prev.is_title and not prev.ent_type_ and prev.lower_ not in ("the", "of", "to", "for")))
            roles.append(f"{prev.lower_} {lemma}" if keep else lemma)
    return roles


def person(ctx: DocContext, ent: Span, np_tokens: list[Token]) -> Speaker:
    """The person an entity names, with the side of the gazetteer, of the entities component,
    of the title in this noun phrase, or of an earlier mention of the same name."""
    gaz, state = ctx.gaz, ctx.state
    title = [t for t in np_tokens if t.i < ent.start or t.i >= ent.end]
    independent = any(t.lower_ in ctx.lex.independent_roles for t in title)
    if ent.kb_id_ and ent.kb_id_ in gaz.entities:
        entity = gaz.entities[ent.kb_id_]
        side = None if independent else entity.side or title_side(ctx, ent, title)
        return Speaker(entity.name, entity.id, side, "person", side_evidence="gazetteer" if entity.side else "description")
    name = bare_name(ctx, ent)
    words = name.split()
    if len(words) == 1 and name in state.full_names:
        name = state.full_names[name]  # "Ms Petrenko" after "Olena Petrenko"
    canonical = entity_value(ent, "canonical")
    if canonical and len(canonical.split()) >= len(name.split()):
        name = canonical  # the fullest form the article uses, aliases resolved (builder/nlp/entities.py)
    if independent:
        return Speaker(name, entity_value(ent, "entity_id"), None, "person")
    side, evidence = entity_value(ent, "side"), entity_value(ent, "side_evidence")
    if side is None:  # the title in this very noun phrase ("Ukraine's foreign minister Jane Doe")
        side = title_side(ctx, ent, title)
        evidence = "description" if side else None
    if side is None:
        earlier = next((sp for sp in reversed(state.speakers) if sp.name == name and sp.side), None)
        if earlier is not None:
            side, evidence = earlier.side, earlier.side_evidence
    return Speaker(name, entity_value(ent, "entity_id"), side, "person", side_evidence=evidence)


def _one_person(ctx: DocContext, speaker: Speaker) -> bool:
    """A descriptor that names one person ("the official", "a Ukrainian diplomat"), not a group or
    a body: a later "he"/"she" may be them."""
    lex, role = ctx.lex, speaker.role or ""
    return speaker.kind == "descriptor" and role in lex.role_nouns and not role.endswith("s") and role not in lex.organisation_nouns \
        and role not in lex.document_nouns and role not in lex.government_nouns


def note_persons(ctx: DocContext, sent: Span, in_sent: list[tuple[int, int]], speaker: Speaker | None) -> None:
    """Remember the persons a sentence names: full names for later surnames, antecedents for 'he'/'she'."""
    state = ctx.state
    ranked: list[tuple[float, int, Speaker]] = []
    if speaker is not None and speaker.kind == "person":
        ranked.append((0, 0, speaker))
        words = speaker.name.split()
        if len(words) > 1 and speaker.entity_id is None and len(speaker.name) > len(state.full_names.get(words[-1], "")):
            state.full_names[words[-1]] = speaker.name  # a name the model did not tag ("Governor Ana Ruiz")
    elif speaker is not None and _one_person(ctx, speaker):
        # "the official added ... '...,' he said": an unnamed person speaks on, after the persons
        # the sentence makes subjects ("Putin warned ..., an aide said. He told Biden ...": Putin)
        ranked.append((1.5, 0, speaker))
    for ent in ctx.ents.within(sent.start, sent.end):
        if ent.label_ != "PERSON":
            continue
        if len(ent) > 1 and not ent.kb_id_:
            full = bare_name(ctx, ent)  # the fullest form the article uses is the name
            surname = full.split()[-1]
            if len(full.split()) > 1 and len(full) > len(state.full_names.get(surname, "")):
                state.full_names[surname] = full
        named = person(ctx, ent, list(ent))
        before = ent.doc[ent.start - 1].lower_.rstrip(".") if ent.start > sent.start else ""
        titled = [t for t in title_tokens(ent, sent)] + [c for c in ent.root.children if c.i < ent.start and c.dep_ in ("compound", "amod")]
        stated = [ctx.lex.title_gender[w] for w in [before] + [t.lower_.rstrip(".") for t in titled] if w in ctx.lex.title_gender]
        if stated and len(set(stated)) == 1:  # "Mr. Doe", "actress Jane Doe", "Doe, the congresswoman"
            state.gender.setdefault(named.name, stated[0])
        state.title_words.setdefault(named.name, set()).update(t.lower_.rstrip(".") for t in title_tokens(ent, sent))
        for role in titles_of(ctx, ent, sent):
            held = state.roles.get(role)
            # a role two people hold in the article names neither ("the president" after two presidents)
            state.roles[role] = named if held is None or held.name == named.name else AMBIGUOUS
            holders = state.holders.setdefault(role, [])
            if all(h.name != named.name for h in holders):
                holders.append(named)
            state.titles.setdefault(named.name, set()).add(role)
        is_subject = ent.root.dep_ in ("nsubj", "nsubjpass")
        if inside(ent.start_char, in_sent):
            continue  # named inside a quotation: the quoted words' subject, not a later "he said"
        ranked.append((1 if is_subject else 2, ent.start, named))
    seen: set[str] = set()
    here = []
    for _, _, named in sorted(ranked, key=lambda r: (r[0], r[1])):
        if named.name not in seen:
            seen.add(named.name)
            here.append(named)
    state.mentions.append(here)
