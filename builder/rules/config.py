"""Reads the data files under schemas/ once, with errors that name the file and the key.

Everything rule-like (furniture, gazetteer, cues, taxonomy, table contract,
expectation suites, split proportions) is data; this is the one place it is
parsed. The rule files are then checked by their pydantic models (builder/rules/check.py;
the expectation suites by builder/validate/spec.py).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from builder.errors import ConfigError


def _schemas_dir() -> Path:
    """The rule files shipped with the package: builder/schemas/ in an installed wheel (pyproject maps
    the repository's schemas/ there), the checkout's schemas/ when running from source (editable)."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "schemas"
    return installed if installed.is_dir() else package.parent / "schemas"


SCHEMAS_DIR = _schemas_dir()


@functools.lru_cache(maxsize=None)
def _load(name: str, schemas_dir: str) -> Any:
    path = Path(schemas_dir) / f"{name}.yaml"
    if not path.is_file():
        raise ConfigError(f"{path}: missing schema file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML error: {exc}".replace("\n", " ")) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 at byte {exc.start}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: top level must be a mapping")
    return data


def load(name: str, schemas_dir: Path | None = None) -> Any:
    """The parsed `schemas/<name>.yaml` (cached; callers must not mutate it)."""
    return _load(name, str(schemas_dir or SCHEMAS_DIR))


def schema_path(name: str, schemas_dir: Path | None = None) -> Path:
    return Path(schemas_dir or SCHEMAS_DIR) / f"{name}.yaml"
