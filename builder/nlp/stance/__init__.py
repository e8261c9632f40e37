"""Stance labels per sentence as the spaCy component `stance_labels` (cues and holders from
schemas/stance_taxonomy.yaml): cue matching (matcher.py), the compiled rules (lexicon.py),
holders (holders.py), negation and scope (scope.py), the component (labeler.py)."""

from builder.nlp.stance.labeler import OUTCOMES, StanceLabeler, make_stance_labeler

__all__ = ["OUTCOMES", "StanceLabeler", "make_stance_labeler"]
