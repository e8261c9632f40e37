"""A role that refers back to a person: "the ambassador" for the one the article titled so,
"the president" for the president named last when two hold the title, "the Russian leader" or
"the veteran Russian diplomat" for the person of that side named last (the article gave the
name first, then the role)."""

from __future__ import annotations

from spacy.tokens import Token

from builder.nlp.quotes.context import DocContext
from builder.nlp.quotes.people import side_from_words
from builder.nlp.quotes.state import AMBIGUOUS, Speaker

# titles of a head of state or government: "the Russian leader" is one of them, "the diplomat" not
LEADERS = frozenset({"president", "prime minister", "premier", "chancellor", "leader"})
# how many sentences back a role looks for the person of its side
REACH = 6


def titled_person(ctx: DocContext, head: Token, tokens: list[Token], determiner: str | None) -> Speaker | None:
    """'the (US) ambassador' / "Russia's envoy" for the person the article gave that title,
    when the side the words name (if any) is theirs; "a ..." introduces someone new."""
    state = ctx.state
    if determiner in ("a", "an", "another", "one"):
        return None
    side_word = [t for t in tokens if t.i < head.i and (t.ent_type_ in ("GPE", "NORP") or side_from_words(ctx, [t]))]
    mods = [t for t in tokens if t.i < head.i and t.dep_ not in ("det", "punct") and t not in side_word
            and not (t.tag_ == "POS" and t.head in side_word)]  # "Russia's envoy": the possessive is a side
    if len(mods) > 1 or any(t.dep_ == "poss" or t.tag_ == "POS" for t in mods):
        return None  # "the company's president", "the party's deputy leader": someone else
    lemma = head.lemma_.lower()
    key = f"{mods[0].lower_} {lemma}" if mods else lemma
    side = side_from_words(ctx, [t for t in tokens if t != head])
    titled = state.roles.get(key)
    if titled is None and not mods:
        # another title of the same office, when the article gave it to one person only
        same = [state.roles[r] for r in ctx.lex.same_roles.get(lemma, ()) if r in state.roles]
        titled = same[0] if len(same) == 1 else None
    if titled is AMBIGUOUS:
        # two presidents in the article: the one named last (and of the side the words name)
        titled = _latest(ctx, [h for h in state.holders.get(key, []) if not side or h.side == side], len(state.mentions))
    elif titled is not None and side and titled.side and side != titled.side:
        titled = None
    if titled is None and side and (determiner == "the" or side_word) and lemma in ctx.lex.role_titles:
        # "the Russian leader", "the veteran Russian diplomat": the person of that side named last
        # whose titles (if the article gave any) fit the role
        fits = [sp for here in state.mentions[-REACH:] for sp in here if sp.side == side and _fits(state.titles.get(sp.name, set()), lemma)]
        titled = _latest(ctx, fits, REACH)
    if titled is None:
        return None
    return titled.at(None, None, "coreference")


def _fits(titles: set[str], role: str) -> bool:
    """A person's titles fit a role: a leader's are a head of state's, a diplomat's are not."""
    if not titles:
        return True
    if role in titles or any(t.split()[-1] == role for t in titles):
        return True
    leader = any(t in LEADERS or t.split()[-1] in LEADERS for t in titles)
    return leader if role in LEADERS else not leader


def _latest(ctx: DocContext, candidates: list[Speaker], reach: int) -> Speaker | None:
    """The candidate mentioned in the latest of the last `reach` sentences that names one of
    them; none when that sentence names two ("President A met President B. The president said")."""
    names = {sp.name for sp in candidates}
    for here in reversed(ctx.state.mentions[-reach:] if reach else []):
        found = {sp.name for sp in here if sp.name in names}
        if found:
            return next(c for c in candidates if c.name in found) if len(found) == 1 else None
    return None
