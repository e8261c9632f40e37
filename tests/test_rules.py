"""The rule set: every rule file checked by its model when it loads, one object per folder, one fingerprint.

A bad rule is a ConfigError "<path>: <key.path>: <reason>", so the message says
which file, which key and what is wrong with it, before any article is read.
"""

from __future__ import annotations

import re
import shutil

import pytest

from builder.errors import ConfigError
from builder.rules import load_rules
from builder.rules.config import SCHEMAS_DIR

TYPOS = [
    ("ingest.yaml", "min_confidence:", "min_confidense:", r"encodings: unknown key 'min_confidense' \(allowed: chaos_tie, detect, min_confidence\)"),
    ("furniture.yaml", "    action: drop_rest", "    acton: drop_rest", r"rules\[\d+\]: unknown key 'acton' \(allowed: action, case_sensitive, kind, pattern\)"),
    ("stance_taxonomy.yaml", "      - id: hard_line\n", "      - id: hard_line\n        polarty: negative\n", r"labels\.ru_hard_line\.cues\[0\]: unknown key 'polarty'"),
    ("entities.yaml", "    type: ORG\n", "    typ: ORG\n", r"entities\[\d+\]: unknown key 'typ'"),
    ("tables.yaml", "    key: id\n", "    kee: id\n", r"tables\.sentences: unknown key 'kee'"),
    ("splits.yaml", "  num_perm:", "  num_perms:", r"dedup: unknown key 'num_perms'"),
    ("speech.yaml", "  window: 3", "  windows: 3", r"pronouns: unknown key 'windows'"),
    ("segmentation.yaml", "closers:", "closer:", r"unknown key 'closer' \(allowed: attribution_words, closers, "),
]
WRONG_TYPES = [
    ("furniture.yaml", "  title_max_chars: 200", "  title_max_chars: '200'", r"metadata\.title_max_chars: input should be a valid integer, not '200'"),
    ("stance_taxonomy.yaml", "      - id: hard_line\n", "      - id: hard_line\n        negatable: 'no'\n", r"labels\.ru_hard_line\.cues\[0\]\.negatable: input should be a valid boolean, not 'no'"),
    ("sides.yaml", "named_by_article: [administration]", "named_by_article: administration", r"named_by_article: input should be a valid list, not 'administration'"),
    ("splits.yaml", "  seed: 1", "  seed: one", r"dedup\.seed: input should be a valid integer, not 'one'"),
    ("speech.yaml", "  window: 3", "  window: [3]", r"pronouns\.window: input should be a valid integer, not \[3\]"),
    ("entities.yaml", "- id: russia\n", "- id: 7\n", r"entities\[\d+\]\.id: input should be a valid string, not 7"),
]
BAD_VALUES = [
    ("ingest.yaml", "[cp1252, cp1251, koi8_r]", "[cp1252, klingon]", r"encodings\.detect\[1\]: unknown encoding 'klingon'"),
    ("furniture.yaml", "  url: '^https?://\\S+$'", "  url: '^https?://(\\S+$'", r"metadata\.url: bad regular expression: missing \)"),
    ("stance_taxonomy.yaml", "      - id: hard_line\n", "      - id: hard_line\n        polarity: neg\n", r"labels\.ru_hard_line\.cues\[0\]\.polarity: unknown value 'neg' \(allowed: 'positive' or 'negative'\)"),
    ("stance_taxonomy.yaml", "  - name: us_diplomacy\n", "  - name: us_deterrence\n", r"labels\.us_deterrence\.name: duplicate label 'us_deterrence'"),
    ("entities.yaml", "    side: US\n", "    side: USA\n", r"entities\[\d+\]\.side: unknown side 'USA' \(declared: US, RU, "),
    ("entities.yaml", "- id: russia\n", "- id: united_states\n", r"entities\[\d+\]\.id: duplicate id 'united_states'"),
    ("sides.yaml", "  GB: [Labour", "  GB: [Republican, Labour", r"parties: 'Republican' belongs to both 'US' and 'GB'"),
    ("sides.yaml", "party_codes:\n  US:", "party_codes:\n  USA:", r"party_codes\.USA: unknown side 'USA'"),
    ("splits.yaml", "test: 0.1}", "test: 0.2}", r"proportions: must sum to 1"),
    ("splits.yaml", "  seed: 1\n", "", r"dedup: missing key 'seed'"),
    ("tables.yaml", "type: class_label, names: [rule, gold]", "type: class_label", r"tables\.sentences\.columns\.label_source: a class_label needs 'names'"),
    ("tables.yaml", "item: {text: string,", "item: {text: strin,", r"tables\.sentences\.columns\.entities\.item\.text: unknown value 'strin'"),
    ("speech.yaml", "title_gender: {mr: m,", "title_gender: {mr: x,", r"title_gender\.mr: unknown value 'x' \(allowed: 'm' or 'f'\)"),
    ("names.yaml", "titles: [President,", "titles: [' ', President,", r"titles\[0\]: expected a word, not a blank"),
    ("speech.yaml", "clause_only_verbs: [", "clause_only_verbs: [maintainx, ", r"clause_only_verbs: 'maintainx' is not in speech_verbs or relay_verbs"),
    ("furniture.yaml", "^{caps_place}(", "^{capital_place}(", r"datelines\.patterns\[\d+\]\.pattern: unknown part \{capital_place\} \(declared: caps_place, "),
]


def _edited(tmp_path, file: str, old: str, new: str):
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    path = schemas / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return schemas, path


@pytest.mark.parametrize("file, old, new, message", TYPOS + WRONG_TYPES + BAD_VALUES)
def test_a_bad_rule_names_the_file_the_key_and_the_reason(tmp_path, file, old, new, message):
    schemas, path = _edited(tmp_path, file, old, new)
    with pytest.raises(ConfigError) as err:
        load_rules(schemas)
    assert re.match(f"{re.escape(str(path))}: {message}", str(err.value)), str(err.value)


def test_every_rule_file_but_the_expectations_has_a_typo_test():
    """The expectations are checked by builder/validate; every other file is covered above."""
    covered = {file for file, *_ in TYPOS + WRONG_TYPES + BAD_VALUES}
    assert covered == {p.name for p in SCHEMAS_DIR.glob("*.yaml")} - {"expectations.yaml"}


def test_the_rule_set_loads_once_per_folder(tmp_path):
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    rules = load_rules(schemas)
    assert load_rules(schemas) is rules
    assert load_rules(str(schemas / ".." / "schemas")) is rules
    assert load_rules() is load_rules(SCHEMAS_DIR) is not rules
    assert rules.fingerprint == load_rules().fingerprint  # the bytes count, not the folder


@pytest.mark.parametrize("file", sorted(p.name for p in SCHEMAS_DIR.glob("*.yaml")))
def test_the_fingerprint_changes_with_any_rule_file_byte(tmp_path, file):
    changed, _ = _edited(tmp_path, file, "#", "# ")
    assert load_rules(changed).fingerprint != load_rules().fingerprint
