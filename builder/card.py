"""The Hugging Face dataset card (output/README.md): YAML metadata from the contract, prose from a template.

Features and split sizes are read off the written tables, so the card cannot
disagree with the files it describes.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

import pyarrow as pa
import yaml

from . import schema

TEMPLATES = Path(__file__).resolve().parent / "templates"


def card_metadata(tables: dict[str, dict[str, pa.Table]], schemas_dir: Path | None = None) -> dict:
    specs = schema.load_tables(schemas_dir)
    configs, infos = [], []
    for name, splits in tables.items():
        entry = {
            "config_name": name,
            "data_files": [{"split": s, "path": f"data/{name}/{s}-*.parquet"} for s in splits],
        }
        if name == "sentences":
            entry["default"] = True
        configs.append(entry)
        infos.append(
            {
                "config_name": name,
                "features": schema.features(specs[name])._to_yaml_list(),
                "splits": [{"name": s, "num_bytes": t.nbytes, "num_examples": t.num_rows} for s, t in splits.items()],
            }
        )
    return {
        "pretty_name": "US-Russia security talks: entities, quotes and stance",
        "language": ["en"],
        "license": "other",
        "license_name": "source-texts-copyright-of-their-outlets",
        "task_categories": ["text-classification", "token-classification"],
        "task_ids": ["multi-label-classification", "named-entity-recognition"],
        "size_categories": ["n<1K"],
        "configs": configs,
        "dataset_info": infos,
    }


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


def render_card(tables: dict[str, dict[str, pa.Table]], figs: dict, schemas_dir: Path | None = None) -> str:
    meta = yaml.safe_dump(card_metadata(tables, schemas_dir), sort_keys=False, allow_unicode=True)
    specs = schema.load_tables(schemas_dir)
    body = Template((TEMPLATES / "card.md").read_text(encoding="utf-8")).substitute(
        {**card_figures(figs), **{f"columns_{n}": column_table(t) for n, t in specs.items()}}
    )
    return f"---\n{meta}---\n\n{body}"


def card_figures(figs: dict) -> dict:
    """The card template's placeholders."""
    return {
        **{k: v for k, v in figs.items() if not isinstance(v, dict)},
        "split_summary": ", ".join(f"{k} {v}" for k, v in figs["split_sizes"].items()),
        "label_summary": ", ".join(f"`{k}` {v}" for k, v in figs["label_counts"].items()),
    }
