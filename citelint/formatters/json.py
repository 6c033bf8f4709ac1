"""JSON output, version 1 (documented by schemas/output.schema.json).

Fields may be added within a version; none is removed or renamed without version 2.
"""

from __future__ import annotations

import json

from citelint import __version__
from citelint.formatters import RunResult

VERSION = 1


def render(result: RunResult) -> str:
    payload = {
        "version": VERSION,
        "tool": {"name": "citelint", "version": __version__},
        "files": result.files,
        "file_details": [{"path": path, "encoding": encoding} for path, encoding in result.encodings.items()],
        "diagnostics": [diagnostic.to_json() for diagnostic in result.diagnostics],
        "notices": [notice.to_json() for notice in result.notices],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
