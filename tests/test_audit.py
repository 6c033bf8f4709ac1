"""``citelint audit``: every kind of input, the outputs, bad records, determinism and resume.

The articles are generated here from sentences written for these tests (never corpus text).
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parent.parent

SENTENCES = (
    "Officials said the harbour bridge would reopen in May after repairs.",
    "According to a source familiar with the talks, the merger is close to being agreed.",
    "The council spent 4.2 million pounds on road repairs last year.",
    "Critics say the plan will leave rural bus routes without a service.",
    "The Ministry of Transport said in a statement that 12 routes had been cut.",
    "Experts believe the drought will push grain prices higher this winter.",
    "A spokesperson for the port authority declined to comment on the figures.",
    "Unemployment rose to 7.4 percent in the second quarter, the statistics office said.",
    "Some analysts warned that the new tariff could cost exporters 300 million dollars.",
    "The mayor told reporters the library would stay open on Sundays.",
)
OUTLETS = ("Harbour Gazette", "Valley Times", "Northern Wire")


def article(number: int) -> str:
    """A short article of four sentences, different for each number."""
    picked = [SENTENCES[(number * 3 + step * 7) % len(SENTENCES)] for step in range(4)]
    return f"Story {number}\n\n" + " ".join(picked[:2]) + "\n\n" + " ".join(picked[2:]) + "\n"


def record(number: int) -> dict:
    return {"id": f"story-{number:04d}", "body": article(number), "outlet": OUTLETS[number % len(OUTLETS)],
            "date": f"2024-{1 + number % 3:02d}-{1 + number % 27:02d}"}


def write_jsonl(path: Path, count: int, extra: list[str] = ()) -> Path:
    lines = [json.dumps(record(number)) for number in range(count)] + list(extra)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def audit(cli, *args: str):
    run = cli("audit", *args)
    assert run.status == 0, run.err
    return run


def table(outdir: Path, kind: str):
    return pa.concat_tables([pq.read_table(path) for path in sorted((outdir / kind).glob("*.parquet"))])


def aggregate_rows(outdir: Path) -> list[dict]:
    with open(outdir / "aggregate.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def output_bytes(outdir: Path) -> dict[str, bytes]:
    """Every findings and articles file, the aggregate table and the page, by name."""
    files = [*sorted(outdir.glob("*/*.parquet")), outdir / "aggregate.csv", outdir / "report.html"]
    return {path.relative_to(outdir).as_posix(): path.read_bytes() for path in files}


# -- inputs ------------------------------------------------------------------------------------


def test_jsonl_with_a_field_mapping(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 9)
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out), "--text-field", "body", "--id-field", "id", "--meta", "outlet,date",
          "--by", "outlet,month", "--partition-size", "4", "-j", "1")
    articles = table(out, "articles")
    assert articles["article_id"].to_pylist() == [f"story-{n:04d}" for n in range(9)]
    assert set(articles["status"].to_pylist()) == {"ok"}
    assert min(articles["words"].to_pylist()) > 20
    findings = table(out, "findings")
    assert findings.num_rows > 0
    assert {"article_id", "rule", "code", "offset", "end_offset", "line", "column", "confidence", "message",
            "outlet", "date"} <= set(findings.column_names)
    first = findings.slice(0, 1).to_pylist()[0]
    text = record(int(first["article_id"].split("-")[1]))["body"]
    assert 0 <= first["offset"] < first["end_offset"] <= len(text)
    assert first["outlet"] in OUTLETS
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(manifest["partitions"]) == ["part-000000", "part-000001", "part-000002"]
    assert sum(p["articles"] for p in manifest["partitions"].values()) == 9
    rows = aggregate_rows(out)
    assert {(row["outlet"], row["month"]) for row in rows} == {(OUTLETS[n % 3], f"2024-{1 + n % 3:02d}")
                                                               for n in range(9)}
    assert sum(int(row["articles"]) for row in rows) == 9
    for row in rows:
        assert float(row["findings_per_1000_words"]) == pytest.approx(
            1000 * int(row["findings"]) / int(row["words"]), abs=1e-3)
        assert 0 <= float(row["vague_or_anonymous_share"]) <= 1


def test_progress_shows_the_rate_and_eta(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 4)
    run = audit(cli, str(source), "-o", str(tmp_path / "out"), "--text-field", "body", "--partition-size", "2",
                "--progress")
    assert "citelint audit: 2/4 articles (1/2 partitions)" in run.err
    assert "4/4 articles (2/2 partitions)" in run.err and "/s  ETA 0:00:00" in run.err


def test_jsonl_without_an_id_field_names_articles_by_file_and_line(cli, tmp_path):
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"text": article(1)}) + "\n\n" + json.dumps({"text": article(2)}) + "\n")
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out))
    assert table(out, "articles")["article_id"].to_pylist() == [f"{source}:1", f"{source}:3"]


def test_bad_records_are_counted_error_rows_and_the_partition_is_kept(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 4, extra=[
        "{not json", json.dumps({"id": "no-text"}), json.dumps({"id": "numeric", "body": 42}), "[1, 2]",
    ])
    out = tmp_path / "out"
    run = audit(cli, str(source), "-o", str(out), "--text-field", "body", "--id-field", "id", "--partition-size", "3")
    articles = table(out, "articles")
    status = dict(zip(articles["article_id"].to_pylist(), articles["status"].to_pylist(), strict=True))
    assert status[f"{source}:5"] == "error"
    assert status["no-text"] == "error" and status["numeric"] == "error" and status[f"{source}:8"] == "error"
    assert [status[f"story-{n:04d}"] for n in range(4)] == ["ok"] * 4
    notes = dict(zip(articles["article_id"].to_pylist(), articles["note"].to_pylist(), strict=True))
    assert "not a JSON record" in notes[f"{source}:5"] and "not a string" in notes["numeric"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert sum(p["errors"] for p in manifest["partitions"].values()) == 4
    assert len(manifest["partitions"]) == 3
    assert "4 records with errors" in run.err
    assert aggregate_rows(out)[0]["errors"] == "4"


def test_folder_of_articles_with_its_subfolder_as_metadata(cli, tmp_path):
    root = tmp_path / "archive"
    for number in range(5):
        folder = root / ("politics" if number % 2 else "business")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{number:03d}.txt").write_text(article(number), encoding="utf-8")
    (root / "business" / "004.html").write_text(f"<html><body><p>{SENTENCES[1]}</p></body></html>")
    out = tmp_path / "out"
    audit(cli, str(root), "-o", str(out), "--by", "folder", "--partition-size", "2")
    articles = table(out, "articles")
    assert articles["article_id"].to_pylist() == sorted(articles["article_id"].to_pylist())
    assert "business/004.html" in articles["article_id"].to_pylist()
    assert set(articles["folder"].to_pylist()) == {"business", "politics"}
    assert {row["folder"]: row["articles"] for row in aggregate_rows(out)} == {"business": "4", "politics": "2"}


def test_warc_html_responses_only(cli, tmp_path):
    warcio = pytest.importorskip("warcio")
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders

    source = tmp_path / "crawl.warc.gz"
    with open(source, "wb") as handle:
        writer = warcio.warcwriter.WARCWriter(handle, gzip=True)

        def response(url: str, content_type: str, body: bytes):
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            return writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers)

        for number in range(3):
            page = f"<html><head><title>Story {number}</title></head><body><article>" + "".join(
                f"<p>{line}</p>" for line in article(number).split("\n\n")[1:]) + "</article></body></html>"
            writer.write_record(response(f"https://news.example/{number}", "text/html; charset=utf-8",
                                         page.encode()))
            writer.write_record(response(f"https://news.example/{number}.png", "image/png", b"\x89PNG\r\n"))
        writer.write_record(writer.create_warc_record("https://news.example/feed", "request",
                                                      payload=BytesIO(b"GET /feed HTTP/1.1\r\n\r\n")))
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out), "--meta", "url,date", "--partition-size", "2")
    articles = table(out, "articles")
    assert articles["article_id"].to_pylist() == [f"https://news.example/{n}" for n in range(3)]
    assert articles["url"].to_pylist() == articles["article_id"].to_pylist()
    assert all(articles["date"].to_pylist()) and set(articles["status"].to_pylist()) == {"ok"}
    assert table(out, "findings").num_rows > 0
    assert len(list((out / "findings").glob("*.parquet"))) == 2


def test_parquet_read_across_row_groups(cli, tmp_path):
    source = tmp_path / "archive.parquet"
    rows = [record(number) for number in range(7)]
    pq.write_table(pa.Table.from_pylist(rows), source, row_group_size=2)
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out), "--text-field", "body", "--meta", "outlet", "--partition-size", "3")
    articles = table(out, "articles")
    assert articles["article_id"].to_pylist() == [f"{source}:{n}" for n in range(1, 8)]
    assert articles["outlet"].to_pylist() == [row["outlet"] for row in rows]
    assert articles["words"].to_pylist() == [len(" ".join(row["body"].split("\n\n")[1:]).split()) +
                                             len(row["body"].split("\n\n")[0].split()) for row in rows]


# -- determinism and resume ------------------------------------------------------------------------


def test_findings_are_byte_identical_whatever_the_worker_count(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 24)
    common = [str(source), "--text-field", "body", "--id-field", "id", "--meta", "outlet", "--by", "outlet",
              "--partition-size", "5"]
    audit(cli, *common, "-o", str(tmp_path / "one"), "-j", "1")
    audit(cli, *common, "-o", str(tmp_path / "two"), "-j", "2")
    one, two = output_bytes(tmp_path / "one"), output_bytes(tmp_path / "two")
    assert len(one) == 12 and one == two


def _audit_command(source: Path, out: Path, jobs: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "citelint", "audit", str(source), "-o", str(out), "--text-field", "body",
            "--id-field", "id", "--meta", "outlet", "--by", "outlet", "--partition-size", "10", "-j", str(jobs), *extra]


def _children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").glob("*")
            for child in (task / "children").read_text().split()]


def _gone(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
                   for pid in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_killed_audit_resumes_to_the_same_output(tmp_path, jobs):
    source = write_jsonl(tmp_path / "archive.jsonl", 400)
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(_audit_command(source, whole, 1, "-q"), check=True, env=env, cwd=ROOT)
    process = subprocess.Popen(_audit_command(source, resumed, jobs, "-q"), env=env, cwd=ROOT)
    manifest = resumed / "manifest.json"
    deadline = time.monotonic() + 120
    finished: dict = {}
    while time.monotonic() < deadline and process.poll() is None:
        if manifest.exists():
            finished = json.loads(manifest.read_text())["partitions"]
            if finished:
                break
        time.sleep(0.01)
    assert process.poll() is None, "the audit finished before it could be killed"
    workers = _children(process.pid)
    assert len(workers) == (jobs if jobs > 1 else 0)
    process.send_signal(signal.SIGKILL)
    process.wait()
    gone = _gone(workers, 10)
    for pid in workers if not gone else ():
        os.kill(pid, signal.SIGKILL)
    assert gone, "pool workers outlived the killed audit"
    assert 1 <= len(json.loads(manifest.read_text())["partitions"]) < 40
    again = subprocess.run(_audit_command(source, resumed, jobs, "--resume"), env=env, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "finished before" in again.stderr
    assert output_bytes(resumed) == output_bytes(whole)
    assert json.loads(manifest.read_text()) == json.loads((whole / "manifest.json").read_text())


def test_an_existing_audit_is_not_overwritten_nor_resumed_with_other_options(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 3)
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out), "--text-field", "body")
    again = cli("audit", str(source), "-o", str(out), "--text-field", "body")
    assert again.status == 2 and "--resume" in again.err
    other = cli("audit", str(source), "-o", str(out), "--text-field", "body", "--meta", "outlet", "--resume")
    assert other.status == 2 and "holds an audit of other inputs, options, configuration" in other.err
    resumed = audit(cli, str(source), "-o", str(out), "--text-field", "body", "--resume")
    assert "1 partitions (1 finished before)" in resumed.err


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["missing.jsonl"], "no such file or folder"),
    (["broken.parquet"], "cannot be read as parquet"),
    (["notes.csv"], "not a folder, .jsonl"),
    (["archive.jsonl", "--meta", "rule"], "name of an output column"),
    (["archive.jsonl", "--partition-size", "0"], "--partition-size"),
])
def test_usage_errors(cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "archive.jsonl", 1)
    (tmp_path / "notes.csv").write_text("a,b\n")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    run = cli("audit", *args, "-o", "out")
    assert run.status == 2 and message in run.err and "Traceback" not in run.err


def test_without_pyarrow_the_audit_names_the_extra_to_install(tmp_path):
    script = ("import sys; sys.modules['pyarrow'] = None; from citelint.cli import main; "
              f"sys.exit(main(['audit', {str(tmp_path)!r}, '-o', {str(tmp_path / 'out')!r}]))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 2
    assert "pip install 'citelint-provenance[audit]'" in run.stderr and "Traceback" not in run.stderr


def test_a_partition_whose_input_fails_part_way_has_an_error_row_per_missing_article(tmp_path):
    """A WARC file replaced after planning: the partition's start is no longer a record."""
    from citelint.audit.inputs import WARC, Fields, Partition
    from citelint.audit.partition import AuditSettings, audit_partition
    from citelint.config import Config, ConfigSet

    source = tmp_path / "crawl.warc"
    source.write_bytes(b"WARC/1.0\r\nnot a record at all\r\n" * 20)
    settings = AuditSettings(ConfigSet.single(Config()), Fields(), ("unattributed-claim",), "test")
    result = audit_partition(Partition(3, WARC, str(source), start=5, count=2, articles=2), settings)
    assert result.articles["status"] == ["error", "error"] and result.errors == 2
    assert result.articles["article_id"] == [f"{source}: partition 3, article {n}" for n in (1, 2)]
    assert result.articles["note"][0].startswith("the input could not be read further: ")
    assert result.incomplete == result.articles["note"][1]


