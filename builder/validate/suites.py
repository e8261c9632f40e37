"""Validation stage: every table checked with Great Expectations before anything is exported.

The suites are data (schemas/expectations.yaml) plus column checks generated
from the table contract (schemas/tables.yaml), so the contract and its checks
cannot drift apart. Rules GX's pandas backend cannot express (cross-table,
cross-split, list columns) are "derived checks": computed here as one boolean
column per check and then validated by real GX, so every verdict, including
those, lands in GX's results and Data Docs.

Great Expectations is imported only inside `validate_tables` (it takes seconds
to import; the CLI must start fast).
"""

from __future__ import annotations

import json
from collections import Counter
import os
import re
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from builder.rules import RuleSet, config
from builder.rules import contract as schema
from builder.steps.dedup import normalise
from builder.errors import ConfigError, ValidationFailed

SPLIT = "split"  # column added to every table: the split a row came from
PROBLEMS = "derived_problems"  # column: "<key>: check: detail | ..." of the derived checks a row fails
PARTIAL = 10  # unexpected values kept in GX's results
SHOWN = 3  # unexpected values quoted in the failure message
MAX_LINES = 25  # failure lines in the ValidationFailed message


# --------------------------------------------------------------------------- specs


@dataclass
class Spec:
    """One expectation of a suite, before it becomes a GX object."""

    expectation: str  # GX class name
    kwargs: dict
    check: str | None = None  # derived check name (its boolean column has this name)
    params: dict = field(default_factory=dict)  # derived check parameters
    source: str = "expectations.yaml"
    echo: bool = False  # repeats other checks' verdicts (for the Data Docs); left out of messages
    kind: str = "invariant"  # invariant: fails the build; statistic: reported, fails only with --strict

    @property
    def label(self) -> str:
        return self.check or self.expectation


@dataclass
class Derived:
    """A derived check: `prepare(inputs, table, params)` returns a row -> problem (None = ok) function."""

    prepare: Callable[["Inputs", str, dict], Callable[[dict], str | None]]
    params: dict  # allowed parameters -> defaults
    tables: tuple[str, ...]  # tables whose rows have the columns it reads


@dataclass
class Inputs:
    """Everything a derived check may look at: all rows of all tables, and the contract."""

    rows: dict[str, list[dict]]
    contract: dict[str, schema.Table]

    def column(self, table: str, name: str) -> list:
        """One column of a table across its splits (absent table: empty)."""
        return [r.get(name) for r in self.rows.get(table, [])]


# --------------------------------------------------------------------------- derived checks


def _clip(text: Any, n: int = 40) -> str:
    """Short repr for messages: long sentences would drown the report."""
    s = repr(text)
    return s if len(s) <= n else s[: n - 4] + "...'"


def _diff(what: str, text: str, where: str, got: str) -> str:
    """Where two strings part: long sentences differ in one place, show that place."""
    i = next((i for i, (a, b) in enumerate(zip(text, got)) if a != b), min(len(text), len(got)))
    lo = max(0, i - 10)
    return f"{what} != {where} from char {i}: {_clip(text[lo:lo + 30])} vs {_clip(got[lo:lo + 30])}"


def _article_texts(inp: Inputs) -> dict[str, str]:
    """article_id -> cleaned text: the reference every offset points into."""
    return {r["article_id"]: r["text"] for r in inp.rows.get("articles", [])}


def _sentence_id_format(inp: Inputs, table: str, params: dict):
    """Ids must be rebuildable from (article_id, index): users join on them across rebuilds."""
    def row(r):
        want = f"{r['article_id']}-s{r['index']:03d}"
        return None if r["id"] == want else f"id {r['id']!r} != {want!r}"

    return row


def _quote_id_format(inp: Inputs, table: str, params: dict):
    """Quote ids follow the sentence id scheme so a quote is traceable to its article."""
    def row(r):
        ok = re.fullmatch(re.escape(r["article_id"]) + r"-q[0-9]{3,}", r["quote_id"])
        return None if ok else f"quote_id {r['quote_id']!r} is not '{r['article_id']}-q<index:03d>'"

    return row


def _offsets_within_article(inp: Inputs, table: str, params: dict):
    """An offset past the article end means the text and the offsets came from different versions."""
    texts = _article_texts(inp)

    def row(r):
        if r["article_id"] not in texts:
            return f"article {r['article_id']!r} not in articles"
        n = len(texts[r["article_id"]])
        if r["start"] == r["end"]:
            return f"empty span at {r['start']}"
        return None if 0 <= r["start"] < r["end"] <= n else f"[{r['start']}:{r['end']}] outside article of length {n}"

    return row


def _text_matches_article(inp: Inputs, table: str, params: dict):
    """The core promise of the dataset: every span is exactly articles.text[start:end]."""
    texts = _article_texts(inp)

    def row(r):
        if r["article_id"] not in texts:
            return f"article {r['article_id']!r} not in articles"
        got = texts[r["article_id"]][r["start"] : r["end"]]
        return None if got == r["text"] else _diff("text", r["text"], f"articles.text[{r['start']}:{r['end']}]", got)

    return row


