"""Real news the rules were not written on: a fixed sample of 25 development-corpus articles and
25 PolNeAR articles (read from ../shared, never copied here) builds with no crash, no item dropped
by the invariant checks, every Great Expectations invariant holding, and no article in two splits.
The full run over all ~1,000 articles is `python -m benchmarks.real_corpora`."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from benchmarks import real_corpora

pytestmark = pytest.mark.skipif(
    not all(f.is_file() for files in real_corpora.CORPORA.values() for f in files),
    reason="the shared real corpora are not beside this checkout",
)


@pytest.mark.parametrize("name", sorted(real_corpora.CORPORA))
def test_a_sample_of_real_news_builds_whole(name, tmp_path):
    result = real_corpora.run(name, 25, None, tmp_path)
    assert result["error"] is None, result["error"]
    assert result["crashes"] == []
    assert result["dropped"] == [], result["dropped"][:5]
    assert result["skipped"] == []
    where: dict[str, set] = {}
    for path in (tmp_path / f"{name}_out" / "data" / "sentences").glob("*.parquet"):
        for aid in pq.read_table(path, columns=["article_id"]).column("article_id").to_pylist():
            where.setdefault(aid, set()).add(path.name)
    assert len(where) == 25 and all(len(s) == 1 for s in where.values())
