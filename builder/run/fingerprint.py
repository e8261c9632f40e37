"""One fingerprint of what a build's results depend on besides its input: rules, model and code.

The analysis cache uses it as its namespace and the manifest records it, so
"the rules changed", "the model changed" and "the code changed" are one test,
with no hand-kept list of files to forget.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from builder.rules import RuleSet

PACKAGE = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of every module and template of the package (by path inside the package)."""
    h = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.glob("publish/templates/*")]):
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def model_name() -> str:
    """The spaCy model package and its version, as the fingerprint and the manifest name it."""
    from importlib.metadata import version

    from builder.nlp.pipeline import MODEL_PACKAGE

    return f"{MODEL_PACKAGE}-{version(MODEL_PACKAGE)}"


def fingerprint(rules: RuleSet, model: str) -> str:
    """rules + model (name-version) + spaCy's version + code."""
    from importlib.metadata import version  # not `import spacy`: a cached rebuild never needs it

    key = f"{model}|spacy-{version('spacy')}|rules-{rules.fingerprint}|code-{code_fingerprint()}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]