def _known_ids(inp: Inputs, column: str, table: str, key: str, what: str):
    """Row check: `column` is null or one of `table.key`."""
    ids = set(inp.column(table, key))

    def row(r):
        v = r[column]
        return None if v is None or v in ids else f"{what} {v!r} not in {table}.{key}"

    return row


def _speaker_id_known(inp: Inputs, table: str, params: dict):
    """A speaker_id outside the gazetteer would dangle: the entities table could not resolve it."""
    return _known_ids(inp, "speaker_id", "entities", "entity_id", "speaker_id")


def _quote_exists(inp: Inputs, table: str, params: dict):
    """A sentence pointing at a quote that was never written out would dangle."""
    return _known_ids(inp, "quote_id", "quotes", "quote_id", "quote_id")


def _each_entity(problem: Callable[[dict, dict], str | None]):
    """Row check over the `entities` list: the first entity with a problem."""

    def row(r):
        for ent in r["entities"] or []:
            p = problem(r, ent)
            if p:
                return p
        return None

    return row


def _entity_labels_known(inp: Inputs, table: str, params: dict):
    """NER labels outside the declared set would silently add classes users do not expect."""
    allowed = set(params["value_set"])
    return _each_entity(lambda r, e: None if e["label"] in allowed else f"entity {e['text']!r} has label {e['label']!r}")


def _entity_sides_known(inp: Inputs, table: str, params: dict):
    """Sides are the actor codes of entities.yaml; anything else is a typo or a leak of raw data."""
    allowed = set(params["value_set"])
    return _each_entity(
        lambda r, e: None if e["side"] is None or e["side"] in allowed else f"entity {e['text']!r} has side {e['side']!r}"
    )


def _span_problem(what: str, text: str, start, end, expected: str) -> str | None:
    """Offsets relative to `text` must be inside it and cover exactly `expected`."""
    if not (0 <= start < end <= len(text)):
        return f"{what} {expected!r} at [{start}:{end}] outside the sentence (length {len(text)})"
    got = text[start:end]
    return None if got == expected else f"{what} {expected!r} != text[{start}:{end}] {got!r}"


def _entity_offsets_valid(inp: Inputs, table: str, params: dict):
    """Entity offsets are sentence-relative; a wrong base (article offsets) shows up here."""
    return _each_entity(lambda r, e: _span_problem("entity", r["text"], e["start"], e["end"], e["text"]))


def _entity_ids_known(inp: Inputs, table: str, params: dict):
    """Every linked entity must be a row of the entities table."""
    ids = set(inp.column("entities", "entity_id"))
    return _each_entity(
        lambda r, e: None
        if e["entity_id"] is None or e["entity_id"] in ids
        else f"entity {e['text']!r} has entity_id {e['entity_id']!r} not in entities.entity_id"
    )


def _stance_evidence_labels_given(inp: Inputs, table: str, params: dict):
    """Evidence explains labels; evidence for a label the row lacks means the two drifted apart."""
    names = inp.contract[table].column("labels").item_names

    def row(r):
        given = {names[i] for i in r["labels"] or [] if isinstance(i, int) and 0 <= i < len(names)}
        for ev in r["stance_evidence"] or []:
            if ev["label"] not in given:
                return f"evidence label {ev['label']!r} not among the row's labels {sorted(given)}"
        return None

    return row


def _stance_evidence_offsets_valid(inp: Inputs, table: str, params: dict):
    """The cue must be quotable from the sentence at its offsets, or the evidence proves nothing."""
    def row(r):
        for ev in r["stance_evidence"] or []:
            p = _span_problem("cue", r["text"], ev["start"], ev["end"], ev["cue"])
            if p:
                return p
        return None

    return row


def _in_one_split(inp: Inputs, table: str, key: Callable[[dict], Any], what: str):
    """Row check: every row sharing this row's key is in the same split."""
    splits: dict[Any, set] = {}
    for r in inp.rows[table]:
        splits.setdefault(key(r), set()).add(r[SPLIT])

    def row(r):
        found = splits[key(r)]
        return None if len(found) == 1 else f"{what} in splits {sorted(found)}"

    return row


def _duplicate_group_one_split(inp: Inputs, table: str, params: dict):
    """Near-duplicates (reprinted wire copy) in two splits leak test data into training."""
    return _in_one_split(inp, table, lambda r: r["duplicate_group"], "duplicate_group")


def _text_in_one_split(inp: Inputs, table: str, params: dict):
    """The same sentence with other case or punctuation in two splits is leakage the grouping missed.

    Empty normalised texts (punctuation only) carry no content to leak; they are exempt.
    """

    def key(r):
        norm = normalise(r["text"])  # the same key the duplicate groups are built on
        return norm or ("", r["id"])

    return _in_one_split(inp, table, key, "normalised text")


def _article_one_split(inp: Inputs, table: str, params: dict):
    """An article's sentences never span two splits (context of one article leaks otherwise)."""
    return _in_one_split(inp, table, lambda r: r["article_id"], "article")


