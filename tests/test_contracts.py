"""Contracts other tools depend on: rule codes, names, schemas, message fields."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from citelint import resources
from citelint.checks import CHECKS, ENGINE, make_options
from citelint.ruleset import load_rules
from tests.conftest import lint_example

RULES = load_rules()


def test_codes_are_unique_and_in_their_group_range():
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    ranges = {"engine": "CIT0", "claims": "CIT1", "citations": "CIT2", "metadata": "CIT3"}
    for rule in RULES:
        assert rule.code.startswith(ranges[rule.group]), rule.path


def test_names_are_unique_and_equal_the_file_stem():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert Path(rule.path).stem == rule.name


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_selects_a_registered_check_with_valid_options(rule):
    assert rule.check == ENGINE or rule.check in CHECKS
    if rule.check != ENGINE:
        make_options(CHECKS[rule.check].options, rule.options)
        assert rule.fail and rule.passes, "every non-engine rule has fail and pass examples"


@pytest.mark.parametrize("rule", [r for r in RULES if r.check != ENGINE], ids=lambda r: r.name)
def test_every_message_field_is_produced_by_the_check(rule):
    """Lint the rule's first fail example and check the message has no unfilled {field}."""
    example = rule.fail[0]
    text = example.text.replace("⟦", "").replace("⟧", "")
    messages = [d.message for d in lint_example(rule, text, example.format)]
    assert messages
    for field in rule.message_fields():
        assert all("{" + field + "}" not in message for message in messages), field


@pytest.mark.parametrize("name", ["rule", "config", "output", "sources"])
def test_schemas_are_valid_json_schemas(name):
    jsonschema.Draft202012Validator.check_schema(resources.schema(name))


def test_every_rule_file_validates_against_the_rule_schema():
    validator = jsonschema.Draft202012Validator(resources.schema("rule"))
    for rule in RULES:
        validator.validate(yaml.safe_load(Path(rule.path).read_text(encoding="utf-8")))


def test_mission_rule_names_are_stable():
    names = {rule.name: rule.code for rule in RULES}
    assert names["unattributed-claim"] == "CIT101"
    assert names["vague-attribution"] == "CIT102"
    assert names["unsourced-figure"] == "CIT103"
    assert names["unlinked-source"] == "CIT201"