def test_articles_not_linted_are_skipped_or_error_rows_and_add_no_words(cli, tmp_path, monkeypatch):
    source = tmp_path / "mixed.jsonl"
    german = ("Der Gemeinderat hat gestern beschlossen, die alte Brücke über den Fluss im Frühjahr zu erneuern. "
              "Die Arbeiten sollen im März beginnen und bis zum Herbst dauern, sagte der Bürgermeister den Bürgern. "
              "Für die Zeit der Bauarbeiten wird eine Fähre eingerichtet, die jede halbe Stunde zwischen den beiden "
              "Ufern verkehrt. Die Kosten werden von der Stadt und dem Land gemeinsam getragen, und die Händler in "
              "der Altstadt hoffen, dass die Kunden auch in dieser Zeit den Weg zu ihnen finden werden.")
    source.write_text("\n".join(json.dumps({"text": text}) for text in (article(1), german, article(2))) + "\n")
    audit(cli, str(source), "-o", str(tmp_path / "out"))
    articles = table(tmp_path / "out", "articles").to_pylist()
    assert [row["status"] for row in articles] == ["ok", "skipped", "ok"]
    assert "not English" in articles[1]["note"] and articles[1]["words"] == 0

    import citelint.engine

    def broken_reader(*args, **kwargs):
        raise RuntimeError("the reader tripped")

    monkeypatch.setattr(citelint.engine, "parse", broken_reader)
    audit(cli, str(source), "-o", str(tmp_path / "broken"))
    articles = table(tmp_path / "broken", "articles").to_pylist()
    assert [row["status"] for row in articles] == ["error"] * 3
    assert "the reader tripped" in articles[0]["note"] and articles[0]["words"] == 0


