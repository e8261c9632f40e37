"""The Hugging Face dataset card (OUT/README.md) and what it shares with the datasheet.

Metadata: a `huggingface_hub.DatasetCardData` filled from the written tables
(features, split sizes, `configs`), the real size, and the provider's
corpus.yaml (name, licence): nothing is typed for one particular corpus. Prose:
the jinja2 template `templates/card.md.j2` over `context()`, which the datasheet
renders from too, so the two documents state the same facts the same way.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from builder.read import corpusinfo
from builder.rules import RuleSet
from builder.rules import contract as schema
from builder.errors import ConfigError

TEMPLATES = Path(__file__).resolve().parent / "templates"
QUALITY = TEMPLATES / "quality.yaml"

# Hub size buckets (huggingface_hub DatasetCardData: size_categories), by rows of the default config
SIZE_CATEGORIES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B")]


def size_category(n: int) -> str:
    return next((name for limit, name in SIZE_CATEGORIES if n < limit), "n>1B")


# a measured fraction as it was reported, so 0.630 keeps its last digit
Figure = Annotated[str, StringConstraints(pattern=r"^(0\.\d+|1\.0+)$")]


class _Measurement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    text: str
    source: str
    figures: dict[str, Figure]


class Quality(BaseModel):
    """templates/quality.yaml: measured quality on unseen text, one place for both documents."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    scope: str
    reading: str
    measurements: list[_Measurement]


@lru_cache(maxsize=None)
def load_quality(path: Path = QUALITY) -> Quality:
    try:
        return Quality.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: {exc}".replace("\n", " ")) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"{path}: key {'.'.join(map(str, err['loc']))!r}: {err['msg']}") from None


def environment():
    """jinja2 over templates/: undefined names fail loudly, blocks leave no blank lines."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined, autoescape=False,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["f3"] = lambda x: f"{x:.3f}"
    env.filters["summary"] = lambda d, sep=": ": ", ".join(f"{k}{sep}{v}" for k, v in d.items())
    return env


def _known_outlets(per_outlet: dict) -> list[tuple[str, int]]:
    return sorted(((k, v) for k, v in per_outlet.items() if k != "unknown"), key=lambda kv: (-kv[1], kv[0]))


def context(figs: dict, evaluation: dict | None = None) -> dict:
    """Everything the card and datasheet templates read: the build's figures, the provider's
    answers (figures.json `corpus`), the measured quality, and a few summaries of them."""
    info, rec = corpusinfo.restore(figs)
    per_article = figs["per_article"]
    urls = sorted(v["url"] for v in per_article.values() if v.get("url"))
    sources = figs.get("label_sources", {})
    return {
        "f": figs,
        "info": info,
        "OPEN": corpusinfo.OPEN,
        "corpus_yaml": rec.get("corpus_yaml", False),
        "input_folder": rec.get("input_folder"),
        "title": info.pretty_name or rec.get("input_folder") or "stance-builder corpus",
        "labels": list(figs["label_counts"]),
        "outlets": _known_outlets(figs["per_outlet"]),
        "n_outlet_unknown": figs["per_outlet"].get("unknown", 0),
        "dates": figs.get("published_range"),
        "urls": urls,
        "n_gold": sources.get("gold", 0),
        "n_rule": sources.get("rule", 0),
        "agreement": figs.get("annotator_agreement"),
        "evaluation": evaluation,
        "split": figs.get("split_rules"),
        "dropped": figs.get("dropped"),
        "corpus_statistics": figs.get("corpus_statistics"),
        "quality": load_quality(),
        "model": figs.get("model"),
    }


def card_data(tables: dict[str, dict[str, pa.Table]], figs: dict, rules: RuleSet):
    """The card's YAML block: configs and dataset_info from the written tables (through
    `datasets.DatasetInfosDict.to_dataset_card_data`, as `push_to_hub` writes them), the rest from
    the corpus."""
    import datasets
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCardData

    specs = rules.tables
    info, rec = corpusinfo.restore(figs)
    configs, infos = [], DatasetInfosDict()
    for name, splits in tables.items():
        entry = {"config_name": name, "data_files": [{"split": s, "path": f"data/{name}/{s}-*.parquet"} for s in splits]}
        if name == "sentences":
            entry["default"] = True
        configs.append(entry)
        split_dict = datasets.SplitDict()
        for s, t in splits.items():
            split_dict.add(datasets.SplitInfo(name=s, num_bytes=t.nbytes, num_examples=t.num_rows))
        infos[name] = datasets.DatasetInfo(features=schema.features(specs[name]), splits=split_dict)
    card = DatasetCardData(
        pretty_name=info.pretty_name or rec.get("input_folder") or "stance-builder corpus",
        language=["en"],
        license=info.card.license or "unknown",
        license_name=info.card.license_name,
        license_link=info.card.license_link,
        multilinguality="monolingual",
        language_creators=["found"],
        source_datasets=["original"],
        task_categories=["text-classification", "token-classification"],
        task_ids=["multi-label-classification", "named-entity-recognition"],
        size_categories=[size_category(figs["n_sentences"])],
        configs=configs,
    )
    infos.to_dataset_card_data(card)
    return card


def column_table(table: schema.Table) -> str:
    lines = ["| column | type | meaning |", "|---|---|---|"]
    for c in table.columns:
        ctype = c.type
        if c.type == "class_label":
            ctype = f"ClassLabel({', '.join(c.names)})"
        elif c.item_names:
            ctype = f"List of ClassLabel({', '.join(c.item_names)})"
        elif c.struct_fields:
            ctype = "List of {" + ", ".join(c.struct_fields) + "}"
        elif c.type == "list":
            ctype = f"List of {c.item}"
        null = ", null" if c.nullable else ""
        lines.append(f"| `{c.name}` | {ctype}{null} | {c.description} |")
    return "\n".join(lines)


def render_card(tables: dict[str, dict[str, pa.Table]], figs: dict, rules: RuleSet,
                evaluation: dict | None = None) -> str:
    from huggingface_hub import DatasetCard

    body = environment().get_template("card.md.j2").render(
        **context(figs, evaluation), columns={n: column_table(t) for n, t in rules.tables.items()}
    )
    # DatasetCard parses the block back, so a card the Hub cannot read fails here, not on upload
    body = body.strip("\n") + "\n"
    return str(DatasetCard(f"---\n{card_data(tables, figs, rules).to_yaml()}\n---\n\n{body}"))
