"""The speaker a subject noun phrase names: a person, an institution, a descriptor of an
unnamed source ("a senior US official"), or an earlier source a pronoun or "the official"
refers to."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from builder.nlp.quotes.context import DocContext
from builder.nlp.quotes.cues import np_tokens
from builder.nlp.quotes.people import country, entity_value, government, person, short_name, side_from_words
from builder.nlp.quotes.roles import titled_person
from builder.nlp.quotes.state import Speaker
from builder.nlp.sides import side_from_description

SUBJECTS = {"nsubj", "nsubjpass"}
# modifiers that pick one of a source the article already gave ("the first official", "the same
# official" after "two defense officials"): English anaphora, not a lexicon to tune
REFERRING = frozenset({"first", "second", "third", "same", "other", "latter"})
# participles that name an office or rank, kept in a descriptor (others are dropped: "stunned", "worried")
OFFICE_PARTICIPLES = frozenset({"elected", "appointed", "ranking", "serving", "ruling", "governing", "visiting",
                                "designated", "nominated", "commanding", "presiding", "leading"})
# how many of a group: "two defense officials" said; one of them is a "defense official"
# months and weekdays, which the small model does not always tag as dates ("the January statement")
CALENDAR = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                      "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
# how many sentences back "the assessment said" looks for the assessment an author was named for
DOCUMENT_REACH = 6
# words that keep "the ... assessment" the one named before ("the new assessment"); "the joint statement" is another
SAME_DOCUMENT = frozenset({"new", "latest", "same", "full", "written", "final", "updated"})
# a bare quantifier as a subject is an unnamed group of sources ("some said", "others argue")
QUANTIFIER_SOURCES = frozenset({"some", "many", "others", "several", "most", "few"})
COUNTS = frozenset({"two", "three", "four", "five", "six", "several", "multiple", "many", "some", "both", "few", "a", "number", "of"})


def speaker_from_np(ctx: DocContext, tokens: list[Token], sent: Span) -> Speaker | None:
    """The speaker a subject noun phrase names, with the offsets of that mention."""
    if not tokens:
        return None
    lex, gaz, state = ctx.lex, ctx.gaz, ctx.state
    head = next((t for t in tokens if t.head not in tokens or t.head == t), tokens[0])
    lower = head.lower_
    if lower in QUANTIFIER_SOURCES and len(tokens) == 1:
        # "some have speculated ...", "others said": an unnamed group, by the word that names it
        return Speaker(lower, None, None, "descriptor", lower, "explicit", start=head.idx, end=head.idx + len(head))
    if head.pos_ == "PRON":
        sp = _pronoun(ctx, lower, sent, head)
        return sp.at(head.idx, head.idx + len(head)) if sp is not None else None
    span = (tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
    author = _author(ctx, head, tokens)
    if author:
        found = speaker_from_np(ctx, author, sent)
        if found is not None:
            state.documents[head.lemma_.lower()] = (found, len(state.mentions))
        return found
    earlier = state.documents.get(head.lemma_.lower()) if head.lemma_.lower() in lex.document_nouns else None
    same = len(tokens) == 2 or (len(tokens) == 3 and tokens[1].lower_ in SAME_DOCUMENT)
    if earlier is not None and same and tokens[0].lower_ == "the" and len(state.mentions) - earlier[1] <= DOCUMENT_REACH:
        state.documents[head.lemma_.lower()] = (earlier[0], len(state.mentions))  # named again: the reach starts anew
        return earlier[0].at(*span, "coreference")  # "the assessment said": the author of the one named just before
    ents = ctx.ents.starting_in(tokens)
    outlet = _outlet(ctx, head, ents)
    if outlet is not None:
        return outlet
    persons = [e for e in ents if e.label_ == "PERSON" and _names_head(e, head)]
    if not persons and head.lemma_.lower() in lex.role_titles:
        # a title without an article ends in the name: "U.S. ambassador to the U.N. Linda
        # Thomas-Greenfield" (unlike "a spokesman for Joe Biden", whose article makes it a role);
        # with an article, when the place of the office comes between ("the top US diplomat in
        # Kenya Jane Doe"; the parser files the name under the place)
        last = [e for e in ents if e.label_ == "PERSON" and e.end == tokens[-1].i + 1 and e.start > head.i]
        if last and (not any(c.dep_ == "det" for c in head.children) or head.doc[last[-1].start - 1].ent_type_ in ("GPE", "LOC", "ORG")):
            persons = last[-1:]
    if not persons and head.pos_ == "NOUN":
        # "a spokesman for the port, Davor Linde": an unlisted name in apposition to a common
        # noun is a person, whatever label the small model gave it
        persons = [e for e in ents if not e.kb_id_ and e.label_ in ("ORG", "GPE", "NORP") and e.start > head.i
                   and len(e) > 1 and all(t.is_title for t in e) and _names_head(e, head)]
    if persons:
        # the person is the speaker even behind a title: "Russia's deputy envoy, Dmitry Polyanskiy"
        named = persons[0]
        found = person(ctx, named, tokens).at(named.start_char, named.end_char)
        if head.pos_ == "NOUN" and head.i < named.start and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            # "the resident, Karl Biro": kept with the description's own words ("the Kremlin spokesman")
            words = frozenset(t.lower_ for t in tokens if t.i < head.i and not t.is_punct and t.lower_ != "the")
            state.named_roles.setdefault(head.lemma_.lower(), []).append((found, words))
        return found
    if lower in lex.government_nouns or head.lemma_.lower() in lex.government_nouns:
        found = country(ctx, side_from_words(ctx, tokens))
        if found:
            return Speaker(found.name, found.id, found.side, "institution", start=span[0], end=span[1], side_evidence="description")
    head_ent = next((e for e in ents if e.start <= head.i < e.end), None)
    surname = state.full_names.get(head.text) if head.pos_ == "PROPN" and len(head_ent or [head]) == 1 else None
    if surname is not None:
        # a surname the small model did not tag as a person, after the full name: "Weaver said"
        earlier = next((sp for sp in reversed(state.speakers) if sp.name == surname), None)
        side = earlier.side if earlier is not None else None
        return Speaker(surname, None, side, "person", start=head.idx, end=head.idx + len(head),
                       side_evidence=earlier.side_evidence if earlier is not None else None)
    if head_ent is not None and head_ent.kb_id_ and head_ent.label_ != "NORP":
        entity = government(ctx, gaz.entities[head_ent.kb_id_])
        return Speaker(entity.name, entity.id, entity.side, "institution", start=head_ent.start_char, end=head_ent.end_char, side_evidence="gazetteer")
    if head_ent is not None and head_ent.label_ != "NORP":
        side = entity_value(head_ent, "side")  # an unlisted body's side from its own words ("Ukraine's Marine Corps")
        return Speaker(head_ent.text, entity_value(head_ent, "entity_id"), side, "institution", start=head_ent.start_char,
                       end=head_ent.end_char, side_evidence="description" if side else None)
    named_body = _named_body(ctx, head, tokens)
    if named_body is not None:
        return named_body.at(*span)
    if lower in lex.role_nouns or head.lemma_.lower() in lex.role_nouns or head.lemma_.lower() in lex.role_titles:
        return _descriptor(ctx, head, tokens).at(*span)
    if head.lemma_.lower() in lex.partitives:
        # "one of the officials", "a majority of Americans", "40 percent of respondents"
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if obj is not None:
            return speaker_from_np(ctx, np_tokens(obj), sent)
    if head.lemma_.lower() in lex.not_sources:
        return None  # "the figures suggest", "the move signals": no one's words
    if lower in ("one", "another") and len(tokens) == 1:
        group = _group_before(ctx, head)
        if group is not None:
            return group.at(*span, "coreference")  # "... left Ukrainian officials aghast. One told CNN ..."
    unlisted = _untagged_name(ctx, head, tokens)
    if unlisted is not None:
        return unlisted
    if head.pos_ in ("NOUN", "PROPN", "NUM") and lower not in lex.non_referential:
        # any other noun phrase is a source in its own words: "critics", "police", "the Clinton
        # campaign", "some Americans" (people of a country, not its government: no side), poll
        # shares ("a third said", "three-quarters said")
        side = side_from_description(tokens, ctx.rules.sides, head=head)[0]  # "Senate Republicans" -> US
        definite = any(c.dep_ == "det" and c.lower_ == "the" for c in head.children) and len(tokens) == 2
        # "the engineer said" may be someone the article names later ("X, a senior engineer")
        return Speaker(_plain_name(ctx, head, tokens), None, side, "descriptor", head.lemma_.lower(), "forward" if definite else "explicit",
                       start=span[0], end=span[1], side_evidence="description" if side else None)
    return None


def _author(ctx: DocContext, head: Token, tokens: list[Token]) -> list[Token]:
    """The author's words of a document that speaks ("A White House readout of the call said",
    "Price's written readout", "a letter from the council"): its possessor, the proper-noun
    compound before it, or what it comes from."""
    if head.lemma_.lower() not in ctx.lex.document_nouns or head.ent_type_ in ("ORG", "PERSON", "WORK_OF_ART"):
        return []  # "The Washington Post", "the Daily Mail" are names, not documents
    # "a post by Zelensky", "a letter from the harbour authority" first: the platform or the date
    # before the noun ("a Facebook post", "the January statement") is no author
    source = next((c for c in head.rights if (c.dep_ == "prep" and c.lower_ in ("by", "from")) or c.dep_ == "agent"), None)
    owner = next((c for c in source.children if c.dep_ == "pobj"), None) if source is not None else None
    if owner is None:
        owner = next((c for c in head.lefts if c.dep_ == "poss"), None)
    if owner is None:
        owner = next((c for c in head.lefts if c.dep_ == "compound" and (c.pos_ == "PROPN" or c.ent_type_ == "ORG")
                      and c.ent_type_ not in ("DATE", "TIME") and c.lower_ not in CALENDAR), None)
    if owner is None:
        return []
    return [t for t in owner.subtree if t.dep_ != "case" and t in tokens]


def _outlet(ctx: DocContext, head: Token, ents: list[Span]) -> Speaker | None:
    """A news outlet by its name, not its description: "state-run Interfax news agency", "the
    state broadcaster Rossiya" (the name a compound or apposition of the outlet noun)."""
    if head.lemma_.lower() not in ctx.lex.outlet_nouns or head.pos_ != "NOUN":
        return None
    named = [e for e in ents if e.label_ in ("ORG", "PERSON", "WORK_OF_ART", "PRODUCT", "FAC") and e.root.head == head
             and e.root.dep_ in ("compound", "appos", "nmod")]
    if not named:
        return None
    ent = named[0]
    if ent.kb_id_:
        entity = ctx.gaz.entities[ent.kb_id_]
        return Speaker(entity.name, entity.id, entity.side, "institution", start=ent.start_char, end=ent.end_char,
                       side_evidence="gazetteer" if entity.side else None)
    return Speaker(ent.text, entity_value(ent, "entity_id"), None, "institution", start=ent.start_char, end=ent.end_char)


