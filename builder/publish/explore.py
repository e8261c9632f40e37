"""A static, self-contained HTML explorer of a built dataset (DIR/explorer/index.html).

Reads only the written Parquet files, so it shows exactly what users load. Every
piece of article text goes through html.escape or displaCy (which escapes), so
nothing in an article is ever interpreted by the browser.
"""

from __future__ import annotations

import html
import io
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from builder.errors import InputError

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;line-height:1.5;color:#222}
h1,h2,h3{line-height:1.2} nav a{margin-right:.6rem} table{border-collapse:collapse;margin:1rem 0}
td,th{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top;text-align:left}
.q{text-decoration:underline;text-decoration-thickness:2px;text-underline-offset:3px}
.side-US{text-decoration-color:#1f5fbf}.side-RU{text-decoration-color:#c0392b}.side-EU{text-decoration-color:#d4a017}
.lab{display:inline-block;border-radius:.3rem;padding:0 .35rem;margin:0 .15rem;font-size:.8rem;background:#eef}
.cue{background:#ffe9a8} .removed{color:#777;font-size:.9rem} .speaker{font-size:.8rem;color:#555}
"""


def _rows(out_dir: Path, config: str, article_ids: set[str] | None = None) -> list[dict]:
    """A table's rows, only those of the shown articles (a large corpus is not read into memory whole)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    files = sorted((out_dir / "data" / config).glob("*.parquet"))
    if not files:
        raise InputError(f"{out_dir}: no {config} table; build the dataset first")
    rows = []
    for f in files:
        table = pq.ParquetFile(f).read()  # pq.read_table would import pyarrow.dataset (~0.5 s)
        if article_ids is not None and "article_id" in table.column_names:
            table = table.filter(pc.is_in(table.column("article_id"), value_set=pa.array(sorted(article_ids))))
        rows.extend(table.to_pylist())
    return rows


def _class_names(out_dir: Path, config: str, column: str) -> list[str]:
    """ClassLabel names from the datasets metadata the Parquet files carry."""
    import json

    f = next((out_dir / "data" / config).glob("*.parquet"))
    meta = json.loads(pq.read_schema(f).metadata[b"huggingface"])
    feature = meta["info"]["features"][column]
    return (feature.get("feature") or feature)["names"]


def chart_svg(sentences: list[dict], articles: dict[str, dict], label_names: list[str]) -> str:
    """Stance labels by speaker side and by outlet, as inline SVG (matplotlib)."""
    import matplotlib
    from matplotlib.figure import Figure  # no pyplot: no global figure state, no GUI backend

    by_side: Counter = Counter()
    by_outlet: Counter = Counter()
    for s in sentences:
        for label in s["labels"]:
            by_side[(s["speaker_side"] or "narrator/none", label_names[label])] += 1
            by_outlet[(articles[s["article_id"]]["outlet"] or "unknown", label_names[label])] += 1
    fig = Figure(figsize=(11, 3.8))
    axes = fig.subplots(1, 2)
    for ax, counts, title in ((axes[0], by_side, "by speaker side"), (axes[1], by_outlet, "by outlet")):
        groups = sorted({g for g, _ in counts})
        bottom = [0] * len(groups)
        for label in label_names:
            values = [counts[(g, label)] for g in groups]
            ax.bar(groups, values, bottom=bottom, label=label)
            bottom = [b + v for b, v in zip(bottom, values)]
        ax.set_title(f"Stance labels {title}")
        ax.tick_params(axis="x", labelrotation=20)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "stance-builder"}):  # stable ids: the same data gives the same file
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


def _sentence_html(s: dict, quotes: dict[str, dict], label_names: list[str], article_text: str) -> str:
    """The sentence with its quotation underlined (speaker and side on hover) and its cues marked."""
    text = s["text"]
    marks: list[tuple[int, int, str, str]] = []  # (start, end, open tag, close tag) in sentence offsets
    q = quotes.get(s["quote_id"]) if s["quote_id"] else None
    if q is not None:
        a, b = max(q["start"] - s["start"], 0), min(q["end"] - s["start"], len(text))
        if a < b:
            who = html.escape(f"{q['speaker'] or 'unknown speaker'} ({q['speaker_side'] or 'no side'})", quote=True)
            marks.append((a, b, f'<span class="q side-{html.escape(q["speaker_side"] or "none")}" title="{who}">', "</span>"))
    for ev in s["stance_evidence"]:
        if ev["start"] is not None and 0 <= ev["start"] < ev["end"] <= len(text) and ev["end"] - ev["start"] < len(text):
            marks.append((ev["start"], ev["end"], f'<mark class="cue" title="{html.escape(ev["label"], quote=True)}">', "</mark>"))
    # render non-overlapping marks (a cue inside a quotation is shown inside it)
    events = sorted([(a, 0, o) for a, b, o, c in marks] + [(b, 1, c) for a, b, o, c in marks], key=lambda e: (e[0], -e[1]))
    out, pos = [], 0
    for at, _, tag in events:
        out.append(html.escape(text[pos:at]))
        out.append(tag)
        pos = at
    out.append(html.escape(text[pos:]))
    labels = "".join(f'<span class="lab">{html.escape(label_names[l])}</span>' for l in s["labels"])
    speaker = f'<div class="speaker">speaker: {html.escape(s["speaker"])} ({html.escape(s["speaker_side"] or "no side")})</div>' if s["speaker"] else ""
    return f"<tr><td>{s['index']}</td><td>{''.join(out)}{speaker}</td><td>{labels}</td></tr>"


def render(out_dir: Path, limit: int = 0) -> str:
    """The explorer page; with `limit`, only the first `limit` articles (by id) are shown."""
    from spacy.displacy.render import EntityRenderer

    renderer = EntityRenderer({})  # one renderer: displacy.render() rescans the colour registry per call

    ids = sorted(pq.ParquetFile(next((out_dir / "data" / "articles").glob("*.parquet"))).read(columns=["article_id"]).column("article_id").to_pylist()) if (out_dir / "data" / "articles").is_dir() else []
    shown = set(ids[:limit]) if limit and len(ids) > limit else None
    sentences = _rows(out_dir, "sentences", shown)
    articles = {a["article_id"]: a for a in _rows(out_dir, "articles", shown)}
    quotes = {q["quote_id"]: q for q in _rows(out_dir, "quotes", shown)}
    label_names = _class_names(out_dir, "sentences", "labels")
    by_article: dict[str, list[dict]] = {}
    for s in sorted(sentences, key=lambda r: (r["article_id"], r["index"])):
        by_article.setdefault(s["article_id"], []).append(s)
    label_counts = Counter(label_names[l] for s in sentences for l in s["labels"])
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>stance-builder explorer</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Dataset explorer</h1>",
        "<nav>" + "".join(f"<a href='#{html.escape(aid, quote=True)}'>{html.escape(aid)}</a>" for aid in by_article) + "</nav>",
        "<h2 id='overview'>Overview</h2>",
        (f"<p><strong>Showing the first {len(articles)} of {len(ids)} articles</strong>; "
         "<code>stance-builder explore DIR --limit 0</code> writes them all.</p>" if shown is not None else ""),
        f"<p>{len(articles)} articles, {len(sentences)} sentences, {len(quotes)} quotes, "
        f"{sum(len(s['entities']) for s in sentences)} entity mentions. Labels: "
        + ", ".join(f"{html.escape(k)} {v}" for k, v in sorted(label_counts.items()))
        + "</p>",
        chart_svg(sentences, articles, label_names),
    ]
    for aid, sents in by_article.items():
        art = articles[aid]
        ents = [
            {"start": s["start"] + e["start"], "end": s["start"] + e["end"], "label": e["label"] + (f" {e['side']}" if e["side"] else "")}
            for s in sents
            for e in s["entities"]
        ]
        title = art["title"] or aid
        parts.append(f"<section class='article' id='{html.escape(aid, quote=True)}'><h2>{html.escape(title)}</h2>")
        parts.append(f"<p class='speaker'>{html.escape(aid)} · {html.escape(art['outlet'] or 'unknown outlet')} · {html.escape(art['published'] or 'no date')}</p>")
        parts.append(renderer.render([{"text": art["text"], "ents": ents, "title": None}], page=False, minify=False).strip())
        parts.append("<h3>Sentences</h3><table><tr><th>#</th><th>sentence (quotation underlined; hover for speaker)</th><th>labels</th></tr>")
        parts.extend(_sentence_html(s, quotes, label_names, art["text"]) for s in sents)
        parts.append("</table>")
        if art["removed"]:
            parts.append("<h3>Removed furniture</h3><ul class='removed'>" + "".join(f"<li>{html.escape(r)}</li>" for r in art["removed"]) + "</ul>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


DEFAULT_LIMIT = 200  # a page of thousands of articles helps no reviewer and costs memory


def write_explorer(out_dir: Path, limit: int = DEFAULT_LIMIT) -> Path:
    target = out_dir / "explorer" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(out_dir, limit), encoding="utf-8")
    return target
