"""A name alone before a colon at the start of a paragraph, with no quotation marks: the line
of a transcript or a Q&A ('TAPPER: Do you think ...', 'Maria Kovac: We will not sign.'), whose
words are the rest of the paragraph (or, where the source lost its paragraph breaks, the words
up to the next name and colon)."""

from __future__ import annotations

import re

from spacy.tokens import Span

from builder.nlp.quotes.context import DocContext
from builder.nlp.quotes.cues import Cue
from builder.nlp.quotes.marks import QUOTE_MARKS
from builder.nlp.quotes.state import AMBIGUOUS

# where the next line of a flattened transcript starts: a sentence end, then one to four
# capitalised words and a colon ("... so far. Falk: Do you ...")
NEXT_LINE = re.compile(r"(?<=[.?!…\"”])\s+(?=(?:[A-Z][\w.'’-]*\s){0,3}[A-Z][\w.'’-]*:\s)")


def line_cue(ctx: DocContext, sent: Span) -> Cue | None:
    """The cue of a paragraph (or, in a transcript that lost its paragraph breaks, a sentence) that
    opens with a known person's name and a colon; None for labels ('Note:', 'Related:', 'Poll:')
    and for a name the article does not know as a person."""
    text = ctx.text
    start = sent.start_char
    opens_paragraph = start == 0 or text[:start].rstrip(" \t")[-1:] in ("\n", "")
    colon = next((t for t in sent[:16] if t.text == ":"), None)
    if colon is None:
        return None
    before = list(sent.doc[sent.start : colon.i])
    comma = next((k for k, t in enumerate(before) if t.text == ","), None)
    if comma is not None and comma + 1 < len(before) and (before[comma + 1].pos_ == "ADP" or before[comma + 1].lower_ == "asked"):
        before = before[:comma]  # 'Jane Doe, on the new bridge: Is this ...?': the topic of the line
    if not 1 <= len(before) <= 6 or any(t.is_punct and t.text != "." and t.tag_ != "POS" for t in before) \
            or not all(t.is_title or t.is_upper or t.is_punct or t.tag_ == "POS" for t in before):
        return None
    words = [t for t in before if not t.is_punct and t.tag_ != "POS"]
    if not words:
        return None
    titled = ctx.state.roles.get(words[-1].lower_) if len(words) == 1 else None
    # the name ends the line's head ("Zelensky's Gamble: Why ..." is a headline, not Zelensky's line)
    known = any(e.label_ == "PERSON" and e.end == words[-1].i + 1 for e in ctx.ents.within(sent.start, colon.i)) \
        or words[-1].text.title() in ctx.state.full_names or (titled is not None and titled is not AMBIGUOUS)
    if not known:
        return None
    end = text.find("\n", colon.idx)
    end = len(text) if end < 0 else end
    if not opens_paragraph:
        # a transcript whose paragraph breaks the source lost ('... so far. Falk: Do you think ...?
        # Ambassador: Absolutely.'): the line runs to the next speaker's name and colon
        nxt = NEXT_LINE.search(text, colon.idx + 1, end)
        end = nxt.start() if nxt else end
    content = text[colon.idx + 1 : end]
    a = colon.idx + 1 + len(content) - len(content.lstrip())
    b = colon.idx + 1 + len(content.rstrip())
    if len(text[a:b].split()) < 3 or text[a] in QUOTE_MARKS:
        return None  # a quotation after the colon is the quotation rules' ('Kovac: "..."')
    return Cue(None, ":", words, (a, b))


def transcript_name(ctx: DocContext, cue: Cue) -> str:
    """The person a line's name stands for: the article's full name of a surname ('TAPPER'
    after 'Jake Tapper'), else the name as written."""
    name = " ".join(t.text if not t.is_upper else t.text.title() for t in cue.subject)
    return ctx.state.full_names.get(name, name)