def _qualifier(ctx: DocContext, head: Token) -> str:
    """The words after an unnamed source that say which one it is: " familiar with the matter",
    " close to the talks" (cut at a comma; at most six words)."""
    for child in head.rights:
        if child.lower_ in ctx.lex.source_qualifiers and child.dep_ in ("amod", "acl") and not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children):
            words = [t for t in child.subtree if t.i >= child.i]
            cut = next((k for k, t in enumerate(words) if t.is_punct), len(words))
            words = words[:cut]
            if 1 < len(words) <= 6:
                return " " + head.doc[words[0].i : words[-1].i + 1].text
    return ""


def _untagged_name(ctx: DocContext, head: Token, tokens: list[Token]) -> Speaker | None:
    """"Governor Ana Ruiz said" when the small model tagged no entity: a title and two to four
    capitalised proper nouns ending in the head are a person's name, the title dropped."""
    if head.pos_ != "PROPN" or not head.is_title or any(e.start <= head.i < e.end for e in ctx.ents.starting_in(tokens)):
        return None
    chain = [t for t in tokens if t.i <= head.i and (t == head or (t.dep_ == "compound" and t.head == head))]
    if [t.i for t in chain] != list(range(chain[0].i, head.i + 1)):
        return None
    titles = [t for t in chain if t.text in ctx.rules.strip_words]
    words = [t for t in chain if t.text not in ctx.rules.strip_words]
    if not titles or chain[: len(titles)] != titles or not 2 <= len(words) <= 4 or not all(t.is_title and t.pos_ == "PROPN" for t in words):
        return None
    name = " ".join(t.text for t in words)
    side, evidence = side_from_description(tokens, ctx.rules.sides, head=head)[0], "description"
    return Speaker(name, None, side, "person", start=words[0].idx, end=head.idx + len(head), side_evidence=evidence if side else None)


