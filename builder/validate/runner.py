"""Great Expectations itself: an ephemeral context, one suite per table run on its DataFrame, the JSON
results and the Data Docs written to the report folder.

GX is imported only here, when a validation runs (it takes seconds to import;
the CLI must start fast), quietly: builds print no analytics, logs or progress bars.
"""

from __future__ import annotations

import json
import os
import warnings
from contextlib import contextmanager
from pathlib import Path

from builder.validate.entries import Entry

PARTIAL = 10  # unexpected values kept in GX's results


@contextmanager
def quiet():
    """GX's own DeprecationWarnings are not ours to show."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def import_gx():
    """The great_expectations module, without its analytics, log chatter or DeprecationWarnings."""
    import logging

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    with quiet():
        import great_expectations as gx
    return gx


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


class Runner:
    """Runs suites in one context; results go to its store so the Data Docs show every run."""

    def __init__(self, gx, report_dir: Path):
        self.gx, self.report_dir = gx, report_dir
        self.context = _context(gx, report_dir / "data_docs")
        self.source = self.context.data_sources.add_pandas("tables")

    def run(self, name: str, entries: list[Entry], df, key: str | None) -> list:
        """Validate `df` against the entries; write `<name>.json`; return the results in entry order.

        meta carries each entry's name, kind and position, for the Data Docs and the JSON readers.
        """
        gx = self.gx
        meta = [{"check": e.name, "kind": e.kind, "order": i} for i, e in enumerate(entries)]
        # built whole, then stored once: add_expectation() would re-serialise the suite per expectation
        suite = self.context.suites.add(gx.ExpectationSuite(name=name, expectations=[e.to_gx(gx, m) for e, m in zip(entries, meta)]))
        batch = self.source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(f"{name}_all")
        vd = self.context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        fmt = {"result_format": "SUMMARY", "partial_unexpected_count": PARTIAL}
        if key:
            fmt["unexpected_index_column_names"] = [key]
        result = vd.run(batch_parameters={"dataframe": df}, result_format=fmt)
        report = json.dumps(result.to_json_dict(), indent=2, default=str) + "\n"
        (self.report_dir / f"{name}.json").write_text(report, encoding="utf-8")
        return sorted(result.results, key=lambda r: r.expectation_config.meta["order"])

    def build_docs(self) -> None:
        self.context.build_data_docs()
