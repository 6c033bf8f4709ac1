"""The VS Code extension under editors/vscode/ packages with npm (the other editors need only the
README's snippets, which tests/test_server.py starts)."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

VSCODE = Path(__file__).resolve().parent.parent / "editors" / "vscode"
#: npm's errors for a registry it cannot reach (no network), as opposed to a broken package
_OFFLINE = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "ENETUNREACH")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_the_vscode_extension_packages(tmp_path):
    folder = tmp_path / "vscode"
    shutil.copytree(VSCODE, folder, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
    for step in (["npm", "ci", "--no-audit", "--no-fund"], ["npm", "run", "package"]):
        result = subprocess.run(step, cwd=folder, capture_output=True, text=True, timeout=900, check=False)
        if result.returncode and any(code in result.stderr for code in _OFFLINE):
            pytest.skip("the npm registry cannot be reached")
        assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(folder / "citelint.vsix") as package:
        names = set(package.namelist())
        manifest = json.loads(package.read("extension/package.json"))
    assert {"extension/extension.js", "extension/node_modules/vscode-languageclient/package.json"} <= names
    assert not any(name.startswith("extension/node_modules/@vscode/vsce/") for name in names)  # a build tool only
    assert manifest["main"] == "./extension.js"