def _named_body(ctx: DocContext, head: Token, tokens: list[Token]) -> Speaker | None:
    """"the department said" after "the Treasury Department", "the foreign ministry said" after
    "the Russian Foreign Ministry": a definite organisation noun (with the modifiers it had) is
    the organisation named last before it whose name ends in those words (English definite
    anaphora; with no such name it stays a descriptor)."""
    if len(tokens) < 2 or tokens[0].lower_ != "the" or tokens[-1] != head or head.lower_ not in ctx.lex.organisation_nouns:
        return None
    words = [t.lower_ for t in tokens[1:]]  # "the foreign ministry" after "the Russian Foreign Ministry"
    if any(t.ent_type_ or t.pos_ not in ("ADJ", "NOUN", "PROPN") for t in tokens[1:-1]):
        return None  # "the Russian ministry" names its own side: not a back-reference
    ent = _body_named_before(ctx, words, head.i)
    if ent is None:
        return None
    if ent.kb_id_ and ent.kb_id_ in ctx.gaz.entities:
        entity = ctx.gaz.entities[ent.kb_id_]
        return Speaker(entity.name, entity.id, entity.side, "institution", resolution="coreference",
                       side_evidence="gazetteer" if entity.side else None)
    side = side_from_description(list(ent), ctx.rules.sides, head=ent.root)[0]
    return Speaker(ent.text, None, side, "institution", resolution="coreference", side_evidence="description" if side else None)