def _mention_needs_speaker(inp: Inputs, table: str, params: dict):
    """speaker_start/speaker_end point at the mention that names the speaker: none without one."""
    texts = _article_texts(inp)

    def row(r):
        if r["speaker_start"] is None:
            return None if r["speaker_end"] is None else "speaker_end without speaker_start"
        if r["speaker"] is None:
            return "a speaker mention but no speaker"
        n = len(texts.get(r["article_id"], ""))
        return None if 0 <= r["speaker_start"] < (r["speaker_end"] or -1) <= n else f"mention [{r['speaker_start']}:{r['speaker_end']}] outside article of length {n}"

    return row


def _labelled_figure(inp: Inputs, table: str, params: dict) -> tuple[float, str]:
    rows = inp.rows[table]
    share = sum(1 for r in rows if r["labels"]) / len(rows) if rows else 0.0
    return share, f"{share:.1%} of {len(rows)} sentences carry a stance label"


def _labelled_share(inp: Inputs, table: str, params: dict):
    """Table-level: the share of sentences with a stance label, against the range usual for news
    of the taxonomy's topic (a corpus off that topic reads near 0: worth knowing, not an error)."""
    share, figure = _labelled_figure(inp, table, params)
    ok = params["min_share"] <= share <= params["max_share"]
    verdict = None if ok else f"{figure} (expected {params['min_share']:.0%}-{params['max_share']:.0%})"
    return lambda r: verdict


def _split_figure(inp: Inputs, table: str, params: dict) -> str:
    counts = Counter(r[SPLIT] for r in inp.rows[table])
    total = sum(counts.values()) or 1
    return ", ".join(f"{s} {counts.get(s, 0)} ({counts.get(s, 0) / total:.0%})" for s in inp.contract[table].splits)


# table-level statistics: the figure the datasheet shows for each
FIGURES: dict[str, Callable[["Inputs", str, dict], str]] = {
    "labelled_share": lambda inp, t, p: _labelled_figure(inp, t, p)[1],
    "split_sizes": _split_figure,
}


def _split_sizes(inp: Inputs, table: str, params: dict):
    """Table-level verdict repeated on every row: each declared split non-empty, none dominant."""
    counts = {s: 0 for s in inp.contract[table].splits}
    for r in inp.rows[table]:
        counts[r[SPLIT]] = counts.get(r[SPLIT], 0) + 1
    total = sum(counts.values())
    problems = []
    if total >= params["min_table_rows"]:
        problems += [f"split {s!r} has {n} rows (< {params['min_rows']})" for s, n in counts.items() if n < params["min_rows"]]
        problems += [
            f"split {s!r} has {n / total:.0%} of the rows (> {params['max_share']:.0%})"
            for s, n in counts.items()
            if n / total > params["max_share"]
        ]
    verdict = "; ".join(problems) or None
    return lambda r: verdict


def _sentence_ids_exist(inp: Inputs, table: str, params: dict):
    """A quote must point at real sentences of its own article, or it cannot be traced."""
    article_of = {r["id"]: r["article_id"] for r in inp.rows.get("sentences", [])}

    def row(r):
        ids = r["sentence_ids"] or []
        if not ids:
            return "no sentence_ids"
        for sid in ids:
            if sid not in article_of:
                return f"sentence_id {sid!r} not in sentences.id"
            if article_of[sid] != r["article_id"]:
                return f"sentence_id {sid!r} belongs to article {article_of[sid]!r}"
        return None

    return row


def _resolution_iff_speaker(inp: Inputs, table: str, params: dict):
    """resolution says how the speaker was found: it exists exactly when a speaker does."""
    def row(r):
        if (r["speaker"] is None) == (r["resolution"] is None):
            return None
        return f"speaker {r['speaker']!r} with resolution {r['resolution']!r}"

    return row


def _n_sentences_match(inp: Inputs, table: str, params: dict):
    """The articles table summarises the sentences table; the two must agree."""
    counts: dict[str, int] = {}
    for aid in inp.column("sentences", "article_id"):
        counts[aid] = counts.get(aid, 0) + 1

    def row(r):
        n = counts.get(r["article_id"], 0)
        return None if r["n_sentences"] == n else f"n_sentences {r['n_sentences']} but {n} sentences rows"

    return row


def _class_ids_in_range(column: str, names: tuple[str, ...]):
    """Generated from tables.yaml for List-of-ClassLabel columns (GX cannot look inside lists)."""

    def prepare(inp: Inputs, table: str, params: dict):
        def row(r):
            bad = [i for i in r[column] or [] if not (isinstance(i, int) and 0 <= i < len(names))]
            return f"{column} ids {bad} not in 0..{len(names) - 1}" if bad else None

        return row

    return prepare


def _arrow_types_match(split_schemas: dict[str, Any]):
    """Generated: each split's Arrow column types are those of the contract (the export relies on them)."""

    def prepare(inp: Inputs, table: str, params: dict):
        want = schema.arrow_schema(inp.contract[table])
        problems = []
        for split, got in split_schemas.items():
            for f in want:
                i = got.get_field_index(f.name)
                if i >= 0 and not got.field(i).type.equals(f.type):
                    problems.append(f"split {split!r}: {f.name} is {got.field(i).type}, expected {f.type}")
        verdict = "; ".join(problems) or None
        return lambda r: verdict

    return prepare


