"""DATASHEET.md (Gebru et al., Datasheets for Datasets) of a built folder.

Rendered from the folder alone (figures.json, which also holds the provider's
checked corpus.yaml, and evaluation.json where gold existed) through
templates/datasheet.md.j2, so `stance-builder datasheet DIR` gives what the
build wrote. Every number comes from the build; nothing is typed for one corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

from builder.publish.card import context, environment
from builder.errors import InputError

FILENAME = "DATASHEET.md"


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from exc


def render(out_dir: Path) -> str:
    out_dir = Path(out_dir)
    figures = out_dir / "figures.json"
    if not figures.is_file():
        raise InputError(f"{figures}: no figures.json; build the dataset first (stance-builder build ... --out {out_dir})")
    figs = _read_json(figures)
    ev_path = out_dir / "evaluation.json"
    evaluation = _read_json(ev_path) if ev_path.is_file() else None
    return environment().get_template("datasheet.md.j2").render(**context(figs, evaluation)).rstrip("\n") + "\n"


def write_datasheet(out_dir: Path, to: Path | None = None) -> Path:
    """Write the datasheet of `out_dir` to `to` (default: `out_dir/DATASHEET.md`); returns the path."""
    to = Path(to) if to is not None else Path(out_dir) / FILENAME
    to.write_text(render(out_dir), encoding="utf-8")
    return to