# -- the page (OUTDIR/report.html) ---------------------------------------------------------------


class _Cells(HTMLParser):
    """The text of each table row's cells (head, body and foot), the summary's terms and
    definitions, every start tag with its attributes, and all the text outside tags."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.summary: dict[str, str] = {}
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text = ""
        self._cell: str | None = None
        self._term: str | None = None
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td", "dt", "dd"):
            self._in, self._cell = tag, ""

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append(" ".join(self._cell.split()))
        elif tag == "dt":
            self._term = self._cell
        elif tag == "dd" and self._term is not None:
            self.summary[self._term] = self._cell or ""
        if tag in ("th", "td", "dt", "dd"):
            self._cell = None

    def handle_data(self, data):
        self.text += data
        if self._cell is not None:
            self._cell += data


def page(outdir: Path) -> _Cells:
    return _Cells((outdir / "report.html").read_text(encoding="utf-8"))


def test_the_page_shows_the_summary_and_the_aggregate_table(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 30, extra=["{not json"])
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out), "--text-field", "body", "--id-field", "id", "--by", "outlet,month",
          "--partition-size", "7", "--select", "vague-attribution,unsourced-figure")
    shown = page(out)
    assert shown.summary["inputs"] == str(source)
    assert shown.summary["partitions"] == "5"
    assert shown.summary["articles"] == "31: 30 analysed, 0 skipped, 1 with errors"
    assert shown.summary["grouped by"] == "outlet, month"
    assert shown.summary["--select"] == "vague-attribution,unsourced-figure"
    assert "1 record was not audited" in " ".join(shown.text.split())
    head, *body, foot = shown.rows
    assert head == ["outlet", "month", "Articles", "Analysed", "Errors", "Words", "Findings",
                    "Findings per 1,000 words", "vague-attribution CIT102", "unsourced-figure CIT103", "Claims",
                    "Vague or anonymous", "Linked", "Unattributed"]
    rows = aggregate_rows(out)
    assert len(body) == len(rows) == 4  # three outlets, and the bad record, which has none
    for cells, row in zip(body, rows, strict=True):
        assert cells[:2] == [row["outlet"] or "(none)", row["month"] or "(none)"]
        assert cells[2:7] == [f"{int(row[c]):,}" for c in ("articles", "analysed", "errors", "words", "findings")]
        rates = [row["findings_per_1000_words"], row["vague-attribution_per_1000_words"],
                 row["unsourced-figure_per_1000_words"]]
        assert cells[7:10] == [f"{float(rate):.2f}" if rate else "—" for rate in rates]
        assert cells[10] == row["claims"]
        assert cells[11:] == [f"{100 * float(row[f'{name}_share']):.1f}%" if row["claims"] != "0" else "—"
                              for name in ("vague_or_anonymous", "linked", "unattributed")]
    words, findings = (sum(int(row[column]) for row in rows) for column in ("words", "findings"))
    assert words > 1000
    assert foot[:7] == ["All articles", "31", "30", "1", f"{words:,}", str(findings), f"{1000 * findings / words:.2f}"]


def test_the_page_loads_nothing_runs_nothing_and_prints_metadata_as_text(cli, tmp_path):
    hostile = '<script>alert(1)</script><img src="https://tracker.example/x.png">'
    source = tmp_path / "archive.jsonl"
    source.write_text(json.dumps({"text": article(1), "outlet": hostile}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    audit(cli, str(source), "-o", str(out), "--by", "outlet")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    shown = page(out)
    policy = [attributes["content"] for tag, attributes in shown.tags if attributes.get("http-equiv")]
    assert policy == ["default-src 'none'; style-src 'unsafe-inline'"]
    assert {tag for tag, _ in shown.tags}.isdisjoint({"script", "img", "link", "iframe"})
    for tag, attributes in shown.tags:
        assert not any(name.startswith("on") for name in attributes), (tag, attributes)
        assert not any(value.startswith(("http:", "https:", "//")) for value in attributes.values())
    assert shown.rows[1][0] == hostile  # shown, as text
    assert "url(" not in html and "@import" not in html


def test_the_page_of_an_audit_without_grouping_or_articles(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 2)
    audit(cli, str(source), "-o", str(tmp_path / "out"), "--text-field", "body")
    shown = page(tmp_path / "out")
    assert shown.summary["grouped by"] == "nothing: one row for all the articles"
    assert len(shown.rows) == 2 and shown.rows[1][0] == "2"  # no foot: the one row is every article
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    audit(cli, str(empty), "-o", str(tmp_path / "none"), "--by", "outlet")
    shown = page(tmp_path / "none")
    assert shown.rows == [] and "No articles." in shown.text
    assert shown.summary["articles"] == "0: 0 analysed, 0 skipped, 0 with errors"


def test_the_page_lists_the_first_groups_and_says_the_csv_has_them_all(monkeypatch):
    import citelint.audit.page
    from citelint.audit.output import Group

    monkeypatch.setattr(citelint.audit.page, "PAGE_GROUPS", 2)
    counts = {"articles": 1, "analysed": 1, "errors": 0, "words": 0, "findings": 0, "claims": 0}
    groups = [Group((name,), counts) for name in ("a", "b", "c")]
    shown = _Cells(citelint.audit.page.render_page(groups, ("outlet",), [], ["x.jsonl"], 1, []))
    assert [row[0] for row in shown.rows[1:]] == ["a", "b", "All articles"]
    assert shown.rows[-1][1] == "3"
    assert "The first 2 of 3 groups; aggregate.csv holds them all." in " ".join(shown.text.split())


def test_an_outdir_inside_the_audited_folder_is_not_audited_and_resumes(cli, tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    for number in range(3):
        (root / f"{number}.txt").write_text(article(number), encoding="utf-8")
    out = root / "audit"
    audit(cli, str(root), "-o", str(out))
    assert (out / "report.html").exists()
    resumed = audit(cli, str(root), "-o", str(out), "--resume")
    assert "1 partitions (1 finished before)" in resumed.err
    assert table(out, "articles")["article_id"].to_pylist() == ["0.txt", "1.txt", "2.txt"]


def test_the_manifest_is_written_now_and_then_and_whole_at_the_end(cli, tmp_path, monkeypatch):
    """Rewriting the whole manifest after each of tens of thousands of partitions would take the
    client longer than the linting; it is written at most every MANIFEST_INTERVAL seconds, and
    every partition is in it when the audit ends."""
    from citelint.audit import output

    writes: list[str] = []
    real = output.write_atomic
    monkeypatch.setattr(output, "MANIFEST_INTERVAL", 3600.0)
    monkeypatch.setattr(output, "write_atomic",
                        lambda path, text: (writes.append(Path(path).name), real(path, text))[1])
    source = write_jsonl(tmp_path / "news.jsonl", 12)
    audit(cli, str(source), "-o", str(tmp_path / "out"), "--text-field", "body", "--partition-size", "2", "-j", "1")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["partitions"]) == 6
    assert writes.count("manifest.json") <= 3  # at the start, after the first partition, at the end
