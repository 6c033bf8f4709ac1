"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Every rule is described in ``tool.driver.rules`` (so a viewer can explain a result without
running citelint); results point at files relative to the repository root (the folder
citelint runs in) through ``%SRCROOT%``. ``partialFingerprints`` carries the diagnostic's
fingerprint, which does not change when lines are added above a finding, so code scanning
keeps tracking an alert across edits instead of closing and reopening it.
"""

from __future__ import annotations

import json
from pathlib import Path

from citelint import __version__
from citelint.baseline import repo_path
from citelint.diagnostics import Diagnostic, Notice
from citelint.formatters import RunResult
from citelint.ruleset import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "citelintFingerprint/v1"
ROOT_ID = "%SRCROOT%"
#: SARIF has no "info": its lowest level is "note".
LEVELS = {"info": "note", "warning": "warning", "error": "error"}


def render(result: RunResult) -> str:
    rules = list(result.rules)
    index = {rule.code: number for number, rule in enumerate(rules)}
    run = {
        "tool": {
            "driver": {
                "name": "citelint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {ROOT_ID: {"uri": Path(result.root).resolve().as_uri() + "/"}},
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [_notification(notice, result.root) for notice in result.notices],
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": [_result(diagnostic, index, result.root) for diagnostic in result.diagnostics],
    }
    payload = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _unwrap(text: str) -> str:
    """Rule texts are hard-wrapped YAML; plain-text viewers show them better as one line per paragraph."""
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in text.split("\n\n") if paragraph.strip())


def _rule(rule: Rule) -> dict:
    description = _unwrap(rule.description)
    more = f"`citelint rule {rule.name}`, or {rule.docs_path} in the citelint repository"
    text = f"{description}\n\nWhy: {_unwrap(rule.rationale)}\n\nMore: {more}"
    markdown = f"{rule.description}\n\n**Why:** {rule.rationale}\n\n**More:** {more}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": description},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.level]},
        "properties": {"tags": [rule.group]},
    }


def _artifact(path: str, root: str) -> dict:
    """A repository-relative URI under %SRCROOT%, or an absolute file URI for a path outside it."""
    relative = repo_path(path, root)
    if relative == "-" or not Path(relative).is_absolute():
        return {"uri": relative, "uriBaseId": ROOT_ID}
    return {"uri": Path(relative).as_uri()}


def _result(diagnostic: Diagnostic, index: dict[str, int], root: str) -> dict:
    region = {
        "startLine": diagnostic.line,
        "startColumn": diagnostic.column,
        "endLine": diagnostic.end_line,
        "endColumn": diagnostic.end_column,
        "charOffset": diagnostic.offset,
        "charLength": diagnostic.end_offset - diagnostic.offset,
    }
    result = {
        "ruleId": diagnostic.code,
        "level": LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(diagnostic.path, root), "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: diagnostic.fingerprint},
        "properties": {"rule": diagnostic.rule},
        "rank": round(diagnostic.confidence * 100, 1),
    }
    if diagnostic.code in index:
        result["ruleIndex"] = index[diagnostic.code]
    return result


def _notification(notice: Notice, root: str) -> dict:
    notification: dict = {"level": LEVELS.get(notice.kind, "note"), "message": {"text": notice.message}}
    if notice.path is not None:
        notification["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(notice.path, root)}}]
    return notification