def _body_named_before(ctx: DocContext, words: list[str], before: int) -> Span | None:
    """The organisation named last before token `before` whose name ends in `words` (lower case)."""
    prior = [e for e in ctx.ents.ents if e.end <= before and e.label_ == "ORG" and len(e) >= len(words)
             and [t.lower_ for t in e[len(e) - len(words):]] == words]
    return prior[-1] if prior else None


def _affiliation_side(ctx: DocContext, head: Token, tokens: list[Token]) -> str | None:
    """"a senior foreign ministry official" after "Russia's Foreign Ministry": the side of the
    organisation named last before whose name ends in the descriptor's organisation words."""
    org = next((t for t in tokens if t.i < head.i and t.lower_ in ctx.lex.organisation_nouns and not t.ent_type_), None)
    if org is None:
        return None
    words = [org.lower_]
    k = org.i - 1
    while k >= tokens[0].i and head.doc[k].dep_ in ("compound", "amod") and head.doc[k].pos_ in ("ADJ", "NOUN", "PROPN") \
            and not head.doc[k].ent_type_ and head.doc[k].head.i in (org.i, k + 1, head.i):
        words.insert(0, head.doc[k].lower_)
        k -= 1
    # the longest run of the name first ("senior interior ministry" is no name; "interior
    # ministry" is); a bare "ministry official" may be any ministry's
    ent = next((e for n in range(len(words), 1, -1) if (e := _body_named_before(ctx, words[-n:], tokens[0].i)) is not None), None)
    if ent is None:
        return None
    if ent.kb_id_ and ent.kb_id_ in ctx.gaz.entities:
        return ctx.gaz.entities[ent.kb_id_].side
    # an unlisted body: the side its own words gave it ("Moldova's Interior Ministry")
    return entity_value(ent, "side") or side_from_description(np_tokens(ent.root), ctx.rules.sides, head=ent.root)[0]


def _names_head(named: Span, head: Token) -> bool:
    """The person is the noun phrase's head or its appositive ("the envoy, Dmitry Polyanskiy"),
    not a modifier ("a spokesperson for Joe Biden's administration")."""
    if named.start <= head.i < named.end:
        return True
    return any(t.dep_ == "appos" and t.head == head for t in named)


def _plain_name(ctx: DocContext, head: Token, tokens: list[Token]) -> str:
    """A short descriptor in the article's words: the head and its modifiers, no determiner."""
    words = _modifier_words(ctx, head, tokens).split()
    return " ".join(words + [head.text if head.pos_ == "PROPN" or head.is_upper else head.lower_]) + _qualifier(ctx, head)


def _descriptor(ctx: DocContext, head: Token, tokens: list[Token]) -> Speaker:
    """An unnamed source by its role and affiliation ("senior administration official", "NSC
    spokesperson"), or the earlier source or titled person "the official" refers to."""
    lex, gaz = ctx.lex, ctx.gaz
    role = head.text.lower()
    determiner = next((t.lower_ for t in tokens if t.dep_ == "det" and t.head == head), None)
    affil_tokens = [t for t in tokens if t != head]
    ents = [e for e in ctx.ents.starting_in(affil_tokens) if e.kb_id_]
    org_ref = [t for t in affil_tokens if t.lower_ in lex.organisation_nouns and t.head.dep_ == "prep"]
    if not ents and org_ref:
        # "a representative for the organisation": the organisation named last before it
        prior = [e for e in ctx.ents.ents if e.end <= org_ref[0].i and e.kb_id_ and e.label_ == "ORG"]
        if prior:
            ents = [prior[-1]]
    titled = titled_person(ctx, head, tokens, determiner)
    if titled is not None:
        return titled
    forward = False
    modifiers = _modifier_words(ctx, head, tokens)
    referring = [t for t in tokens if t.i < head.i and t.lower_ in REFERRING]
    own = [w for w in modifiers.split() if w.lower() not in REFERRING]
    if determiner == "the" and (referring or (not ents and not side_from_words(ctx, affil_tokens))):
        # a descriptor with modifiers of its own is that source unless an earlier one has them too
        earlier = ctx.state.back_reference(role, lex.role_synonyms, own)
        if earlier is not None:
            return _one_of(ctx, earlier, head).at(None, None, "coreference")
        # "the official said" before the article introduces its source: a later "a US official"
        # may resolve it (see drafts.forward_references); else the descriptor stands as it is
        forward = not own
        modifiers = " ".join(own)
    affil = None
    gov = [t for t in affil_tokens if t.lower_ in lex.government_nouns]
    poss_person = [e for e in ctx.ents.starting_in(affil_tokens) if e.label_ == "PERSON"]
    if modifiers:
        affil = modifiers  # "a senior administration official", "a US official", "the NSC spokesperson"
    elif gov and poss_person:
        affil = f"{poss_person[-1][-1].text} {gov[0].lower_}"  # "a spokesperson for Joe Biden's administration"
    elif ents:
        best = sorted(ents, key=lambda e: (gaz.entities[e.kb_id_].type != "ORG", -e.start))[0]
        affil = short_name(gaz.entities[best.kb_id_])
    else:
        norp = [t for t in affil_tokens if t.ent_type_ == "NORP"]
        if norp:
            affil = norp[0].text
    side = side_from_words(ctx, tokens)
    if not side and ents:
        side = gaz.side_of(ents[0].kb_id_)
    if not side:  # "Sen. ...", "a Republican of Texas", "the administration" (builder/nlp/sides.py)
        side = side_from_description(tokens, ctx.rules.sides, head=head)[0]
    if not side:
        side = _affiliation_side(ctx, head, tokens)
    joined = {gaz.side_of(e.kb_id_) for e in ents if e.end <= head.i} if any(t.dep_ == "cc" and t.i < head.i for t in tokens) else set()
    if role in lex.independent_roles or len(joined - {None}) > 1:
        side = None  # independent; or "Ukrainian and US officials", who speak for no one side
    name = (f"{affil} {role}" if affil else role) + _qualifier(ctx, head)
    return Speaker(name, None, side, "descriptor", role, "forward" if forward else "explicit", side_evidence="description")


def _group_before(ctx: DocContext, head: Token) -> Speaker | None:
    """'One' alone as a subject is one of the group of sources named last, in this sentence or
    the one before: "Ukrainian officials ... One told CNN" is a Ukrainian official."""
    doc = head.doc
    sent = head.sent
    start = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    for tok in reversed(doc[start : head.i]):
        if tok.tag_ == "NNS" and tok.lower_ in ctx.lex.role_nouns:
            return _one_of(ctx, _descriptor(ctx, tok, np_tokens(tok)), head)
    return None


def _one_of(ctx: DocContext, earlier: Speaker, head: Token) -> Speaker:
    """A singular reference to a group source names one of it: "the official" after "two defense
    officials" is a "defense official" (its count dropped, its role singular)."""
    role = earlier.role or ""
    if (head.tag_ != "NN" and head.lower_ not in ("one", "another")) or not role.endswith("s") or role[:-1] not in ctx.lex.role_nouns:
        return earlier
    words = earlier.name.split()
    while words and (words[0].lower() in COUNTS or words[0].isdigit()):
        words.pop(0)
    if words and words[-1].lower() == role:
        words[-1] = role[:-1]
    return replace(earlier, name=" ".join(words) or role[:-1], role=role[:-1])


