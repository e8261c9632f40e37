"""What the card and datasheet say about a corpus beyond its tables: the provider's `corpus.yaml`.

The tables tell outlets, dates, counts and labels; they cannot tell why the
corpus was collected, under which licence, or whom to contact. Those answers
come from an optional `INPUT_DIR/corpus.yaml`, checked here (a misspelt key is
an error naming the file and the key, never a silently unanswered question).
Each field is one question of Gebru et al., *Datasheets for Datasets*; the
field's description is the question, so the datasheet lists every question and
shows the ones the provider left open as open, never filled with another
corpus's prose. The build stores the checked answers in `figures.json`
(`record`), so `stance-builder datasheet DIR` re-renders from the built folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from builder.errors import InputError

FILENAME = "corpus.yaml"
OPEN = "Not stated by the corpus provider."
# the datasheet's sections of provider answers, in its order
SECTIONS = ("motivation", "composition", "collection", "annotation", "uses", "distribution", "maintenance")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def answers(self) -> list[tuple[str, str | None]]:
        """(question, answer or None) in declaration order, for the datasheet's open/answered list."""
        return [(f.description or name, getattr(self, name)) for name, f in type(self).model_fields.items()]


def _q(question: str):
    return Field(default=None, description=question)


class Motivation(_Section):
    purpose: str | None = _q("For what purpose was the dataset created?")
    creators: str | None = _q("Who created the dataset, and on behalf of which entity?")
    funding: str | None = _q("Who funded the creation of the dataset?")


class Composition(_Section):
    sampling: str | None = _q("Is it a sample of a larger set? If so, how representative is it?")
    confidential: str | None = _q("Does the dataset contain data that might be considered confidential?")
    offensive: str | None = _q("Does it contain data that might be offensive, insulting or threatening?")
    people: str | None = _q("Does it identify individuals, directly or indirectly?")


class Collection(_Section):
    acquisition: str | None = _q("How was the data acquired (from which sources, by what means)?")
    selection: str | None = _q("What selection or sampling strategy was used?")
    collectors: str | None = _q("Who collected the data, and how were they compensated?")
    timeframe: str | None = _q("Over what timeframe was the data collected?")
    ethics: str | None = _q("Was an ethical review carried out?")
    consent: str | None = _q("Were the people concerned notified, and did they consent?")


class Annotation(_Section):
    gold_process: str | None = _q("Who made the gold annotations, and how (guide, passes, adjudication)?")
    agreement_notes: str | None = _q("What should a reader know when reading the agreement figures?")
    raw_data: str | None = _q("Was the raw data kept beside the cleaned data, and where?")


class Uses(_Section):
    used_for: str | None = _q("Has the dataset been used for any tasks already?")
    intended: str | None = _q("What tasks is the dataset meant for?")
    out_of_scope: str | None = _q("Are there tasks for which the dataset should not be used?")
    risks: str | None = _q("Is there anything about its composition or collection that might affect future uses?")


class Distribution(_Section):
    how: str | None = _q("How is the dataset distributed?")
    licence: str | None = _q("Under which copyright or licence terms is it distributed?")
    third_party: str | None = _q("Have third parties imposed restrictions on the data?")
    export_controls: str | None = _q("Do export controls or other regulatory restrictions apply?")


class Maintenance(_Section):
    maintainer: str | None = _q("Who maintains the dataset?")
    contact: str | None = _q("How can the maintainer be contacted?")
    updates: str | None = _q("Will the dataset be updated, how often and by whom?")
    older_versions: str | None = _q("Will older versions remain available?")
    contributions: str | None = _q("How can others contribute corrections or extensions?")


class CardMeta(_Section):
    """Hub metadata the tables cannot give (`license` is a Hub licence id, e.g. `cc-by-4.0`, `other`)."""

    license: str | None = _q("Hub licence id")
    license_name: str | None = _q("Licence name when `license` is `other`")
    license_link: str | None = _q("Licence link when `license` is `other`")


class CorpusInfo(BaseModel):
    """The provider's answers; every field optional, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pretty_name: str | None = None
    summary: str | None = None
    citation: str | None = None
    card: CardMeta = CardMeta()
    motivation: Motivation = Motivation()
    composition: Composition = Composition()
    collection: Collection = Collection()
    annotation: Annotation = Annotation()
    uses: Uses = Uses()
    distribution: Distribution = Distribution()
    maintenance: Maintenance = Maintenance()
    limitations: list[str] = Field(default_factory=list)


def _allowed(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed where a validation error occurred (loc minus its last part)."""
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        ann = getattr(field, "annotation", None)
        if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
            return []
        model = ann
    return sorted(model.model_fields)


def parse(data: Any, where: str) -> CorpusInfo:
    """Check a parsed corpus.yaml; the first problem becomes an InputError naming `where` and the key."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(f"{where}: top level must be a mapping of keys, got {type(data).__name__}")
    try:
        return CorpusInfo.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        key = ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            allowed = _allowed(CorpusInfo, loc)
            raise InputError(f"{where}: unknown key {key!r}" + (f" (allowed: {', '.join(allowed)})" if allowed else "")) from None
        raise InputError(f"{where}: key {key!r}: {err['msg']}") from None


def load(input_dir: Path) -> tuple[CorpusInfo, Path | None]:
    """INPUT_DIR/corpus.yaml checked, or an empty CorpusInfo (every question open) when there is none."""
    path = Path(input_dir) / FILENAME
    if not path.is_file():
        return CorpusInfo(), None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 at byte {exc.start}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: YAML error: {exc}".replace("\n", " ")) from None
    return parse(data, str(path)), path


def record(info: CorpusInfo, input_dir: Path, source: Path | None) -> dict:
    """What figures.json keeps so the documents can be re-rendered from the built folder alone."""
    return {
        "input_folder": Path(input_dir).resolve().name,
        "corpus_yaml": source is not None,
        "info": info.model_dump(mode="json", exclude_defaults=True),
    }


def restore(figs: dict) -> tuple[CorpusInfo, dict]:
    """(CorpusInfo, record) from a built folder's figures; a folder built before corpus.yaml existed
    has every question open."""
    rec = figs.get("corpus") or {"input_folder": None, "corpus_yaml": False, "info": {}}
    return parse(rec.get("info") or {}, "figures.json: corpus.info"), rec

