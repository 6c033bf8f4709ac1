"""``citelint audit`` on inputs that go wrong: records too deep or not UTF-8 clean, inputs that
fail or change under the audit, a full disk, a resume under other inputs or settings, Parquet
dates and big row groups, WARC charsets, bad ``--by`` and ``--cluster`` values, no articles.

Every input is generated here from sentences written for these tests (never corpus text).
"""

from __future__ import annotations

import errno
import json
import os
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest

from tests.test_audit import aggregate_rows, article, audit, record, table, write_jsonl

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def manifest(outdir: Path) -> dict:
    return json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))


def statuses(outdir: Path) -> dict[str, str]:
    articles = table(outdir, "articles")
    return dict(zip(articles["article_id"].to_pylist(), articles["status"].to_pylist(), strict=True))


# -- 1. a reader failure never loses articles silently ----------------------------------------------


def test_a_deeply_nested_record_is_one_error_row_and_the_next_records_are_read(cli, tmp_path):
    source = write_jsonl(tmp_path / "deep.jsonl", 4, extra=[
        '{"id": "deep", "body": "x", "extra": ' + "[" * 200_000 + "]" * 200_000 + "}",
        *(json.dumps(record(number)) for number in range(4, 7)),
    ])
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out), "--text-field", "body", "--id-field", "id")
    found = statuses(out)
    assert found[f"{source}:5"] == "error"
    assert [found[f"story-{n:04d}"] for n in range(7)] == ["ok"] * 7


def test_a_metadata_value_too_deep_to_write_is_an_error_row():
    from citelint.audit.inputs import Fields, _record_article

    nested: list = []
    for _ in range(100_000):
        nested = [nested]
    article_ = _record_article({"text": "Words.", "extra": nested}, "f:1", "f", Fields(meta=("extra",)))
    assert article_.error is not None and "nested too deeply" in article_.error


def test_sources_are_planned_as_absolute_paths(tmp_path, monkeypatch):
    from citelint.audit.inputs import Fields, plan
    from citelint.config import Config, ConfigSet

    write_jsonl(tmp_path / "archive.jsonl", 3)
    monkeypatch.chdir(tmp_path)
    partitions = plan(["archive.jsonl"], 2, ConfigSet.single(Config()), tmp_path / "out", Fields(("body",)))
    assert [partition.source for partition in partitions] == [str(tmp_path / "archive.jsonl")] * 2


def test_an_input_that_cannot_be_opened_is_error_rows_and_resume_reads_it_again(cli, tmp_path, monkeypatch):
    from citelint.audit import partition as partition_module

    source = write_jsonl(tmp_path / "archive.jsonl", 6)
    args = [str(source), "--text-field", "body", "--id-field", "id", "--partition-size", "2", "-j", "1"]
    audit(cli, *args, "-o", str(tmp_path / "clean"))
    reader = partition_module.read_partition

    def failing(partition, fields):
        if partition.number == 1:
            raise OSError(errno.ESTALE, "Stale file handle")
        return reader(partition, fields)

    monkeypatch.setattr(partition_module, "read_partition", failing)
    out = tmp_path / "out"
    run = cli("audit", *args, "-o", str(out))
    assert run.status == 2 and "1 partitions were not read or written whole (part-000001)" in run.err
    assert "Traceback" not in run.err
    assert manifest(out)["partitions"]["part-000001"]["incomplete"] == 1
    assert aggregate_rows(out)[0]["articles"] == "6" and aggregate_rows(out)[0]["errors"] == "2"
    monkeypatch.setattr(partition_module, "read_partition", reader)
    resumed = audit(cli, *args, "-o", str(out), "--resume")
    assert "(2 finished before)" in resumed.err
    assert (out / "aggregate.csv").read_bytes() == (tmp_path / "clean" / "aggregate.csv").read_bytes()
    assert "incomplete" not in manifest(out)["partitions"]["part-000001"]


def test_a_reader_that_ends_early_counts_the_missing_articles_as_error_rows(tmp_path):
    from citelint.audit.inputs import JSONL, Fields, Partition
    from citelint.audit.partition import AuditSettings, audit_partition
    from citelint.config import Config, ConfigSet

    source = write_jsonl(tmp_path / "cut.jsonl", 2)  # planned with 4 records, cut to 2 since
    settings = AuditSettings(ConfigSet.single(Config()), Fields(("body",)), ("unattributed-claim",), "test")
    result = audit_partition(Partition(0, JSONL, str(source), count=4, articles=4), settings)
    assert result.articles["status"] == ["ok", "ok", "error", "error"]
    assert result.incomplete is not None and "ended early" in result.incomplete


# -- 2. lone surrogates, and a partition that cannot be written ----------------------------------------


def test_lone_surrogates_in_id_metadata_and_text_become_replacement_characters(cli, tmp_path):
    source = tmp_path / "surrogates.jsonl"
    good = json.dumps(record(1))
    broken = ('{"id": "story-\\ud83d", "outlet": "Harbour \\udc80 Gazette", "body": "Broken \\ud83d emoji. '
              + article(2).replace("\n", "\\n") + '"}')
    source.write_text("\n".join([good, broken, json.dumps(record(3))]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out), "--text-field", "body", "--id-field", "id", "--meta", "outlet")
    articles = table(out, "articles")
    assert articles["article_id"].to_pylist() == ["story-0001", "story-\ufffd", "story-0003"]
    assert articles["outlet"].to_pylist()[1] == "Harbour \ufffd Gazette"
    assert articles["status"].to_pylist() == ["ok"] * 3


def test_a_partition_that_cannot_be_written_costs_that_partition_only(cli, tmp_path, monkeypatch):
    from citelint.audit import output

    source = write_jsonl(tmp_path / "archive.jsonl", 6)
    args = [str(source), "--text-field", "body", "--partition-size", "2", "-j", "1", "-o", str(tmp_path / "out")]
    writer = output._write_parquet

    def refusing(table_, path):
        if path.name == "part-000001.parquet":
            raise pa.ArrowInvalid("a value Arrow cannot store")
        writer(table_, path)

    monkeypatch.setattr(output, "_write_parquet", refusing)
    run = cli("audit", *args)
    assert run.status == 2 and "part-000001" in run.err and "Traceback" not in run.err
    assert sorted(manifest(tmp_path / "out")["partitions"]) == ["part-000000", "part-000002"]
    assert aggregate_rows(tmp_path / "out")[0]["articles"] == "4"
    monkeypatch.setattr(output, "_write_parquet", writer)
    assert "(2 finished before)" in audit(cli, *args, "--resume").err


# -- 3. --resume refuses changed inputs and settings ---------------------------------------------------


def _refused(cli, *args: str) -> bool:
    run = cli("audit", *args, "--resume")
    return run.status == 2 and "holds an audit of other inputs" in run.err


def test_resume_refuses_an_input_changed_since(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 3)
    args = [str(source), "--text-field", "body", "-o", str(tmp_path / "out")]
    audit(cli, *args)
    stamp = source.stat()
    os.utime(source, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    assert _refused(cli, *args)


def test_resume_refuses_a_folder_whose_files_changed(cli, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for number in range(3):
        (folder / f"story-{number}.md").write_text(article(number), encoding="utf-8")
    args = [str(folder), "-o", str(tmp_path / "out")]
    audit(cli, *args)
    (folder / "story-1.md").rename(folder / "story-9.md")
    assert _refused(cli, *args)


def test_resume_refuses_another_configuration_or_citelint_version(cli, tmp_path, monkeypatch):
    source = write_jsonl(tmp_path / "archive.jsonl", 3)
    config = tmp_path / "citelint.yaml"
    config.write_text("min-confidence: 0.2\n", encoding="utf-8")
    args = [str(source), "--text-field", "body", "-o", str(tmp_path / "out"), "--config", str(config)]
    audit(cli, *args)
    assert not _refused(cli, *args)
    config.write_text("min-confidence: 0.2\nrules:\n  unattributed-claim: off\n", encoding="utf-8")
    assert _refused(cli, *args)
    config.write_text("min-confidence: 0.2\n", encoding="utf-8")
    monkeypatch.setattr("citelint.__version__", "0.0.0-other")
    assert _refused(cli, *args)


# -- 4. and 5. Parquet: dates as dates, and never a whole row group at once -----------------------------


def test_parquet_dates_are_iso_metadata_and_group_by_month(cli, tmp_path):
    source = tmp_path / "dated.parquet"
    rows = [{"body": article(n), "published": datetime(2024, 1 + n % 2, 3, 12, 30), "day": date(2023, 5, 1 + n),
             "page": n, "tags": ["a", "b"]} for n in range(4)]
    pq.write_table(pa.Table.from_pylist(rows), source)
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out), "--text-field", "body", "--meta", "published,day,page,tags")
    articles = table(out, "articles")
    assert articles["published"].to_pylist()[0] == "2024-01-03T12:30:00"
    assert articles["day"].to_pylist()[1] == "2023-05-02" and articles["page"].to_pylist()[2] == "2"
    assert articles["tags"].to_pylist()[0] == '["a", "b"]'
    pq.write_table(pa.Table.from_pylist([{"body": row["body"], "date": row["published"]} for row in rows]), source)
    by_month = tmp_path / "by-month"
    audit(cli, str(source), "-o", str(by_month), "--text-field", "body", "--by", "month")
    assert [(row["month"], row["articles"]) for row in aggregate_rows(by_month)] == [("2024-01", "2"),
                                                                                     ("2024-02", "2")]


def test_parquet_partitions_read_a_big_row_group_a_batch_at_a_time(tmp_path, monkeypatch):
    from citelint.audit import inputs
    from citelint.audit.inputs import Fields, plan, read_partition
    from citelint.config import Config, ConfigSet

    source = tmp_path / "big.parquet"
    pq.write_table(pa.table({"text": [f"Row {n} of the archive." for n in range(5000)]}), source,
                   row_group_size=5000)
    monkeypatch.setattr(inputs, "PARQUET_BATCH_ROWS", 100)
    materialised: list[int] = []
    iterate = pq.ParquetFile.iter_batches

    def counting(self, *args, **kwargs):
        for batch in iterate(self, *args, **kwargs):
            materialised.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", counting)
    monkeypatch.setattr(pq.ParquetFile, "read_row_group", None)  # never the whole group
    partitions = plan([str(source)], 250, ConfigSet.single(Config()), tmp_path / "out", Fields())
    third = [article_.id for article_ in read_partition(partitions[2], Fields())]
    assert third == [f"{source}:{n}" for n in range(501, 751)]
    assert max(materialised) == 100 and sum(materialised) == 800  # up to row 800, then no further


# -- 6. WARC: the HTTP header's charset -----------------------------------------------------------------


def test_warc_responses_are_decoded_in_the_http_header_charset(cli, tmp_path):
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders

    source = tmp_path / "crawl.warc"
    words = "Министерство заявило, что мост откроют в мае."
    pages = {"https://news.example/koi8": ("text/html; charset=KOI8-R", f"<p>{words}</p>".encode("koi8-r")),
             "https://news.example/bom": ("text/html; charset=koi8-r",
                                          b"\xef\xbb\xbf" + f"<p>{words}</p>".encode())}
    with open(source, "wb") as handle:
        writer = warcio.warcwriter.WARCWriter(handle, gzip=False)
        for url, (content_type, body) in pages.items():
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                          http_headers=headers))
    from citelint.audit.inputs import Fields, plan, read_partition
    from citelint.config import Config, ConfigSet

    partition, = plan([str(source)], 10, ConfigSet.single(Config()), tmp_path / "out", Fields())
    assert [words in (article_.text or "") for article_ in read_partition(partition, Fields())] == [True, True]


# -- 7. and 8. clear messages for --by, Parquet fields, --cluster, manifests and a full disk --------------


def test_by_is_deduplicated_and_groups_on_input_and_status(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 4, extra=["{not json"])
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out), "--text-field", "body", "--meta", "outlet", "--by", "outlet,outlet",
          "--by", "status")
    rows = aggregate_rows(out)
    assert list(rows[0])[:3] == ["outlet", "status", "articles"]
    assert ("", "error", "1") in [(row["outlet"], row["status"], row["articles"]) for row in rows]
    by_input = tmp_path / "by-input"
    audit(cli, str(source), "-o", str(by_input), "--text-field", "body", "--by", "input")
    assert [(row["input"], row["articles"]) for row in aggregate_rows(by_input)] == [(str(source), "5")]


@pytest.mark.parametrize(("args", "message"), [
    (["archive.jsonl", "--by", "words"], "--by words: an output column that cannot be grouped on"),
    (["archive.parquet", "--text-field", "body", "--meta", "section"], "no column 'section'"),
    (["archive.parquet", "--id-field", "uid"], "its columns are: id, body, outlet, date"),
    (["archive.jsonl", "--cluster", "tcp://scheduler:port"], "not a Dask scheduler address"),
    (["archive.jsonl", "--cluster", "nonsense"], "write it as tcp://HOST:PORT"),
])
def test_usage_errors_are_clean_messages(cli, tmp_path, monkeypatch, args, message):
    if "--cluster" in args:
        pytest.importorskip("distributed")
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "archive.jsonl", 1)
    pq.write_table(pa.Table.from_pylist([record(1)]), tmp_path / "archive.parquet")
    run = cli("audit", *args, "-o", "out")
    assert run.status == 2 and message in run.err and "Traceback" not in run.err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content", [
    {"format": 1, "plan": "x", "partitions": []},
    {"format": 1, "partitions": {}},
    {"format": 1, "plan": "x", "partitions": {"part-000000": "done"}},
])
def test_a_manifest_of_the_wrong_shape_is_a_clean_error(cli, tmp_path, content):
    source = write_jsonl(tmp_path / "archive.jsonl", 1)
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps(content), encoding="utf-8")
    run = cli("audit", str(source), "-o", str(out), "--text-field", "body", "--resume")
    assert run.status == 2 and "damaged audit manifest" in run.err and "Traceback" not in run.err


def test_a_partition_whose_files_were_deleted_is_audited_again_on_resume(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 4)
    out = tmp_path / "out"
    args = [str(source), "-o", str(out), "--text-field", "body", "--partition-size", "2"]
    audit(cli, *args)
    whole = (out / "aggregate.csv").read_bytes()
    (out / "articles" / "part-000001.parquet").unlink()
    resumed = audit(cli, *args, "--resume")
    assert "(1 finished before)" in resumed.err
    assert (out / "aggregate.csv").read_bytes() == whole


def test_a_full_disk_is_a_clean_error_and_the_audit_resumes(cli, tmp_path, monkeypatch):
    from citelint.audit import output

    source = write_jsonl(tmp_path / "archive.jsonl", 4)
    args = [str(source), "-o", str(tmp_path / "out"), "--text-field", "body", "--partition-size", "2", "-j", "1"]

    def full(table_, path):
        raise OSError(errno.ENOSPC, "No space left on device")

    writer = output._write_parquet
    monkeypatch.setattr(output, "_write_parquet", full)
    run = cli("audit", *args)
    assert run.status == 2 and "No space left on device" in run.err and "--resume" in run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
    monkeypatch.setattr(output, "_write_parquet", writer)
    assert "4 articles in 2 partitions (0 finished before)" in audit(cli, *args, "--resume").err


# -- 9. no articles --------------------------------------------------------------------------------------


def test_an_audit_of_no_articles_writes_the_table_header_and_a_manifest(cli, tmp_path):
    source = tmp_path / "empty.jsonl"
    source.write_text("\n", encoding="utf-8")
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out), "--by", "outlet")
    assert (out / "aggregate.csv").read_text(encoding="utf-8").startswith("outlet,articles,analysed,errors,")
    assert manifest(out)["partitions"] == {}


# -- max-file-size applies to a record's text as to a file -------------------------------------------------


def test_text_over_the_max_file_size_is_a_skipped_row(cli, tmp_path):
    config = tmp_path / "citelint.yaml"
    config.write_text("max-file-size: 400\n", encoding="utf-8")
    long_story = {"id": "long", "body": " ".join(article(n) for n in range(6))}
    source = write_jsonl(tmp_path / "archive.jsonl", 2, extra=[json.dumps(long_story)])
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "long.md").write_text(long_story["body"], encoding="utf-8")
    (folder / "short.md").write_text(article(1), encoding="utf-8")
    out = tmp_path / "out"
    audit(cli, str(source), str(folder), "-o", str(out), "--config", str(config), "--text-field", "body",
          "--id-field", "id")
    articles = table(out, "articles").to_pylist()
    status = {row["article_id"]: (row["status"], row["note"] or "") for row in articles}
    assert status["story-0000"][0] == status["short.md"][0] == "ok"
    assert status["long"][0] == status["long.md"][0] == "skipped"
    assert "over the max-file-size of 400" in status["long"][1] and "max-file-size" in status["long.md"][1]


def test_findings_name_their_input(cli, tmp_path):
    first = write_jsonl(tmp_path / "first.jsonl", 2)
    second = write_jsonl(tmp_path / "second.jsonl", 2)
    out = tmp_path / "out"
    audit(cli, str(first), str(second), "-o", str(out), "--text-field", "body", "--id-field", "id")
    findings = table(out, "findings")
    assert set(findings["input"].to_pylist()) == {str(first), str(second)}


# -- a worker that dies costs its partition, not the run ------------------------------------------------


def _dies_on_partition_one(partition, settings):
    """What a worker that runs out of memory on partition 1 does: it is gone, with no exception."""
    from citelint.audit.partition import audit_partition

    if partition.number == 1 and (os.environ.get("AUDIT_TEST_ALWAYS_DIE") or not Path(
            os.environ["AUDIT_TEST_DIED"]).exists()):
        Path(os.environ["AUDIT_TEST_DIED"]).touch()
        os._exit(1)
    return audit_partition(partition, settings)


@pytest.mark.slow  # starts several process pools
@pytest.mark.parametrize("always", [False, True])
def test_a_worker_that_dies_costs_only_its_partition(cli, tmp_path, monkeypatch, always):
    from citelint.audit import runners

    source = write_jsonl(tmp_path / "archive.jsonl", 10)
    args = [str(source), "--text-field", "body", "--id-field", "id", "--partition-size", "2", "-j", "2"]
    audit(cli, *args, "-o", str(tmp_path / "clean"))
    monkeypatch.setenv("AUDIT_TEST_DIED", str(tmp_path / "died"))
    if always:
        monkeypatch.setenv("AUDIT_TEST_ALWAYS_DIE", "1")
    monkeypatch.setattr(runners, "audit_partition", _dies_on_partition_one)
    out = tmp_path / "out"
    run = cli("audit", *args, "-o", str(out))
    assert (tmp_path / "died").exists() and "Traceback" not in run.err
    if not always:  # it died once, in the shared pool, then finished alone
        assert run.status == 0
        assert (out / "aggregate.csv").read_bytes() == (tmp_path / "clean" / "aggregate.csv").read_bytes()
        return
    assert run.status == 2 and "(part-000001)" in run.err
    found = statuses(out)
    assert [found[f"story-{n:04d}"] for n in (0, 1, *range(4, 10))] == ["ok"] * 8
    assert found[f"{source}: partition 1, article 2"] == "error"
    monkeypatch.delenv("AUDIT_TEST_ALWAYS_DIE")  # it died before: now it finishes
    resumed = audit(cli, *args, "-o", str(out), "--resume")
    assert "(4 finished before)" in resumed.err
    assert (out / "aggregate.csv").read_bytes() == (tmp_path / "clean" / "aggregate.csv").read_bytes()
