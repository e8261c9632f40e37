"""The one way a rule file is checked: a pydantic model of its shape, errors as '<path>: <key.path>: <reason>'.

Each module of builder/rules/ declares the model of its file (unknown keys are
errors, YAML types taken as written, the checks of values as validators) and
compiles from the validated model, so a rule set that loads is a valid one.
"""

from __future__ import annotations

import re
import types
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo

from builder.errors import ConfigError
from builder.rules import config

M = TypeVar("M", bound=BaseModel)


class RuleModel(BaseModel):
    """A mapping of a rule file: a key it does not declare is a typo, and a value of another YAML type
    ('200' for a number, 'no' for a boolean) is an error, not a value coerced into a silent rule."""

    model_config = ConfigDict(extra="forbid", strict=True)
    # the field that names an item of a list in messages ("labels.ru_hard_line.cues[0]"), else its index
    key_field: ClassVar[str | None] = None


def _word(value: str) -> str:
    if not value.strip():
        raise ValueError("expected a word, not a blank")
    return value


def compiles(pattern: str) -> str:
    """`pattern` if it is a regular expression Python compiles."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad regular expression: {exc}") from None
    return pattern


Word = Annotated[str, AfterValidator(_word)]
Words = list[Word]
Regex = Annotated[str, AfterValidator(compiles)]  # compiled by the module, with the flags its rule asks for
Share = Annotated[float, Field(ge=0, le=1)]


def _declare(value: Any, info: ValidationInfo) -> Any:
    info.context[info.field_name] = value
    return value


# names a field declares for the entries validated after it ("sides" before the entities of a side);
# pydantic validates fields in the order the model declares them, whatever the file's order
Declares = AfterValidator(_declare)


def known(kind: str, names: str) -> AfterValidator:
    """A value must be one of the `names` declared earlier in the file (`Declares`) or given to `read`."""

    def check(value: str, info: ValidationInfo) -> str:
        declared = info.context.get(names)
        if declared is not None and value not in declared:  # None: the declaring field failed and says why
            raise ValueError(f"unknown {kind} {value!r} (declared: {', '.join(declared)})")
        return value

    return AfterValidator(check)


def unique(kind: str) -> AfterValidator:
    """A value may occur once in the file (an id, a label name)."""

    def check(value: str, info: ValidationInfo) -> str:
        seen = info.context.setdefault(("seen", kind), set())
        if value in seen:
            raise ValueError(f"duplicate {kind} {value!r}")
        seen.add(value)
        return value

    return AfterValidator(check)


Side = Annotated[str, known("side", "sides")]


def read(name: str, model: type[M], schemas_dir: Path | None = None, **context: Any) -> M:
    """`schemas/<name>.yaml` checked by `model`; `context` holds names other files declare (sides)."""
    data = config.load(name, schemas_dir)
    try:
        return model.model_validate(data, context=dict(context))
    except ValidationError as exc:
        where = config.schema_path(name, schemas_dir)
        # an unknown key first: a misspelt key is also reported missing under its right name
        first = min(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        raise ConfigError(f"{where}: {_describe(first, model, data)}") from None


def _describe(error: dict, model: type[BaseModel], data: Any) -> str:
    """'<key.path>: <reason>' of one pydantic error, the key path spelled as in the file."""
    loc = list(error["loc"])
    key = loc.pop() if error["type"] in ("extra_forbidden", "missing") else None
    where, allowed = _walk(model, data, loc)
    if error["type"] == "extra_forbidden":
        reason = f"unknown key {key!r} (allowed: {', '.join(allowed)})"
    elif error["type"] == "missing":
        reason = f"missing key {key!r}"
    elif error["type"] == "value_error":
        reason = str(error["ctx"]["error"])
    elif error["type"] == "literal_error":
        reason = f"unknown value {error['input']!r} (allowed: {error['ctx']['expected']})"
    else:
        shown = repr(error["input"])
        reason = f"{error['msg'][0].lower()}{error['msg'][1:]}, not {shown if len(shown) < 60 else shown[:57] + '...'}"
    return f"{where}: {reason}" if where else reason


def _walk(tp: Any, data: Any, loc: list) -> tuple[str, list[str]]:
    """The key path of `loc` ('rules[3].pattern', 'labels.ru_hard_line.cues[0]') and the keys allowed where it ends."""
    path = ""
    for part in loc:
        tp = _bare(tp)
        if part == "[key]":  # the error is in a mapping's key, already named
            continue
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            path += f".{part}"
            field = tp.model_fields.get(part)
            tp, data = (field.annotation if field else None), _get(data, part)
        elif get_origin(tp) is list:
            item, data = _bare(get_args(tp)[0]), _get(data, part)
            named = isinstance(item, type) and issubclass(item, RuleModel) and item.key_field
            name = data.get(named) if named and isinstance(data, dict) else None
            path += f".{name}" if isinstance(name, str) else f"[{part}]"
            tp = item
        elif get_origin(tp) is dict:
            path += f".{part}"
            tp, data = get_args(tp)[1], _get(data, part)
        elif _is_union(tp):  # a tagged union: the part is the tag of the member that failed
            tagged = {getattr(x, "tag", None): m for m in get_args(tp) for x in getattr(m, "__metadata__", ())}
            tp = tagged.get(part)
        else:
            path += f"[{part}]" if isinstance(part, int) else f".{part}"
            tp = None
    tp = _bare(tp)
    allowed = sorted(tp.model_fields) if isinstance(tp, type) and issubclass(tp, BaseModel) else []
    return path.lstrip("."), allowed


def _get(data: Any, part: Any) -> Any:
    try:
        return data[part]
    except (KeyError, IndexError, TypeError):
        return None


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _bare(tp: Any) -> Any:
    """`tp` without Annotated metadata and without `| None`."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif _is_union(tp) and len(members := [m for m in get_args(tp) if m is not type(None)]) == 1:
            tp = members[0]
        else:
            return tp
