"""Who speaks, and what earlier sentences of the article said about who can speak next."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass
class Speaker:
    name: str
    entity_id: str | None
    side: str | None
    kind: str  # person | institution | descriptor
    role: str | None = None  # head noun of a descriptor ("official")
    resolution: str = "explicit"
    start: int | None = None  # char offsets of the mention naming the speaker here (name, pronoun, descriptor)
    end: int | None = None
    side_evidence: str | None = None  # gazetteer | description: where `side` comes from

    def at(self, start: int | None, end: int | None, resolution: str | None = None) -> "Speaker":
        """The same speaker, named by another mention (a pronoun, a back-reference)."""
        return replace(self, start=start, end=end, resolution=resolution or self.resolution)

    def with_role(self, cue: str) -> "Speaker":
        """The speaker with the cue word kept as its role slot (for a trailing attribution's cue)."""
        return replace(self, role=self.role if self.kind == "descriptor" else cue)


AMBIGUOUS = Speaker("(two people hold this role)", None, None, "person")


@dataclass
class ArticleState:
    """What earlier sentences of the article said: for pronouns and back-references."""

    speakers: list[Speaker] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)  # surname -> full name, for unlisted people
    # per sentence, the persons it names outside quotation marks, most likely antecedent of a
    # later "he"/"she" first: the sentence's own speaker, then subjects, then other mentions
    mentions: list[list[Speaker]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)  # name -> "m" | "f", from "Mr."/"Ms." in the article
    # role -> the person the article gave that title ("Ambassador Linda Thomas-Greenfield" makes a
    # later "the US ambassador" her); qualified roles keep their qualifier ("vice president")
    roles: dict[str, Speaker] = field(default_factory=dict)
    holders: dict[str, list[Speaker]] = field(default_factory=dict)  # role -> every person given it
    titles: dict[str, set[str]] = field(default_factory=dict)  # person's name -> the roles given them
    # head noun -> the persons a definite description names in apposition ("the resident, Karl
    # Biro"): an earlier "one resident" may be that person (see drafts.named_later)
    named_roles: dict[str, list[tuple[Speaker, frozenset[str]]]] = field(default_factory=dict)  # with the description's words
    title_words: dict[str, set[str]] = field(default_factory=dict)  # person's name -> the words of their titles
    documents: dict[str, tuple[Speaker, int]] = field(default_factory=dict)  # document noun -> (author of the last one named, sentence)

    def back_reference(self, role: str, synonyms, words: list[str] = ()) -> Speaker | None:
        """The latest descriptor source with this role (or, for a role of `synonyms`, any of them)
        whose name holds all of `words` (the modifiers of the referring phrase): 'the official said'
        after 'a White House official'; 'the senior administration official' is not 'officials'."""
        stem = role.rstrip("s")
        want = {w.casefold() for w in words}

        def fits(sp: Speaker) -> bool:
            return sp.kind == "descriptor" and want <= {w.casefold() for w in sp.name.split()}

        for sp in reversed(self.speakers):
            if fits(sp) and sp.role and sp.role.rstrip("s") == stem:
                return sp
        if stem in synonyms:
            for sp in reversed(self.speakers):
                if fits(sp) and sp.role in synonyms:
                    return sp
        return None
