"""Quotations and reported speech with their speakers, as the spaCy component `stance_quotes`.

Direct quotations are paired by character (marks.py); reported speech is found
from the dependency parse around speech verbs (cues.py, schemas/speech.yaml).
Speakers are resolved within the article (speakers.py, people.py, state.py):
names through the gazetteer, pronouns and "the official" to earlier sources,
unattributed follow-on quotes to the quote they continue (drafts.py). The
article is read in attribute.py; component.py puts the results on the Doc.
Quotes the article never attributes are left for the cross-document step
(builder/steps/crossdoc.py).
"""

from builder.nlp.quotes.component import GROUP, QuoteAttributor, make_quotes
from builder.nlp.quotes.marks import quote_spans

__all__ = ["GROUP", "QuoteAttributor", "make_quotes", "quote_spans"]