SENT, QUOTE = ("sentences",), ("quotes",)
DERIVED: dict[str, Derived] = {
    "sentence_id_format": Derived(_sentence_id_format, {}, SENT),
    "quote_id_format": Derived(_quote_id_format, {}, QUOTE),
    "offsets_within_article": Derived(_offsets_within_article, {}, SENT + QUOTE),
    "text_matches_article": Derived(_text_matches_article, {}, SENT + QUOTE),
    "speaker_id_known": Derived(_speaker_id_known, {}, SENT + QUOTE),
    "quote_exists": Derived(_quote_exists, {}, SENT),
    "entity_labels_known": Derived(_entity_labels_known, {"value_set": None}, SENT),
    "entity_sides_known": Derived(_entity_sides_known, {"value_set": None}, SENT),
    "entity_offsets_valid": Derived(_entity_offsets_valid, {}, SENT),
    "entity_ids_known": Derived(_entity_ids_known, {}, SENT),
    "stance_evidence_labels_given": Derived(_stance_evidence_labels_given, {}, SENT),
    "stance_evidence_offsets_valid": Derived(_stance_evidence_offsets_valid, {}, SENT),
    "duplicate_group_one_split": Derived(_duplicate_group_one_split, {}, SENT),
    "text_in_one_split": Derived(_text_in_one_split, {}, SENT),
    "article_one_split": Derived(_article_one_split, {}, SENT),
    "mention_needs_speaker": Derived(_mention_needs_speaker, {}, QUOTE),
    "labelled_share": Derived(_labelled_share, {"min_share": None, "max_share": None}, SENT),
    "split_sizes": Derived(_split_sizes, {"min_table_rows": 20, "min_rows": 1, "max_share": 1.0}, SENT),
    "sentence_ids_exist": Derived(_sentence_ids_exist, {}, QUOTE),
    "resolution_iff_speaker": Derived(_resolution_iff_speaker, {}, QUOTE),
    "n_sentences_match": Derived(_n_sentences_match, {}, ("articles",)),
}


# --------------------------------------------------------------------------- loading the suites


def _resolve(value: Any, where: str, rules: RuleSet) -> Any:
    """Replace {from: file.key} by that key of schemas/<file>.yaml (a mapping gives its keys)."""
    if not (isinstance(value, dict) and set(value) == {"from"}):
        return value
    name, _, key = str(value["from"]).partition(".")
    data = rules.raw(name)
    if key not in data:
        raise ConfigError(f"{where}: {{from: {value['from']}}}: {rules.path(name)} has no key {key!r}")
    found = data[key]
    return list(found) if isinstance(found, (dict, list)) else found


def _check_columns(where: str, kwargs: dict, table: schema.Table) -> None:
    """A column typo in a suite must fail at load time, not as a confusing GX exception."""
    known = set(table.column_names) | {SPLIT}
    named = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    named += list(kwargs.get("column_list") or [])
    for col in named:
        if col not in known:
            raise ConfigError(f"{where}: unknown column {col!r} of table {table.name!r}")


def _gx_spec(gx, entry: dict, where: str, table: schema.Table, rules) -> Spec:
    """An {expectation: Class, kwargs...} entry, checked by building the GX object once."""
    name = entry["expectation"]
    cls = getattr(gx.expectations, str(name), None)
    if not (isinstance(cls, type) and issubclass(cls, gx.expectations.Expectation)):
        raise ConfigError(f"{where}.expectation: unknown Great Expectations expectation {name!r}")
    kwargs = {k: _resolve(v, f"{where}.{k}", rules) for k, v in entry.items() if k != "expectation"}
    _check_columns(where, kwargs, table)
    _build(cls, kwargs, where)
    return Spec(name, kwargs)


def _build(cls, kwargs: dict, where: str):
    """Instantiate a GX expectation, turning pydantic's complaint into a ConfigError naming the key."""
    try:
        return cls(**kwargs)
    except Exception as exc:  # pydantic.v1 ValidationError, GX's InvalidExpectationConfigurationError
        errors = getattr(exc, "errors", None)
        if callable(errors):  # an unknown key says more than the required key it was meant to be
            err = sorted(errors(), key=lambda e: e.get("type") != "value_error.extra")[0]
            key = ".".join(str(p) for p in err.get("loc", ()))
            reason = "unknown key" if err.get("type") == "value_error.extra" else err.get("msg", "")
            raise ConfigError(f"{where}.{key}: {cls.__name__}: {reason}") from exc
        raise ConfigError(f"{where}: {cls.__name__}: {exc}") from exc


def _derived_spec(entry: dict, where: str, tname: str, rules) -> Spec:
    """A {check: name, params...} entry of a derived check."""
    name = entry["check"]
    derived = DERIVED.get(name)
    if derived is None:
        raise ConfigError(f"{where}.check: unknown derived check {name!r} (known: {', '.join(sorted(DERIVED))})")
    if tname not in derived.tables:
        raise ConfigError(f"{where}.check: {name!r} applies to {', '.join(derived.tables)}, not {tname!r}")
    config.check_keys(where, entry, {"check", "notes", *derived.params})
    params = {**derived.params, **{k: _resolve(v, f"{where}.{k}", rules) for k, v in entry.items() if k in derived.params}}
    missing = [k for k, v in params.items() if v is None]
    if missing:
        raise ConfigError(f"{where}: missing key {missing[0]!r} of check {name!r}")
    return _derived(name, params, entry.get("notes"))


