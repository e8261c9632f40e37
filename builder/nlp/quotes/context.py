"""What the quote functions read: the rules, prepared once per component, and one Doc's context.

Nothing about a Doc is kept on the component: every function that needs the
Doc's entities, its speech-word positions or what earlier sentences said takes
the DocContext made for that Doc (`DocContext.of`), so each works on a fresh Doc.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc

from builder.nlp.quotes.state import ArticleState
from builder.nlp.segment import EntityIndex
from builder.rules import RuleSet
from builder.rules.gazetteer import Entity

if TYPE_CHECKING:
    from builder.rules.gazetteer import Gazetteer
    from builder.rules.sides import SideLexicon
    from builder.rules.speech import SpeechLexicon


@dataclass(frozen=True)
class QuoteRules:
    """The rule set's parts the quote functions use, with the word sets they combine."""

    gaz: Gazetteer
    lex: SpeechLexicon  # schemas/speech.yaml
    sides: SideLexicon  # schemas/sides.yaml
    strip_words: frozenset[str]  # honorifics and titles a person's name drops
    speech_words: frozenset[str]  # any word that can be a speech cue
    verb_words: frozenset[str]  # the verbs among them
    country_of_side: dict[str, Entity]  # side -> its country, for "Moscow said" and "the government"

    @classmethod
    def of(cls, rules: RuleSet) -> "QuoteRules":
        lex = rules.speech
        country_of_side: dict[str, Entity] = {}
        for e in rules.gazetteer.entities.values():
            if e.type == "GPE" and e.demonyms and e.side and e.side not in country_of_side:
                country_of_side[e.side] = e
        return cls(
            rules.gazetteer,
            lex,
            rules.sides,
            frozenset(rules.honorifics | rules.titles),
            frozenset(lex.speech_adjectives | lex.speech_verbs | lex.relay_verbs),
            frozenset(lex.speech_verbs | lex.relay_verbs),
            country_of_side,
        )


@dataclass
class DocContext:
    """One Doc as the quote functions see it: its text, entities, the positions of its speech
    words and of words that can open "according to", and the article state built sentence by
    sentence."""

    rules: QuoteRules
    text: str  # Doc.text joins every token anew on each access
    ents: EntityIndex
    candidates: list[int]  # token indices whose lemma is a speech word
    openers: list[int]  # token indices whose lower form can open "according to"
    state: ArticleState = field(default_factory=ArticleState)

    @property
    def lex(self) -> SpeechLexicon:
        return self.rules.lex

    @property
    def gaz(self) -> Gazetteer:
        return self.rules.gaz

    @classmethod
    def of(cls, doc: Doc, rules: QuoteRules) -> "DocContext":
        """The context of a Doc: the candidate positions found once from its hash arrays (a
        Python loop over every token of every sentence was most of the component's time)."""
        strings = doc.vocab.strings
        lemmas, lowers = doc.to_array([LEMMA, LOWER]).T.tolist() if len(doc) else ([], [])
        hits = {h for h in set(lemmas) if strings[h].lower() in rules.speech_words}
        first = {strings.add(p[0]) for p in rules.lex.according_to}
        candidates = [i for i, h in enumerate(lemmas) if h in hits]
        openers = [i for i, h in enumerate(lowers) if h in first]
        return cls(rules, doc.text, EntityIndex(doc), candidates, openers)