def _modifier_words(ctx: DocContext, head: Token, tokens: list[Token]) -> str:
    """Words before the role noun that qualify it, entities by their short form:
    "senior administration", "US", "NSC", "Russian deputy foreign"."""
    words: list[str] = []
    done: set[int] = set()
    for t in tokens:
        if t.i >= head.i or t.i in done or t.dep_ in ("det", "punct", "case", "predet") or t.head.i > head.i:
            continue
        if (t.dep_ == "nummod" or t.lower_ in ctx.lex.source_counts) and not t.ent_type_ in ("ORG", "NORP", "GPE"):
            continue  # how many, not which: "two defense officials", "multiple sources"
        ent = ctx.ents.covering(t.i)
        ent = ent if ent is not None and ent.kb_id_ else None
        if ent is not None:
            short = short_name(ctx.gaz.entities[ent.kb_id_])
            # a demonym stays as written unless the entity has an acronym: "European", but "US" for "American"
            words.append(ent.text if ent.label_ == "NORP" and not short.isupper() else short)
            done.update(range(ent.start, ent.end))
        elif _emotive_participle(ctx, t):
            continue  # "stunned Ukrainian officials" are Ukrainian officials
        elif t.dep_ in ("amod", "compound", "nmod", "npadvmod", "nummod") or t.ent_type_ == "NORP":
            words.append(t.text if t.ent_type_ or t.is_upper or t.pos_ == "PROPN" else t.lower_)
        elif t.dep_ == "cc" and words:
            words.append(t.lower_)  # "Ukrainian and US officials"
    return " ".join(words)


def _emotive_participle(ctx: DocContext, tok: Token) -> bool:
    """A participle modifier that tells the source's state, not its rank or role: "stunned",
    "worried" (the small model tags many as adjectives); not "acting", "elected", "retired", nor a
    piece of a hyphenated word ("well-placed")."""
    lower = tok.lower_
    doc = tok.doc
    if tok.dep_ != "amod" or tok.ent_type_ or any(True for _ in tok.children) or len(lower) < 5:
        return False
    if (tok.i > 0 and doc[tok.i - 1].text == "-") or (tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-"):
        return False
    if tok.tag_ not in ("VBN", "VBG") and not (tok.tag_ == "JJ" and lower.endswith(("ed", "ing"))):
        return False
    return lower not in ctx.lex.role_qualifiers and lower not in ctx.rules.sides.past and lower not in OFFICE_PARTICIPLES


def _pronoun(ctx: DocContext, lower: str, sent: Span, tok: Token) -> Speaker | None:
    """The source a pronoun subject refers to: for "he"/"she" the person named nearest before
    (their speaker, then their subjects, then other mentions), for "it"/"they" the institution."""
    lex, state = ctx.lex, ctx.state
    if lower in lex.person_pronouns:
        # a known gender ("Mr.", "Ms.") must agree
        want = lex.pronoun_gender.get(lower)
        for here in reversed(state.mentions[-lex.pronoun_window :]):
            for sp in here:
                if sp.kind == "descriptor" and here is not state.mentions[-1]:
                    continue  # an unnamed source is "he" only in the very next sentence
                if want and state.gender.get(sp.name) not in (None, want):
                    continue
                return sp.at(None, None, "coreference")
        for sp in reversed(state.speakers[-4:]):
            if sp.kind == "person":
                return sp.at(None, None, "coreference")
        return None
    if lower in lex.institution_pronouns or lower in lex.either_pronouns:
        if tok.head.dep_ in ("relcl", "acl", "advcl", "ccomp") or tok.head.dep_ == "conj":
            named = [e for e in ctx.ents.within(sent.start, tok.i) if e.kb_id_ and ctx.gaz.side_of(e.kb_id_)]
            if named:
                entity = government(ctx, ctx.gaz.entities[named[-1].kb_id_])
                return Speaker(entity.name, entity.id, entity.side, "institution", None, "coreference", side_evidence="gazetteer")
        for sp in reversed(state.speakers[-3:]):
            if sp.kind == "institution":
                return sp.at(None, None, "coreference")
        if lower in lex.institution_pronouns:
            # "The company ... It said": an organisation that was the subject of the last sentences
            near = sent.doc[max(0, sent.start - lex.pronoun_reach) : sent.start]
            prior = [e for e in ctx.ents.within(near.start, near.end) if e.label_ == "ORG" and e.root.dep_ in SUBJECTS]
            if prior:
                return speaker_from_np(ctx, list(prior[-1]), sent).at(None, None, "coreference")
    return None
