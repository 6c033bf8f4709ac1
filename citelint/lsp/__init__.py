"""``citelint server``: the language server, for findings as the writer types.

pygls is an optional dependency (``pip install 'citelint-provenance[server]'``): without it the
command says how to install it instead of failing with a traceback.
"""

from __future__ import annotations

import argparse
import sys

INSTALL_HINT = "pip install 'citelint-provenance[server]'"
#: what the ``server`` extra installs
_SERVER_PACKAGES = ("pygls", "lsprotocol", "cattrs")


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="citelint server",
        description="Run the citelint language server over stdin/stdout (Language Server Protocol), for editors.",
    )
    parser.add_argument("--stdio", action="store_true",
                        help="talk over stdin/stdout (the default and only transport; accepted because clients pass it)")
    parser.parse_args(argv)
    try:
        from citelint.lsp.server import build_server
    except ImportError as error:
        missing = (error.name or "").split(".")[0]
        if missing not in _SERVER_PACKAGES:
            raise
        print(f"citelint: error: the language server needs {missing}, which is not installed; "
              f"install it with: {INSTALL_HINT}", file=sys.stderr)
        return 2
    build_server().start_io()
    return 0
