"""The HTML explorer in a real headless browser (Debian's chromium driven by Playwright), and the
Label Studio review round trip."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from builder import cli
from builder.errors import InputError

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (Debian package 'chromium'; .ci/run installs it)")
def test_explorer_in_a_headless_browser(seed_build, tmp_path):
    from playwright.sync_api import sync_playwright

    out, result = seed_build
    page_file = out / "explorer" / "index.html"
    assert page_file.exists()
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)  # Playwright uses a fresh profile
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        assert page.locator("section.article").count() == result.figures["n_articles"]
        assert page.locator("svg").count() >= 1  # the chart
        assert page.locator("mark.entity").count() > 50  # displaCy entities
        assert page.locator("span.q").count() > 0 and page.locator("mark.cue").count() > 0
        assert "Removed furniture" in page.content()
        shot = tmp_path / "explorer.png"
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    assert errors == []
    assert shot.stat().st_size > 10_000


def test_explorer_escapes_article_text(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "x.txt").write_text('The Kremlin said <script>alert("x")</script> was "a <b>test</b>," Peskov said.', encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["build", str(src), "--out", str(out), "--no-cache"]) == 0
    page = (out / "explorer" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>test</b>" not in page


def test_label_studio_round_trip(seed_build, tmp_path):
    out, _ = seed_build
    tasks_file = tmp_path / "review" / "tasks.json"
    assert cli.main(["export-review", str(out), "--to", str(tasks_file)]) == 0
    tasks = json.loads(tasks_file.read_text())
    assert len(tasks) == 94 and (tasks_file.parent / "label_config.xml").exists()
    first = tasks[0]
    assert {"text", "sentence_id", "article_id", "index"} <= set(first["data"])
    assert first["predictions"][0]["result"]
    # a reviewer corrects one sentence: adds a label and changes the speaker
    gold = tmp_path / "gold"
    shutil.copytree(Path(__file__).resolve().parent.parent / "seeds" / "gold", gold)
    target = next(t for t in tasks if t["data"]["sentence_id"] == "000_73e2c0667f79ae5f-s001")
    target["annotations"] = [{"result": [
        {"from_name": "stance", "to_name": "text", "type": "choices", "value": {"choices": ["us_diplomacy"]}},
        {"from_name": "quote_type", "to_name": "text", "type": "choices", "value": {"choices": ["none"]}},
    ]}]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks))
    assert cli.main(["import-review", str(export), "--gold", str(gold)]) == 0
    lines = [json.loads(l) for l in (gold / "000_73e2c0667f79ae5f.jsonl").read_text().splitlines()]
    assert lines[1]["labels"] == ["us_diplomacy"] and lines[1]["text"] == target["data"]["text"]
    assert lines[0] == json.loads((Path(__file__).resolve().parent.parent / "seeds" / "gold" / "000_73e2c0667f79ae5f.jsonl").read_text().splitlines()[0])
    # a label outside the taxonomy is refused, naming the task
    target["annotations"][0]["result"][0]["value"]["choices"] = ["us_appeasement"]
    export.write_text(json.dumps(tasks))
    from builder.publish.review import import_review
    from builder.rules import load_rules

    with pytest.raises(InputError, match="label 'us_appeasement' is not in the stance taxonomy"):
        import_review(export, gold, load_rules())
