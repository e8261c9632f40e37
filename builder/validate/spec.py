"""schemas/expectations.yaml read into checked suite entries, one list per table.

Every problem is a ConfigError naming the file and the key path
(`suites.sentences[3].colum`), found at load time rather than as a confusing GX
exception mid-run. A value `{from: <file>.<key>}` is that key of
schemas/<file>.yaml (a mapping gives its keys), so the suites reuse the rule
files' lists instead of copying them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from builder.errors import ConfigError
from builder.rules import RuleSet
from builder.rules import contract as schema
from builder.validate import (  # noqa: F401  (importing the check modules registers their checks)
    checks_contract,
    checks_links,
    checks_spans,
    checks_splits,
    checks_statistics,
    checks_values,
)
from builder.validate.entries import SPLIT, Check, Entry, Expectation
from builder.validate.registry import CHECKS

EXTRA = ("extra_forbidden", "value_error.extra")  # pydantic 2 (ours), pydantic 1 (GX's expectations)


class ExpectationsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    suites: dict[str, list[Any]] | None


def _where(path: Path, loc: tuple) -> str:
    """'<file>: suites.sentences[0].column' from a key path."""
    dotted = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    return f"{path}: {dotted}" if dotted else str(path)


def _first_error(exc) -> dict:
    """The error that says most: an unknown key (a typo) before the required key it was meant to be."""
    return sorted(exc.errors(), key=lambda e: e["type"] not in EXTRA)[0]


def _validate(model: type[BaseModel], data: Any, path: Path, loc: tuple, what: str = ""):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = _first_error(exc)
        key = ".".join(map(str, err["loc"]))
        if err["type"] in EXTRA:
            allowed = ", ".join(sorted(model.model_fields))
            raise ConfigError(f"{_where(path, loc)}: unknown key {key!r} (allowed: {allowed})") from None
        if err["type"] == "missing":
            raise ConfigError(f"{_where(path, loc)}: missing key {key!r}{what}") from None
        raise ConfigError(f"{_where(path, loc + tuple(err['loc']))}: {err['msg']}") from None


def _resolve(value: Any, path: Path, loc: tuple, rules: RuleSet) -> Any:
    """Replace {from: file.key} by that key of schemas/<file>.yaml (a mapping gives its keys)."""
    if not (isinstance(value, dict) and set(value) == {"from"}):
        return value
    name, _, key = str(value["from"]).partition(".")
    data = rules.raw(name)
    if key not in data:
        raise ConfigError(f"{_where(path, loc)}: {{from: {value['from']}}}: {rules.path(name)} has no key {key!r}")
    found = data[key]
    return list(found) if isinstance(found, (dict, list)) else found


def _expectation(gx, entry: dict, path: Path, loc: tuple, table: schema.Table) -> Expectation:
    """A GX expectation entry, checked by building the GX object once."""
    spec = _validate(Expectation, entry, path, loc)
    cls = getattr(gx.expectations, spec.expectation, None)
    if not (isinstance(cls, type) and issubclass(cls, gx.expectations.Expectation)):
        raise ConfigError(f"{_where(path, loc + ('expectation',))}: unknown Great Expectations expectation {spec.expectation!r}")
    known = set(table.column_names) | {SPLIT}
    named = [spec.kwargs[k] for k in ("column", "column_A", "column_B") if k in spec.kwargs]
    for col in named + list(spec.kwargs.get("column_list") or []):
        if col not in known:
            raise ConfigError(f"{_where(path, loc)}: unknown column {col!r} of table {table.name!r}")
    try:
        spec.to_gx(gx)
    except Exception as exc:  # pydantic.v1 ValidationError, GX's InvalidExpectationConfigurationError
        if not callable(getattr(exc, "errors", None)):
            raise ConfigError(f"{_where(path, loc)}: {cls.__name__}: {exc}") from exc
        err = _first_error(exc)
        reason = "unknown key" if err["type"] in EXTRA else err.get("msg", "")
        raise ConfigError(f"{_where(path, loc + tuple(err.get('loc', ())))}: {cls.__name__}: {reason}") from exc
    return spec


def _check(entry: dict, path: Path, loc: tuple, table: schema.Table) -> Check:
    """A derived check entry, checked against the check's own parameter model."""
    name = entry["check"]
    derived = CHECKS.get(name)
    if derived is None:
        known = ", ".join(sorted(n for n, c in CHECKS.items() if c.tables))
        raise ConfigError(f"{_where(path, loc + ('check',))}: unknown derived check {name!r} (known: {known})")
    if derived.tables is None:
        raise ConfigError(f"{_where(path, loc + ('check',))}: {name!r} is generated from tables.yaml for every table, not declared")
    if table.name not in derived.tables:
        raise ConfigError(f"{_where(path, loc + ('check',))}: {name!r} applies to {', '.join(derived.tables)}, not {table.name!r}")
    return _validate(derived.params, entry, path, loc, f" of check {name!r}")


def _entry(gx, entry: Any, path: Path, loc: tuple, table: schema.Table, rules: RuleSet) -> Entry:
    """A GX expectation or a derived check, never both or neither."""
    if not isinstance(entry, dict) or len({"expectation", "check"} & set(entry)) != 1:
        raise ConfigError(f"{_where(path, loc)}: expected a mapping with exactly one of 'expectation' or 'check'")
    entry = {k: _resolve(v, path, loc + (k,), rules) for k, v in entry.items()}
    if "check" in entry:
        return _check(entry, path, loc, table)
    return _expectation(gx, entry, path, loc, table)


def load_suites(gx, rules: RuleSet) -> dict[str, list[Entry]]:
    """The declared part of every table's suite, checked key by key."""
    path = rules.path("expectations")
    data = _validate(ExpectationsFile, rules.raw("expectations"), path, ())
    contract = rules.tables
    suites: dict[str, list[Entry]] = {t: [] for t in contract}
    for tname, entries in (data.suites or {}).items():
        if tname not in contract:
            raise ConfigError(f"{_where(path, ('suites', tname))}: unknown table (tables.yaml declares {', '.join(contract)})")
        for i, raw in enumerate(entries):
            loc = ("suites", tname, i)
            entry = _entry(gx, raw, path, loc, contract[tname], rules)
            if isinstance(entry, Check) and any(isinstance(e, Check) and e.name == entry.name for e in suites[tname]):
                raise ConfigError(f"{_where(path, loc + ('check',))}: {entry.name!r} is declared twice (it names a result column)")
            suites[tname].append(entry)
    return suites