def _derived(name: str, params: dict, notes: str | None, source: str = "expectations.yaml") -> Spec:
    """A derived check as GX sees it: its boolean column must be all True."""
    kwargs = {"column": name, "value_set": [True]}
    if notes:
        kwargs["notes"] = notes
    return Spec("ExpectColumnValuesToBeInSet", kwargs, check=name, params=params, source=source)


def load_suites(gx, contract: dict[str, schema.Table], rules: RuleSet) -> dict[str, list[Spec]]:
    """The declared part of every suite (schemas/expectations.yaml), checked key by key."""
    data = rules.raw("expectations")
    path = rules.path("expectations")
    config.check_keys(str(path), data, {"suites"}, {"suites"})
    suites: dict[str, list[Spec]] = {t: [] for t in contract}
    for tname, entries in (data["suites"] or {}).items():
        where = f"{path}: suites.{tname}"
        if tname not in contract:
            raise ConfigError(f"{where}: unknown table (tables.yaml declares {', '.join(contract)})")
        if not isinstance(entries, list):
            raise ConfigError(f"{where}: expected a list of expectations")
        for i, entry in enumerate(entries):
            spec = _entry(gx, entry, f"{where}[{i}]", contract[tname], rules)
            if spec.check and any(s.check == spec.check for s in suites[tname]):
                raise ConfigError(f"{where}[{i}].check: {spec.check!r} is declared twice (it names a derived column)")
            suites[tname].append(spec)
    return suites


KINDS = ("invariant", "statistic")


def _entry(gx, entry: Any, where: str, table: schema.Table, rules) -> Spec:
    """Dispatch one suite entry: a GX expectation or a derived check, never both or neither;
    `kind` says whether it is a structural invariant (default) or a corpus statistic."""
    if not isinstance(entry, dict) or len({"expectation", "check"} & set(entry)) != 1:
        raise ConfigError(f"{where}: expected a mapping with exactly one of 'expectation' or 'check'")
    entry = dict(entry)
    kind = entry.pop("kind", "invariant")
    if kind not in KINDS:
        raise ConfigError(f"{where}.kind: unknown kind {kind!r} (allowed: {', '.join(KINDS)})")
    if "check" in entry:
        spec = _derived_spec(entry, where, table.name, rules)
    else:
        spec = _gx_spec(gx, entry, where, table, rules)
    spec.kind = kind
    return spec


def contract_specs(table: schema.Table, split_schemas: dict[str, Any]) -> list[Spec]:
    """Column checks generated from tables.yaml, so the contract is checked exactly as declared."""
    src = "tables.yaml"
    specs = [_derived("arrow_types_match", {"_prepare": _arrow_types_match(split_schemas)}, "Arrow types as in tables.yaml", src)]
    specs.append(Spec("ExpectColumnValuesToBeInSet", {"column": SPLIT, "value_set": list(table.splits)}, source=src))
    for c in table.columns:
        if not c.nullable:
            specs.append(Spec("ExpectColumnValuesToNotBeNull", {"column": c.name}, source=src))
        if c.type == "class_label":
            bounds = {"column": c.name, "min_value": 0, "max_value": len(c.names) - 1}
            specs.append(Spec("ExpectColumnValuesToBeBetween", bounds, source=src))
        if c.item_names:
            name = f"{c.name}_ids_in_range"
            prepare = _class_ids_in_range(c.name, c.item_names)
            specs.append(_derived(name, {"_prepare": prepare}, f"{c.name} class ids valid", src))
        if c.values:
            specs.append(Spec("ExpectColumnValuesToBeInSet", {"column": c.name, "value_set": list(c.values)}, source=src))
    return specs


def _problems_echo() -> Spec:
    """GX's Data Docs show unexpected values but not row keys: this lists the derived problems themselves."""
    notes = "every derived check's problems per row (repeats their verdicts, so the Data Docs show the details)"
    return Spec("ExpectColumnValuesToBeNull", {"column": PROBLEMS, "notes": notes}, source="validate.py", echo=True)


# --------------------------------------------------------------------------- frames


def _rows(splits: dict[str, Any]) -> list[dict]:
    """All splits' rows as dicts, each tagged with its split (split checks look across them)."""
    out = []
    for split, table in splits.items():
        out += [{**r, SPLIT: split} for r in table.to_pylist()]
    return out


def _columns(splits: dict[str, Any], table: schema.Table) -> list[str]:
    """Columns in the order the Arrow tables have them (the first split's), then any stragglers."""
    names: list[str] = []
    for t in splits.values():
        names += [n for n in t.column_names if n not in names]
    return names if splits else table.column_names


def _derive(inp: Inputs, tname: str, specs: list[Spec]) -> tuple[dict[str, list[bool]], list[str | None]]:
    """Each derived check's boolean column, and per row "<key>: check: detail | check: detail"."""
    rows, key = inp.rows[tname], inp.contract[tname].key
    columns: dict[str, list[bool]] = {}
    problems: list[list[str]] = [[] for _ in rows]
    for spec in (s for s in specs if s.check):
        details = _run_check(inp, tname, spec, rows)
        columns[spec.check] = [d is None for d in details]
        for p, d in zip(problems, details):
            if d is not None:
                p.append(f"{spec.check}: {d}")
    return columns, [f"{r.get(key)}: " + " | ".join(p) if p else None for r, p in zip(rows, problems)]


def _run_check(inp: Inputs, tname: str, spec: Spec, rows: list[dict]) -> list[str | None]:
    """Malformed data (a missing column, a null offset) fails the row instead of crashing the build."""
    prepare = spec.params.get("_prepare") or DERIVED[spec.check].prepare
    try:
        fn = prepare(inp, tname, spec.params)
    except Exception as exc:
        return [f"cannot check: {type(exc).__name__}: {exc}"] * len(rows)
    out = []
    for r in rows:
        try:
            out.append(fn(r))
        except Exception as exc:
            out.append(f"cannot check: {type(exc).__name__}: {exc}")
    return out


def _scalar(v: Any) -> Any:
    """List and struct values become JSON text: GX's pandas metrics expect scalars."""
    return json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v


def _frame(rows: list[dict], columns: list[str], derived: dict[str, list[bool]], problems: list):
    """The pandas DataFrame GX sees: contract columns, split, derived booleans, problem details."""
    import pandas as pd

    data: dict[str, list] = {c: [_scalar(r.get(c)) for r in rows] for c in columns}
    data[SPLIT] = [r[SPLIT] for r in rows]
    data.update(derived)
    data[PROBLEMS] = problems
    return pd.DataFrame(data, columns=list(data))


# --------------------------------------------------------------------------- GX


def _context(gx, docs_dir: Path):
    """Ephemeral context: in-memory stores, one filesystem Data Docs site, no analytics or progress bars."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    cfg = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        data_docs_sites={"local_site": site},
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    return gx.get_context(project_config=cfg, mode="ephemeral")


def _expectation(gx, spec: Spec, order: int):
    """The GX object; meta carries the check name and position so failures read in suite order."""
    kwargs = dict(spec.kwargs)
    meta = {"check": spec.label, "derived": bool(spec.check), "source": spec.source, "order": order, "echo": spec.echo, "kind": spec.kind}
    kwargs["meta"] = meta
    return getattr(gx.expectations, spec.expectation)(**kwargs)


def _run_suite(gx, context, tname: str, specs: list[Spec], df, key: str | None):
    """One suite, one ValidationDefinition on a whole-dataframe batch; results go to the store for Data Docs."""
    # Built whole, then stored once: add_expectation() would re-serialise the suite per expectation.
    expectations = [_expectation(gx, s, i) for i, s in enumerate(specs)]
    suite = context.suites.add(gx.ExpectationSuite(name=tname, expectations=expectations))
    asset = context.data_sources.get("tables").add_dataframe_asset(tname)
    batch_def = asset.add_batch_definition_whole_dataframe(f"{tname}_all")
    vd = context.validation_definitions.add(gx.ValidationDefinition(name=tname, data=batch_def, suite=suite))
    index_cols = [c for c in (key, PROBLEMS) if c and c in df.columns]
    result_format = {"result_format": "SUMMARY", "partial_unexpected_count": PARTIAL, "unexpected_index_column_names": index_cols}
    return vd.run(batch_parameters={"dataframe": df}, result_format=result_format)


# --------------------------------------------------------------------------- messages


def _plain(v: Any) -> Any:
    """numpy scalars and NaN from GX's results as plain Python values."""
    if hasattr(v, "item"):
        v = v.item()
    return None if isinstance(v, float) and v != v else v


def _exception_text(result) -> str | None:
    """First line of the error GX caught while computing a metric (e.g. a missing column)."""
    info = result.exception_info or {}
    infos = [info] if "raised_exception" in info else list(info.values())
    msgs = [i.get("exception_message") for i in infos if isinstance(i, dict) and i.get("exception_message")]
    return msgs[0].splitlines()[0] if msgs else None


def _examples(result, key: str | None, check: str | None) -> str:
    """A few unexpected values, each with its row key and (for derived checks) the problem."""
    res = result.result or {}
    entries = [e for e in res.get("partial_unexpected_index_list") or [] if isinstance(e, dict)]
    if check:
        return _derived_examples(entries, key, check)
    cols = _columns_of(result.expectation_config.kwargs)
    shown = []
    for entry in entries[:SHOWN]:
        k = _plain(entry.get(key)) if key else None
        values = [_plain(entry.get(c)) for c in cols]
        v = repr(values[0]) if len(values) == 1 else ", ".join(f"{c}={x!r}" for c, x in zip(cols, values))
        shown.append(v if k is None or values == [k] else f"{v} ({key}={k})")
    if not shown:
        shown = [repr(_plain(v)) for v in (res.get("partial_unexpected_list") or [])[:SHOWN]]
    return "; ".join(dict.fromkeys(shown))


