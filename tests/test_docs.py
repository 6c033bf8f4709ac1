"""docs/rules.md is generated from the rule files and must not go stale."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from citelint import docs
from citelint.ruleset import load_rules


def test_docs_rules_md_is_up_to_date():
    assert docs.main(["--check"]) == 0, "docs/rules.md is stale: run `python -m citelint.docs` and commit it"


def test_check_fails_on_a_stale_page_and_passes_after_writing(tmp_path, capsys):
    page = tmp_path / "rules.md"
    assert docs.main(["--check", "--output", str(page)]) == 1  # missing counts as stale
    assert docs.main(["--output", str(page)]) == 0
    assert docs.main(["--check", "--output", str(page)]) == 0
    page.write_text(page.read_text(encoding="utf-8").replace("## ", "## old ", 1), encoding="utf-8")
    assert docs.main(["--check", "--output", str(page)]) == 1
    assert "out of date" in capsys.readouterr().err


def test_every_rule_has_a_section_its_docs_link_reaches():
    page = docs.render(load_rules())
    headings = re.findall(r"^## (\S+)$", page, re.MULTILINE)
    rules = load_rules()
    assert headings == [rule.name for rule in rules]
    for rule in rules:
        assert rule.docs_path == f"docs/rules.md#{rule.name}" and (Path(__file__).parent.parent / "docs" / "rules.md").exists()
        section = docs.rule_section(rule)
        assert rule.code in section and rule.level in section and rule.summary in section
        assert rule.description.split("\n")[0] in section and rule.rationale.split("\n")[0] in section


def test_examples_show_the_finding_in_bold():
    rules = [rule for rule in load_rules() if rule.fail]
    assert rules
    for rule in rules:
        section = docs.rule_section(rule)
        for example in rule.fail:
            for marked in re.findall(r"⟦(.*?)⟧", example.text):
                assert f"**{marked.strip()}**" in section
        for example in rule.passes:
            assert example.text.strip() in section
        assert "⟦" not in section or "```" in section


def test_options_are_shown_with_their_defaults_as_loadable_yaml():
    for rule in load_rules():
        section = docs.rule_section(rule)
        blocks = re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)
        if not rule.options:
            assert not blocks
            continue
        (block,) = blocks
        assert yaml.safe_load(block) == {"rules": {rule.name: {"options": rule.options}}}
