"""GitLab Code Quality report (``artifacts: reports: codequality``), shown in merge requests.

GitLab reads a JSON array of issues, each with ``description``, ``check_name``, ``fingerprint``,
``severity`` and ``location`` (``path`` relative to the repository, and a line); tests validate
the output against schemas/gitlab-codequality.schema.json, which holds those documented fields.
GitLab compares the fingerprints of the merge request's report with the target branch's to tell
new findings from fixed ones, and shows only one issue per fingerprint. So a fingerprint is built
from the path and the diagnostic's own fingerprint (which survives edits elsewhere in the file),
with a counter that keeps identical findings in one file apart.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from citelint.baseline import repo_path
from citelint.diagnostics import Diagnostic
from citelint.formatters import RunResult

#: GitLab's scale is info, minor, major, critical, blocker; an error is not a build breakage.
SEVERITIES = {"info": "info", "warning": "minor", "error": "major"}


def render(result: RunResult) -> str:
    seen: Counter[tuple[str, str]] = Counter()
    issues = []
    for diagnostic in result.diagnostics:
        path = repo_path(diagnostic.path, result.root)
        seen[path, diagnostic.fingerprint] += 1
        issues.append(_issue(diagnostic, path, seen[path, diagnostic.fingerprint]))
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def _issue(diagnostic: Diagnostic, path: str, occurrence: int) -> dict:
    identity = f"{path}\x00{diagnostic.fingerprint}\x00{occurrence}"
    return {
        "type": "issue",
        "description": f"{diagnostic.code} [{diagnostic.rule}] {diagnostic.message}",
        "check_name": diagnostic.code,
        "fingerprint": hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:32],
        "severity": SEVERITIES[diagnostic.severity],
        "location": {
            "path": path,
            "lines": {"begin": diagnostic.line, "end": diagnostic.end_line},
            "positions": {
                "begin": {"line": diagnostic.line, "column": diagnostic.column},
                "end": {"line": diagnostic.end_line, "column": diagnostic.end_column},
            },
        },
    }