def _columns_of(kwargs: dict) -> list[str]:
    """The columns a (column, pair or multicolumn) expectation reads."""
    return [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs] + list(kwargs.get("column_list") or [])


def _derived_examples(entries: list[dict], key: str | None, check: str) -> str:
    """The check's own problem text, once per distinct problem, with the keys of its rows."""
    by_detail: dict[str, list] = {}
    for entry in entries:
        problems = str(_plain(entry.get(PROBLEMS)) or "").split(": ", 1)[-1]  # without the row key
        detail = next((p[len(check) + 2 :] for p in problems.split(" | ") if p.startswith(check + ": ")), "")
        by_detail.setdefault(detail, []).append(_plain(entry.get(key)) if key else None)
    shown = [f"{d} ({key}={', '.join(map(str, ks[:SHOWN]))})" if key else d for d, ks in list(by_detail.items())[:SHOWN]]
    return "; ".join(shown)


def describe(tname: str, result, key: str | None) -> str:
    """One readable line per failed expectation: table, check, column, what was unexpected."""
    cfg = result.expectation_config
    meta = cfg.meta or {}
    check, derived = meta.get("check") or _class_name(cfg.type), bool(meta.get("derived"))
    kwargs = {k: v for k, v in cfg.kwargs.items() if k not in ("batch_id", "column")}
    columns = [] if "column_list" in cfg.kwargs or derived else _columns_of(cfg.kwargs)
    head = f"{tname}: {check}" + (f" on {', '.join(map(repr, columns))}" if columns else "")
    error = _exception_text(result)
    if error:
        return f"{head}: could not be evaluated: {error}"
    res = result.result or {}
    if "unexpected_count" in res:
        body = f"{res['unexpected_count']} of {res.get('element_count')} rows unexpected"
        body += f" (at most {1 - cfg.kwargs['mostly']:.0%} allowed)" if cfg.kwargs.get("mostly") else ""
        ex = _examples(result, key, check if derived else None)
        return f"{head}: {body}" + (f", e.g. {ex}" if ex else "")
    return f"{head}: {_table_level(cfg, res, kwargs)}"


def _table_level(cfg, res: dict, kwargs: dict) -> str:
    """Table-level results (column list, distinct values): what was observed against what was asked."""
    if "column_list" in cfg.kwargs:
        want, got = list(cfg.kwargs["column_list"]), list(res.get("observed_value") or [])
        missing = [c for c in want if c not in got]
        extra = [c for c in got if c not in want]
        return f"columns missing {missing}, unexpected {extra}" if missing or extra else f"column order {got} != {want}"
    shown = {k: v for k, v in res.items() if k in ("observed_value", "details", "partial_missing_list")}
    asked = {k: v for k, v in kwargs.items() if k not in ("notes", "meta")}
    return f"asked {asked}, observed {json.dumps(shown, default=str)[:200]}"


def _class_name(snake: str) -> str:
    """expect_column_values_to_be_unique -> ExpectColumnValuesToBeUnique (fallback when meta is absent)."""
    return "".join(p.title() for p in snake.split("_"))


def _message(summary: dict, report_dir: Path) -> str:
    """The ValidationFailed text: one line per failed expectation, capped so a broken build stays readable."""
    lines = [f for s in summary["suites"].values() for f in s["failed"]]
    bad = [n for n, s in summary["suites"].items() if not s["success"]]
    head = f"validation failed: {len(lines)} expectation(s) in {', '.join(bad)}; reports in {report_dir}"
    more = [f"... and {len(lines) - MAX_LINES} more"] if len(lines) > MAX_LINES else []
    return "\n".join([head] + [f"  - {line}" for line in lines[:MAX_LINES]] + more)


# --------------------------------------------------------------------------- entry point


def _check_inputs(tables: dict, contract: dict[str, schema.Table]) -> None:
    """A missing table or split cannot be validated row by row; say so plainly."""
    problems = []
    for tname, table in contract.items():
        got = tables.get(tname)
        if got is None:
            problems.append(f"table {tname!r} missing")
            continue
        if not got:
            problems.append(f"table {tname!r} has no split")
        declared = ", ".join(table.splits)
        problems += [f"{tname}: unknown split {s!r} (tables.yaml: {declared})" for s in got if s not in table.splits]
    problems += [f"unknown table {t!r}" for t in tables if t not in contract]
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise ValidationFailed(f"validation failed: the tables do not match tables.yaml:\n{lines}")


def _quiet_gx():
    """Builds must be quiet: no analytics, no GX log chatter (set before GX is imported)."""
    import logging

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)


