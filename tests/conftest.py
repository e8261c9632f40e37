"""Shared fixtures: the real pipeline (loaded once) and one real build of the seeds."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# CLI builds in tests use a cache of their own, never the user's ~/.cache/stance-builder
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="stance-builder-test-cache-")

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from builder.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def analyse_text(nlp):
    """Run the real pipeline on one article text; returns (doc, sentences as dicts)."""
    from builder.nlp.fields import values
    from builder.nlp.segment import content_sents

    def run(text: str):
        doc = nlp(text)
        return doc, [{"text": s.text, **values(s, "sentence")} for s in content_sents(doc)]

    return run


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """One real build of the seeds (with gold) into a temporary folder."""
    from builder.run.build import BuildOptions, run_build

    out = tmp_path_factory.mktemp("build") / "output"
    result = run_build(BuildOptions(input_dir=SEEDS, out_dir=out))
    return out, result


@pytest.fixture(scope="session")
def seed_corpus():
    """The seeds analysed by the rules only (no gold applied)."""
    from builder.run.build import BuildOptions, analyse_corpus

    return analyse_corpus(BuildOptions(input_dir=SEEDS, out_dir=REPO / "output", use_gold=False))


@pytest.fixture
def seeds_copy(tmp_path):
    """A writable copy of the seeds folder (gold included)."""
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst
