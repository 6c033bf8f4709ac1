"""The collections an audit reads, cut into partitions, and the articles of one partition.

Planning reads each input once, without keeping its articles: a partition is only where its
articles start (a byte offset, a row, a list of files) and how many there are, so it travels
to a worker, local or on a Dask cluster, in a few bytes, and the worker reads the articles
itself. The plan depends on the inputs and the partition size alone, never on the number of
workers: that is what makes the findings of any run of the same audit identical.

Inputs: a folder of articles (found as ``citelint`` finds them), JSON Lines (``.jsonl``,
``.ndjson``), WARC (``.warc``, ``.warc.gz``; HTML responses only) and Parquet (``.parquet``).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, overload

from citelint.config import ConfigSet
from citelint.discovery import Target, discover
from citelint.document.reading import UnreadableFile, declared_charset, decode

FOLDER, JSONL, WARC, PARQUET = "folder", "jsonl", "warc", "parquet"
_SUFFIXES = {".jsonl": JSONL, ".ndjson": JSONL, ".warc": WARC, ".parquet": PARQUET}
#: What a folder's or a WARC file's articles can give as metadata (``--meta``, ``--by``).
FOLDER_FIELDS = ("folder", "file")
WARC_FIELDS = ("url", "date")
#: Parquet rows decoded at a time: a partition never holds a whole row group (which can be millions of rows).
PARQUET_BATCH_ROWS = 1024
#: A lone UTF-16 surrogate (from a JSON ``\\ud83d`` escape or an undecodable file name): not text UTF-8 can hold.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_BYTE_ORDER_MARKS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)


class InputError(Exception):
    """An input that cannot be audited (unknown kind, missing, unreadable): exit status 2."""


@dataclass(frozen=True)
class Fields:
    """Where an article's text, id and metadata are in a record (JSON Lines, Parquet)."""

    #: the fields joined (with a blank line) into the article's text, e.g. ("title", "body")
    text: tuple[str, ...] = ("text",)
    #: the record's id field; without one an article is ``<file>:<line or row>``
    id: str | None = None
    meta: tuple[str, ...] = ()
    #: how record text is read: text, markdown or html
    format: str = "text"


@dataclass(frozen=True)
class Partition:
    """Some consecutive articles of one input: all a worker needs to read them."""

    number: int
    kind: str
    source: str
    #: byte offset of the first line (JSON Lines) or record (WARC); first row (Parquet)
    start: int = 0
    #: the line (JSON Lines) or row (Parquet) number of the first article, from 1
    first: int = 1
    #: JSON Lines: lines; Parquet: rows; WARC: HTML responses
    count: int = 0
    #: the articles' files (folders), relative to ``source``
    files: tuple[str, ...] = ()
    #: articles in the partition (for progress; JSON Lines blank lines are not articles)
    articles: int = 0
    #: a digest of what was read at plan time (sizes, modification times, file names): a resumed
    #: audit whose inputs changed since is refused rather than mixed with the old rows
    fingerprint: str = ""

    @property
    def name(self) -> str:
        return f"part-{self.number:06d}"

    def describe(self) -> dict[str, Any]:
        """What identifies the partition in the manifest (a changed input gives another plan)."""
        return {"kind": self.kind, "source": self.source, "start": self.start, "count": self.count,
                "files": len(self.files), "articles": self.articles, "fingerprint": self.fingerprint}


@dataclass
class Article:
    id: str
    #: the input the article comes from (its configuration is the one that applies there)
    source: str
    meta: dict[str, str | None] = field(default_factory=dict)
    text: str | None = None
    format: str = "text"
    #: a folder's article, read (and so decoded, or found unreadable) by the linter itself
    target: Target | None = None
    #: why the record could not be read as an article (a counted error row)
    error: str | None = None


def input_kind(path: Path) -> str:
    if path.is_dir():
        return FOLDER
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes[-2:] == [".warc", ".gz"]:
        return WARC
    kind = _SUFFIXES.get(suffixes[-1] if suffixes else "")
    if kind is None:
        raise InputError(f"{path}: not a folder, .jsonl, .ndjson, .warc, .warc.gz or .parquet file")
    return kind


def plan(sources: list[str], size: int, configs: ConfigSet, outdir: Path, fields: Fields) -> list[Partition]:
    """The partitions of every input, in the order given, numbered from 0. A folder's files in
    ``outdir`` are left out: the audit's own outputs (its report.html) are not articles, and
    reading them would make a resumed audit's plan differ from the first run's."""
    partitions: list[Partition] = []
    for source in sources:
        # absolute, so a worker that runs elsewhere (a Dask cluster) reads the same file
        path = Path(os.path.abspath(source))
        if not path.exists():
            raise InputError(f"{source}: no such file or folder")
        kind = input_kind(path)
        if kind == PARQUET:
            _check_columns(path, fields)
        planned = _plan_folder(path, size, configs, outdir) if kind == FOLDER else \
            {JSONL: _plan_jsonl, WARC: _plan_warc, PARQUET: _plan_parquet}[kind](path, size, configs)
        try:
            stamp = "" if kind == FOLDER else _file_stamp(path)
            for partition in planned:
                partitions.append(replace(partition, number=len(partitions),
                                          fingerprint=partition.fingerprint or stamp))
        except OSError as error:
            raise InputError(f"{source}: cannot read: {error.strerror or error}") from None
        except Exception as error:  # the reader's own (a damaged WARC or Parquet file)
            raise InputError(f"{source}: cannot be read as {kind}: {error}") from None
    return partitions


def _file_stamp(path: Path) -> str:
    """A file's size and modification time: what tells an input changed since it was planned."""
    status = path.stat()
    return f"{status.st_size}:{status.st_mtime_ns}"


def _plan_folder(folder: Path, size: int, configs: ConfigSet, outdir: Path) -> Iterator[Partition]:
    found = discover([str(folder)], configs)
    outputs = outdir.resolve()
    files = sorted(target.path.relative_to(folder).as_posix() for target in found.targets
                   if not target.path.resolve().is_relative_to(outputs))
    for at in range(0, len(files), size):
        chunk = tuple(files[at : at + size])
        digest = hashlib.sha256()
        for name in chunk:
            digest.update(f"{name}\0{_file_stamp(folder / name)}\0".encode("utf-8", "surrogateescape"))
        yield Partition(0, FOLDER, str(folder), files=chunk, articles=len(chunk), fingerprint=digest.hexdigest())


def _plan_jsonl(path: Path, size: int, configs: ConfigSet) -> Iterator[Partition]:
    start = offset = 0
    first = line = 1
    lines = articles = 0
    with open(path, "rb") as handle:
        for raw in handle:
            lines += 1
            articles += bool(raw.strip())
            offset += len(raw)
            line += 1
            if articles == size:
                yield Partition(0, JSONL, str(path), start=start, first=first, count=lines, articles=articles)
                start, first, lines, articles = offset, line, 0, 0
    if articles:
        yield Partition(0, JSONL, str(path), start=start, first=first, count=lines, articles=articles)


def _plan_parquet(path: Path, size: int, configs: ConfigSet) -> Iterator[Partition]:
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(path).metadata.num_rows
    for start in range(0, rows, size):
        count = min(size, rows - start)
        yield Partition(0, PARQUET, str(path), start=start, first=start + 1, count=count, articles=count)


def _check_columns(path: Path, fields: Fields) -> None:
    """Every field the audit reads is a column of the Parquet file (else each row would be an error row)."""
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception as error:  # pyarrow's own, for a file that is not Parquet
        raise InputError(f"{path}: cannot be read as parquet: {error}") from None
    wanted = (*fields.text, *((fields.id,) if fields.id else ()), *fields.meta)
    missing = [name for name in dict.fromkeys(wanted) if name not in names]
    if missing:
        raise InputError(f"{path}: no column {', '.join(map(repr, missing))} (--text-field, --id-field, --meta,"
                         f" --by); its columns are: {', '.join(names)}")


def _plan_warc(path: Path, size: int, configs: ConfigSet) -> Iterator[Partition]:
    from warcio.archiveiterator import ArchiveIterator

    start, count = 0, 0
    with open(path, "rb") as handle:
        records = ArchiveIterator(handle)
        for record in records:
            if not _is_html_response(record):
                continue
            if count == 0:
                start = records.get_record_offset()
            count += 1
            if count == size:
                yield Partition(0, WARC, str(path), start=start, count=count, articles=count)
                count = 0
    if count:
        yield Partition(0, WARC, str(path), start=start, count=count, articles=count)


def _is_html_response(record) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return "html" in content_type


# -- reading one partition -----------------------------------------------------------------


def read_partition(partition: Partition, fields: Fields) -> Iterator[Article]:
    """The articles of ``partition``; a record that cannot be read is an Article with an error."""
    reader = {FOLDER: _read_folder, JSONL: _read_jsonl, WARC: _read_warc, PARQUET: _read_parquet}[partition.kind]
    return reader(partition, fields)


def _read_folder(partition: Partition, fields: Fields) -> Iterator[Article]:
    root = Path(partition.source)
    for name in partition.files:
        folder = Path(name).parent.as_posix()
        meta = {"folder": "" if folder == "." else folder, "file": name}
        yield Article(_clean(name), partition.source, {key: _clean(meta.get(key)) for key in fields.meta},
                      target=Target(root / name, explicit=False))


def _read_jsonl(partition: Partition, fields: Fields) -> Iterator[Article]:
    with open(partition.source, "rb") as handle:
        handle.seek(partition.start)
        for line in range(partition.first, partition.first + partition.count):
            raw = handle.readline()
            if not raw.strip():
                continue
            where = f"{partition.source}:{line}"
            try:
                record = json.loads(raw)
            except ValueError as error:  # UnicodeDecodeError is one too
                yield Article(where, partition.source, error=f"not a JSON record: {error}")
                continue
            except RecursionError:
                yield Article(where, partition.source, error="not a JSON record: nested too deeply")
                continue
            yield _record_article(record, where, partition.source, fields)


