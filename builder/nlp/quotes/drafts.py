"""The quotations of an article while it is read: made from a sentence's marks or cue, given
their speaker, and settled once the whole article is read (follow-on quotations, forward
references), then turned into the plain fields the Doc carries."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span

from builder.nlp.quotes.cues import Cue
from builder.nlp.quotes.state import AMBIGUOUS, ArticleState, Speaker

# the fields of a draft that say who speaks (a follow-on quotation takes them all)
SPEAKER_FIELDS = ("speaker", "speaker_id", "speaker_side", "speaker_start", "speaker_end", "side_evidence")


@dataclass
class Draft:
    key: int  # position in the article's quotations
    start: int  # char offsets of the quoted or reported content
    end: int
    cue: str | None
    quote_type: str
    speaker: str | None = None
    speaker_id: str | None = None
    speaker_side: str | None = None
    resolution: str | None = None  # explicit | coreference | forward | follow_on
    sentence_indices: list[int] = field(default_factory=list)
    role: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    side_evidence: str | None = None
    weak: bool = False  # a descriptor nothing later resolved: tentative

    def set_speaker(self, sp: Speaker) -> None:
        self.speaker, self.speaker_id, self.speaker_side = sp.name, sp.entity_id, sp.side
        self.resolution, self.role, self.speaker_start, self.speaker_end = sp.resolution, sp.role, sp.start, sp.end
        self.side_evidence = (sp.side_evidence or "description") if sp.side else None

    def awaits_speaker(self, index: int) -> bool:
        """The quotation of the sentence just before `index`, still without an attribution."""
        return self.speaker is None and self.cue is None and self.quote_type == "direct" and max(self.sentence_indices, default=-2) == index - 1

    def fields(self) -> dict:
        """The quotation's fields as the Doc carries them (resolution 'follow_on' is a
        within-article coreference, and a tentative one)."""
        resolution = "coreference" if self.resolution == "follow_on" else self.resolution
        return {
            "cue": self.cue,
            "speaker": self.speaker,
            "speaker_id": self.speaker_id,
            "speaker_side": self.speaker_side,
            "quote_type": self.quote_type,
            "resolution": resolution if self.speaker else None,
            "tentative": self.resolution == "follow_on" or self.weak,
            "sentence_indices": sorted(self.sentence_indices),
            "speaker_start": self.speaker_start if self.speaker else None,
            "speaker_end": self.speaker_end if self.speaker else None,
            "speaker_side_evidence": self.side_evidence if self.speaker_side else None,
        }


def new_draft(text: str, sent: Span, cue: Cue | None, qtype: str, touching: list[tuple[int, int]],
              drafts: list[Draft], by_marks: dict[tuple[int, int], Draft]) -> Draft:
    """A new quotation of the sentence: the words between its marks for a direct one, else
    what the cue reports, else the sentence. `by_marks` remembers it for the mark spans it
    touches (a quotation over several sentences is one)."""
    if qtype == "direct" and touching:
        start, end = touching[0][0], touching[-1][1]
        while end > start and text[end - 1] in ", ":
            end -= 1  # the comma before the attribution belongs to the sentence, not the quote
    elif cue is not None and cue.content is not None:
        start, end = cue.content
        close = text.find('"', end, end + 3)
        if text[start:end].count('"') % 2 and close >= 0:
            end = close + 1  # keep a partial quotation's closing mark (after its comma, if any)
    else:
        start, end = sent.start_char, sent.end_char
    draft = Draft(len(drafts), start, end, cue.text if cue else None, qtype)
    drafts.append(draft)
    for sp in touching:
        by_marks.setdefault(sp, draft)
    return draft


def follow_on(drafts: list[Draft]) -> None:
    """An unattributed quotation continues the attributed quotation right before it, or the reported
    speech of the sentence right before it (tentatively:
    an explicit attribution of the same words in another article wins, see builder/steps/crossdoc.py)."""
    for i, q in enumerate(drafts):
        if q.speaker is None and q.cue is None and i > 0:
            prev = drafts[i - 1]
            # after reported speech only when the quotation comes right after it ('X told reporters
            # that the talks were useful.' + '"We are ready for either path."')
            adjacent = prev.quote_type == "indirect" and q.quote_type == "direct" and \
                max(prev.sentence_indices, default=-9) == min(q.sentence_indices, default=-9) - 1
            if prev.speaker is not None and (prev.quote_type in ("direct", "mixed") or adjacent):
                for name in SPEAKER_FIELDS:
                    setattr(q, name, getattr(prev, name))
                q.resolution = "follow_on"


def forward_references(drafts: list[Draft], state: ArticleState, synonyms) -> None:
    """'the official said' before the article introduces 'a US official': resolve to that later source."""
    for q in drafts:
        if q.resolution != "forward":
            continue
        later = state.back_reference(q.role, synonyms)
        titled = state.roles.get(q.role or "")
        if later is None and titled is not None and titled is not AMBIGUOUS:
            later = titled  # the role first, the name later: "the engineer said" ... "X, a senior engineer"
        if later is not None:
            # the mention stays "the official" of this sentence
            q.speaker, q.speaker_id, q.speaker_side, q.side_evidence = later.name, later.entity_id, later.side, later.side_evidence
            q.resolution = "coreference"
        else:
            # no later source: "the Florida senator" names the speaker, tentatively (an
            # explicit attribution of a reprint of the same words wins, see crossdoc.py)
            q.resolution, q.weak = "explicit", True


def named_later(drafts: list[Draft], state: ArticleState, text: str) -> None:
    """'said one resident' ... 'said the resident, Karl Biro': the description first, the name
    later. A descriptor source before the naming takes the person when the article names one
    person only by that description (two residents named leave both descriptors as they are)."""
    for role, people in state.named_roles.items():
        names = {sp.name for sp, _ in people}
        if len(names) != 1:
            continue
        who, described = people[0]
        first = min((min(d.sentence_indices, default=0) for d in drafts if d.speaker == who.name), default=None)
        for q in drafts:
            if first is None or min(q.sentence_indices, default=first) >= first:
                continue
            # the earlier description's own words must be the naming one's ("a harbour authority
            # spokesman" is not "the Kremlin spokesman, Dmitry Peskov")
            mention = text[q.speaker_start : q.speaker_end] if q.speaker_start is not None else (q.speaker or "")
            own = {w.lower() for w in mention.replace(",", " ").split()} - {role, "one", "a", "an", "another", "the"}
            if q.speaker and q.speaker_id is None and q.role == role and q.speaker != who.name and own <= described \
                    and (q.speaker_side is None or q.speaker_side == who.side):
                q.speaker, q.speaker_id, q.speaker_side, q.side_evidence = who.name, who.entity_id, who.side, who.side_evidence
                q.resolution = "coreference"


def titled_in_article(drafts: list[Draft], state: ArticleState, role_titles, qualifiers, is_side_word) -> None:
    """'Russia's deputy defense minister warned ...' in an article that also names "Deputy Defense
    Minister Alexander Fomin" (before or after): an unnamed office of a side is the one person the
    article gives that office (of that side, or of none stated) with every word of the
    description among their titles'."""
    people = {sp.name: sp for here in state.mentions for sp in here}
    for q in drafts:
        if not q.speaker or q.speaker_id is not None or q.role not in role_titles or q.resolution not in ("explicit", "forward"):
            continue
        words = q.speaker.split()
        if q.speaker_side is None or not words or words[-1].lower() != q.role:
            continue
        want = {w.lower() for w in words[:-1] if not is_side_word(w)} | {q.role}
        # a qualifier counts both ways: "foreign minister" is not "Deputy Foreign Minister X"
        fits = {name for name, titles in state.title_words.items()
                if name in people and people[name].side in (q.speaker_side, None) and want <= titles
                and (titles & qualifiers) <= want}
        if len(fits) == 1:
            # a person titled without a side takes the side this description gives them
            who = people[fits.pop()]
            q.speaker, q.speaker_id = who.name, who.entity_id
            if who.side:
                q.speaker_side, q.side_evidence = who.side, who.side_evidence
            q.resolution = "coreference"
