"""What an audit leaves in OUTDIR, and the manifest that makes it resumable.

    OUTDIR/findings/part-NNNNNN.parquet   one row per finding
    OUTDIR/articles/part-NNNNNN.parquet   one row per article (counts per rule, claims by basis, sources)
    OUTDIR/aggregate.csv                  rates per 1,000 words, by the --by fields
    OUTDIR/report.html                    the run's summary and the aggregate table, as a page
    OUTDIR/manifest.json                  the plan and every finished partition

A partition's two files are written (each atomically) before the manifest names it, and the
manifest is replaced atomically: a run killed at any moment leaves a manifest that names only
partitions whose files are whole. Parquet is written with fixed settings and no timestamps, so
the same rows give the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from citelint import __version__
from citelint.audit.inputs import Partition
from citelint.audit.partition import ARTICLE_COLUMNS, CLAIM_COLUMNS, ERROR, FINDING_COLUMNS, OK, PartitionResult
from citelint.safeio import replacing, write_atomic

MANIFEST = "manifest.json"
#: Seconds between two writes of the manifest while partitions finish (see Output._write_manifest).
MANIFEST_INTERVAL = 2.0
AGGREGATE = "aggregate.csv"
REPORT = "report.html"
FINDINGS, ARTICLES = "findings", "articles"
MANIFEST_FORMAT = 1
#: The manifest's mark on a partition whose input stopped early: written, counted, and read again by --resume.
INCOMPLETE = "incomplete"
#: ``--by`` fields worked out from an article's ``date``
DATE_FIELDS = ("year", "month")

_FINDING_TYPES: dict[str, pa.DataType] = {
    "offset": pa.int64(), "end_offset": pa.int64(), "line": pa.int32(), "column": pa.int32(),
    "end_line": pa.int32(), "end_column": pa.int32(), "confidence": pa.float64(),
}
_SOURCE = pa.struct([("name", pa.string()), ("kind", pa.string()), ("linked", pa.bool_()), ("claims", pa.int32())])
_ARTICLE_TYPES: dict[str, pa.DataType] = {
    "words": pa.int64(), "findings": pa.int32(), "claims": pa.int32(),
    **{name: pa.int32() for name in CLAIM_COLUMNS}, "linked_share": pa.float64(), "sources": pa.list_(_SOURCE),
}


class ManifestError(Exception):
    """OUTDIR holds another audit (or a damaged manifest): exit status 2."""


def schemas(rules: tuple[str, ...], meta: tuple[str, ...]) -> tuple[pa.Schema, pa.Schema]:
    """The findings and the articles schema: fixed columns, a count per rule, then the metadata."""
    findings = pa.schema([(name, _FINDING_TYPES.get(name, pa.string())) for name in (*FINDING_COLUMNS, *meta)])
    articles = pa.schema([(name, _ARTICLE_TYPES.get(name, pa.string())) for name in ARTICLE_COLUMNS]
                         + [(rule, pa.int32()) for rule in rules] + [(key, pa.string()) for key in meta])
    return findings, articles


def plan_digest(partitions: list[Partition], options: dict[str, Any]) -> str:
    """Identifies an audit: its partitions and every option that changes its rows."""
    text = json.dumps({"partitions": [p.describe() for p in partitions], "options": options}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class Output:
    """OUTDIR: the partitions' files and the manifest, written by one process (the client)."""

    def __init__(self, folder: Path, digest: str, findings_schema: pa.Schema, articles_schema: pa.Schema,
                 resume: bool) -> None:
        self.folder = folder
        self.digest = digest
        self.findings_schema, self.articles_schema = findings_schema, articles_schema
        self.finished: dict[str, dict[str, int]] = {}
        self._written_at = 0.0  # time.monotonic() of the last manifest written
        self._write_cost = 0.0  # seconds the last one took
        self._unrecorded = False  # partitions written since
        manifest = folder / MANIFEST
        if manifest.exists():
            recorded = _read_manifest(manifest)
            if not resume:
                raise ManifestError(f"{folder} already holds an audit: pass --resume to finish it, "
                                    "or choose another output folder")
            if recorded["plan"] != digest:
                raise ManifestError(f"{folder} holds an audit of other inputs, options, configuration or citelint "
                                    "version: it cannot be resumed with these; choose another output folder")
            # an incomplete partition is read again, and so is one whose files were deleted since
            self.finished = {name: counts for name, counts in recorded["partitions"].items()
                             if not counts.get(INCOMPLETE) and self.has_files(name)}
        for sub in (FINDINGS, ARTICLES):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        self._write_manifest()  # an audit of no articles has one too, and a second run without --resume is refused
        self._written_at = 0.0  # and the first partition to finish is recorded at once

    def has_files(self, name: str) -> bool:
        return all((self.folder / sub / f"{name}.parquet").is_file() for sub in (FINDINGS, ARTICLES))

    def complete(self, name: str) -> bool:
        """Whether partition ``name`` was written with every one of its articles read."""
        return name in self.finished and not self.finished[name].get(INCOMPLETE)

    def write(self, result: PartitionResult) -> dict[str, int]:
        name = result.partition.name
        findings = pa.table(result.findings, schema=self.findings_schema)
        articles = pa.table(result.articles, schema=self.articles_schema)
        _write_parquet(findings, self.folder / FINDINGS / f"{name}.parquet")
        _write_parquet(articles, self.folder / ARTICLES / f"{name}.parquet")
        counts = {"articles": articles.num_rows, "findings": findings.num_rows, "errors": result.errors,
                  "words": sum(result.articles["words"]), **({INCOMPLETE: 1} if result.incomplete else {})}
        self.finished[name] = counts
        self._unrecorded = True
        if time.monotonic() - self._written_at >= max(MANIFEST_INTERVAL, 10 * self._write_cost):
            self._write_manifest()
        return counts

    def flush(self) -> None:
        """Record in the manifest every partition written since it was last written."""
        if self._unrecorded:
            self._write_manifest()

    def _write_manifest(self) -> None:
        """The manifest, whole (atomically). It is rewritten at most every MANIFEST_INTERVAL
        seconds (and never taking over a tenth of the time), as the whole manifest of an archive's
        tens of thousands of partitions takes a quarter of a second to write: a kill loses only
        the record of the last partitions, which ``--resume`` then writes again, the same."""
        started = time.monotonic()
        manifest = {"format": MANIFEST_FORMAT, "citelint": __version__, "plan": self.digest,
                    "partitions": dict(sorted(self.finished.items()))}
        write_atomic(self.folder / MANIFEST, json.dumps(manifest, indent=1) + "\n")
        self._written_at = time.monotonic()
        self._write_cost = self._written_at - started
        self._unrecorded = False

    def totals(self) -> dict[str, int]:
        totals: dict[str, int] = {"articles": 0, "findings": 0, "errors": 0, "words": 0}
        for counts in self.finished.values():
            for key in totals:
                totals[key] += counts.get(key, 0)
        return totals


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ManifestError(f"{path}: not a readable audit manifest ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise ManifestError(f"{path}: not an audit manifest this citelint can resume")
    partitions = manifest.get("partitions")
    if not isinstance(manifest.get("plan"), str) or not isinstance(partitions, dict) or not all(
            isinstance(counts, dict) and all(isinstance(value, int) for value in counts.values())
            for counts in partitions.values()):
        raise ManifestError(f"{path}: a damaged audit manifest (its plan or partitions are not what citelint "
                            "writes); choose another output folder")
    return manifest


def _write_parquet(table: pa.Table, path: Path) -> None:
    """Atomically, and byte for byte the same for the same rows (no statistics that vary, one row group)."""
    with replacing(path, f".{path.name}.") as (handle, temporary):
        os.close(handle)
        pq.write_table(table, temporary, compression="zstd", row_group_size=max(table.num_rows, 1),
                       store_schema=True)


# -- the aggregate table ---------------------------------------------------------------------


#: The shares of claims the table gives, and the claim columns (what the claims rest on) each sums.
SHARES = {"vague_or_anonymous": ("claims_vague", "claims_anonymous"), "linked": ("claims_linked",),
          "unattributed": ("claims_unattributed",)}


@dataclass(frozen=True)
class Group:
    """One row of the aggregate table: the ``--by`` values and the sums over their articles
    (articles, analysed, errors, words, findings, claims, claims by basis, findings per rule)."""

    values: tuple[str | None, ...]
    counts: dict[str, int]

    def per_1000_words(self, column: str) -> float | None:
        """``column`` (findings, or a rule's) per 1,000 words; None when the group has no words."""
        words = self.counts["words"]
        return 1000 * self.counts[column] / words if words else None

    def share(self, name: str) -> float | None:
        """The share of claims ``name`` in ``SHARES``; None when the group has no claims."""
        claims = self.counts["claims"]
        return sum(self.counts[column] for column in SHARES[name]) / claims if claims else None


def aggregate(folder: Path, names: list[str], by: tuple[str, ...], rules: tuple[str, ...]) -> list[Group]:
    """The groups of ``by`` values over the finished partitions ``names``, sorted by those values
    (no value last).

    Each partition's articles are summed on their own, then the sums: the table never holds
    more than one partition's rows and one row per group."""
    stored = tuple(field for field in by if field not in DATE_FIELDS)
    dated = any(field in DATE_FIELDS for field in by)
    counted = ("words", "findings", "claims", *CLAIM_COLUMNS, *rules)
    sums: list[pa.Table] = []
    for name in names:
        table = pq.read_table(folder / ARTICLES / f"{name}.parquet",
                              columns=list(dict.fromkeys(["status", *counted, *stored, *(("date",) if dated else ())])))
        table = _with_date_fields(table, by) if dated else table
        statuses = table["status"].to_pylist()
        for column, status in (("analysed", OK), ("error", ERROR)):
            table = table.append_column(column, pa.array([int(s == status) for s in statuses], pa.int64()))
        sums.append(table.group_by(list(by)).aggregate(
            [("status", "count"), ("analysed", "sum"), ("error", "sum"), *((c, "sum") for c in counted)]))
    if not sums:
        return []
    plain = ["articles", "analysed", "errors", *counted]
    summed = ["status_count", "analysed_sum", "error_sum", *(f"{c}_sum" for c in counted)]
    total = pa.concat_tables(sums).group_by(list(by)).aggregate([(c, "sum") for c in summed]).to_pylist()
    groups = [Group(tuple(row[f] for f in by), {p: row[f"{s}_sum"] or 0 for p, s in zip(plain, summed, strict=True)})
              for row in total]
    groups.sort(key=lambda group: tuple((value is None, value or "") for value in group.values))
    return groups


def overall(groups: list[Group]) -> Group:
    """All the groups' articles as one group (every count 0 when there are none)."""
    counts: Counter[str] = Counter()
    for group in groups:
        counts.update(group.counts)
    return Group((), counts)


def aggregate_csv(groups: list[Group], by: tuple[str, ...], rules: tuple[str, ...]) -> str:
    """The aggregate table as CSV (only its header when no article was audited)."""
    header = [*by, "articles", "analysed", "errors", "words", "findings", "findings_per_1000_words",
              *(f"{rule}_per_1000_words" for rule in rules), "claims", *(f"{name}_share" for name in SHARES)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for group in groups:
        counts = group.counts
        rates = [_decimals(group.per_1000_words(column), 3) for column in ("findings", *rules)]
        shares = [_decimals(group.share(name), 4) for name in SHARES]
        writer.writerow([*(value if value is not None else "" for value in group.values), counts["articles"],
                         counts["analysed"], counts["errors"], counts["words"], counts["findings"], *rates,
                         counts["claims"], *shares])
    return out.getvalue()


def _decimals(value: float | None, places: int) -> str:
    return "" if value is None else f"{value:.{places}f}"


def _with_date_fields(table: pa.Table, by: tuple[str, ...]) -> pa.Table:
    dates = table["date"].to_pylist()
    parsed = {value: _parse_date(value) or "" for value in set(dates)}
    for name, width in (("year", 4), ("month", 7)):
        if name in by:
            values = [parsed[value][:width] or None for value in dates]
            table = table.append_column(name, pa.array(values, pa.string()))
    return table


_DATE_FORMATS = ("%Y-%m-%d", "%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%B %d, %Y", "%Y/%m/%d")


def _parse_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` of a date written in a common way (ISO 8601, RFC 2822, ``26-FEB-1987 …``)."""
    if not value:
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    head = text.split()[0] if " " in text and not text[0].isalpha() else text
    for candidate in (head, text):
        for pattern in _DATE_FORMATS:
            try:
                return datetime.strptime(candidate.title(), pattern).date().isoformat()
            except ValueError:
                continue
    return None