def _read_parquet(partition: Partition, fields: Fields) -> Iterator[Article]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(partition.source)
    names = set(parquet.schema_arrow.names)
    columns = [name for name in dict.fromkeys((*fields.text, *((fields.id,) if fields.id else ()), *fields.meta))
               if name in names]
    wanted = range(partition.start, partition.start + partition.count)
    row = 0  # the file's row at the start of the group, then of the batch
    groups = []
    for group in range(parquet.metadata.num_row_groups):
        group_rows = parquet.metadata.row_group(group).num_rows
        if row + group_rows > wanted.start and row < wanted.stop:
            groups.append(group)
        elif not groups:
            row += group_rows
    if not groups:
        return
    # one batch at a time, the groups' rows before the partition decoded and let go
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=groups, columns=columns):
        low, high = max(wanted.start - row, 0), min(wanted.stop - row, batch.num_rows)
        if low < high:
            for number, record in enumerate(batch.slice(low, high - low).to_pylist(), row + low + 1):
                yield _record_article(record, f"{partition.source}:{number}", partition.source, fields)
        row += batch.num_rows
        if row >= wanted.stop:
            return


def _record_article(record: Any, where: str, source: str, fields: Fields) -> Article:
    """An article from a JSON or Parquet record, or an error article saying what is wrong with it."""
    try:
        return _read_record(record, where, source, fields)
    except RecursionError:  # a metadata value nested too deeply to write out
        return Article(where, source, error="a field is nested too deeply to be read")


def _read_record(record: Any, where: str, source: str, fields: Fields) -> Article:
    if not isinstance(record, dict):
        return Article(where, source, error="the record is not an object")
    identity = where
    if fields.id:
        value = record.get(fields.id)
        if value is None or isinstance(value, (dict, list)):
            return Article(where, source, error=f"no usable id field {fields.id!r}")
        identity = _clean(str(_text_value(value)))
    meta = {key: _clean(_text_value(record.get(key))) for key in fields.meta}
    parts = [record.get(name) for name in fields.text]
    if all(part is None for part in parts):
        return Article(identity, source, meta, error=f"no text field {' or '.join(map(repr, fields.text))}")
    if any(part is not None and not isinstance(part, str) for part in parts):
        return Article(identity, source, meta, error="the text field is not a string")
    text = "\n\n".join(part.strip() for part in parts if isinstance(part, str) and part.strip())
    return Article(identity, source, meta, text=_clean(text) + "\n", format=fields.format)


def _text_value(value: Any) -> str | None:
    """A metadata value as text: dates in ISO 8601 (so ``--by year`` reads them), objects and
    lists as JSON, anything else as Python writes it."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


@overload
def _clean(value: str) -> str: ...
@overload
def _clean(value: str | None) -> str | None: ...
def _clean(value: str | None) -> str | None:
    """``value`` with each lone surrogate replaced by U+FFFD, the replacement character."""
    return _LONE_SURROGATE.sub("\ufffd", value) if value else value


def _read_warc(partition: Partition, fields: Fields) -> Iterator[Article]:
    from warcio.archiveiterator import ArchiveIterator

    taken = 0
    with open(partition.source, "rb") as handle:
        handle.seek(partition.start)
        for record in ArchiveIterator(handle):
            if not _is_html_response(record):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            identity = url or f"{partition.source}@{partition.start}+{taken}"
            meta = {"url": url, "date": record.rec_headers.get_header("WARC-Date")}
            meta = {key: meta.get(key) for key in fields.meta}
            try:
                text = _decode_response(record.content_stream().read(),
                                        record.http_headers.get_header("Content-Type") or "")
                yield Article(identity, partition.source, meta, text=text, format="html")
            except (UnreadableFile, OSError, ValueError) as error:
                yield Article(identity, partition.source, meta, error=f"unreadable HTML response: {error}")
            taken += 1
            if taken == partition.count:
                return


def _decode_response(data: bytes, content_type: str) -> str:
    """An HTML response's text, decoded as a browser would: a byte-order mark, then the charset
    of the HTTP ``Content-Type`` header, then the page's own ``<meta charset>``, then UTF-8."""
    label = _HTTP_CHARSET.search(content_type)
    charset = declared_charset(b'<meta charset="%s">' % label.group(1).encode("ascii")) if label else None
    if charset is None or data.startswith(_BYTE_ORDER_MARKS):
        return decode(data, "html").text
    try:
        return data.decode(charset)
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"not valid {charset.upper()} (declared by the HTTP Content-Type header): "
                             f"byte 0x{data[error.start]:02x} at byte {error.start}") from None
