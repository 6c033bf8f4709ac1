"""Wayback Machine availability lookups, so a dead or fragile citation can point at a snapshot."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode


def availability_url(endpoint: str, url: str) -> str:
    """The query URL for the availability API at `endpoint`."""
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urlencode({'url': url})}"


def parse_availability(body: str) -> str | None:
    """The closest available snapshot URL from an availability answer, or None.

    Raises ValueError when the body is not an availability answer at all, so the
    caller can tell "not archived" from "the service answered nonsense".
    """
    try:
        data: Any = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ValueError(f"archive answer is not JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("archived_snapshots"), dict):
        raise ValueError("archive answer has no archived_snapshots")
    closest = data["archived_snapshots"].get("closest")
    if not isinstance(closest, dict) or closest.get("available") is not True:
        return None
    snapshot = closest.get("url")
    if not isinstance(snapshot, str) or not snapshot.startswith(("http://", "https://")):
        return None
    status = str(closest.get("status", "200"))
    return snapshot if status.startswith("2") else None