def validate_tables(
    tables: dict[str, dict[str, Any]], report_dir: Path, rules: RuleSet, strict: bool = False
) -> dict:
    """Validate all tables; write GX results (JSON, one per suite) and Data Docs under report_dir.

    Returns {"success", "suites": {name: {"success", "evaluated", "failed", "statistics"}},
    "statistics": [...]}; raises ValidationFailed (after writing the reports) if an invariant
    failed, or with `strict` a corpus statistic too.
    """
    _quiet_gx()
    with warnings.catch_warnings():  # GX's own DeprecationWarnings are not ours to show
        warnings.simplefilter("ignore")
        import great_expectations as gx

    contract = rules.tables
    suites = load_suites(gx, contract, rules)
    _check_inputs(tables, contract)
    inp = Inputs({t: _rows(tables[t]) for t in contract}, contract)
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    docs = report_dir / "data_docs"
    shutil.rmtree(docs, ignore_errors=True)  # no stale pages from an earlier run
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = _context(gx, docs)
        context.data_sources.add_pandas("tables")
        summary = {"success": True, "suites": {}}
        for tname, table in contract.items():
            summary["suites"][tname] = _validate_one(gx, context, inp, table, tables[tname], suites[tname], report_dir, strict)
        context.build_data_docs()
    summary["success"] = all(s["success"] for s in summary["suites"].values())
    summary["statistics"] = [st for s in summary["suites"].values() for st in s["statistics"]]
    if not summary["success"]:
        raise ValidationFailed(_message(summary, report_dir))
    return summary


def validate_dir(dataset_dir: Path, rules: RuleSet, report_dir: Path | None = None, strict: bool = False) -> dict:
    """`stance-builder validate DIR`: re-run the suites on a built folder's Parquet files.

    Reports go to DIR/validation unless report_dir says otherwise; a missing
    Parquet file is reported as a missing table or split (ValidationFailed).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from builder.errors import InputError
    from builder.publish.export import parquet_path

    root = Path(dataset_dir)
    if not root.is_dir():
        raise InputError(f"{root}: not a directory")
    tables: dict[str, dict[str, Any]] = {}
    for name, table in rules.tables.items():
        for split in table.splits:
            path = parquet_path(root, name, split)
            if not path.is_file():
                continue
            try:
                tables.setdefault(name, {})[split] = pq.read_table(path)
            except (pa.ArrowException, OSError) as exc:
                raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
    return validate_tables(tables, Path(report_dir) if report_dir else root / "validation", rules, strict)


def _validate_one(gx, context, inp: Inputs, table: schema.Table, splits: dict, declared: list[Spec], report_dir: Path, strict: bool = False) -> dict:
    """Derive, validate and write one table's suite; return its summary."""
    specs = contract_specs(table, {s: t.schema for s, t in splits.items()}) + declared
    derived, problems = _derive(inp, table.name, specs)
    columns = _columns(splits, table)
    df = _frame(inp.rows[table.name], columns, derived, problems)
    expected = table.column_names + [SPLIT, *derived, PROBLEMS]
    specs.insert(0, Spec("ExpectTableColumnsToMatchOrderedList", {"column_list": expected}, source="tables.yaml"))
    specs.append(_problems_echo())
    key = table.key if table.key in df.columns else None
    result = _run_suite(gx, context, table.name, specs, df, key)
    report = json.dumps(result.to_json_dict(), indent=2, default=str) + "\n"
    (report_dir / f"{table.name}.json").write_text(report, encoding="utf-8")
    results = sorted(result.results, key=lambda r: r.expectation_config.meta.get("order", 0))
    invariants = [r for r in results if r.expectation_config.meta.get("kind", "invariant") == "invariant"]
    stats = [r for r in results if r.expectation_config.meta.get("kind") == "statistic"]
    failed = [describe(table.name, r, key) for r in invariants if not (r.success or r.expectation_config.meta.get("echo"))]
    figures = {sp.check: FIGURES[sp.check](inp, table.name, sp.params) for sp in specs if sp.kind == "statistic" and sp.check in FIGURES}
    statistics = [statistic(table.name, r, key, figures.get(r.expectation_config.meta.get("check"))) for r in stats]
    if strict:
        failed += [f"{describe(table.name, r, key)} [corpus statistic; --strict]" for r in stats if not r.success]
    return {"success": not failed, "evaluated": len(results), "failed": failed, "statistics": statistics}


def statistic(tname: str, result, key: str | None, figure: str | None = None) -> dict:
    """A corpus-statistics expectation as the datasheet reports it: what was asked, what was seen."""
    cfg = result.expectation_config
    meta = cfg.meta or {}
    res = result.result or {}
    if "unexpected_count" in res and res.get("element_count"):
        n, bad = res["element_count"], res["unexpected_count"]
        observed = f"{n - bad} of {n} rows ({(n - bad) / n:.1%})"
    elif "unexpected_count" in res:
        observed = "no rows"
    else:
        observed = json.dumps(_plain(res.get("observed_value")), default=str)
    if figure is not None:
        observed = figure
    elif not result.success and meta.get("derived"):
        observed = _derived_examples([e for e in res.get("partial_unexpected_index_list") or [] if isinstance(e, dict)], None, meta["check"]) or observed
    expected = getattr(cfg, "notes", None) or cfg.kwargs.get("notes") or ", ".join(f"{k}={v}" for k, v in cfg.kwargs.items() if k not in ("batch_id", "meta"))
    return {"table": tname, "name": meta.get("check") or _class_name(cfg.type), "observed": observed, "expected": str(expected), "ok": bool(result.success)}
