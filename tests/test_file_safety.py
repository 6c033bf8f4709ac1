"""Hostile input (issue 15): symlinks out of the tree, files that never end, outputs that are inputs,
writes that fail half way."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from citelint import safeio

FIGURE = "# Festival notes\n\nTicket prices rose by nearly 40% on last year.\n"
OUTSIDE = "skipped: symlink points outside the linted folder"
posix_only = pytest.mark.skipif(os.name != "posix", reason="symlinks, FIFOs and /dev/zero as on POSIX")


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """An ``arts`` folder to lint, with one article, and an ``elsewhere`` folder outside it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arts").mkdir()
    (tmp_path / "arts" / "a.md").write_text(FIGURE, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.md").write_text(FIGURE, encoding="utf-8")
    return tmp_path


def _paths(run) -> set[str]:
    return {d["path"] for d in run.json()["diagnostics"]}


def _notices(run) -> list[tuple[str | None, str]]:
    return [(n.get("path"), n["message"]) for n in run.json()["notices"]]


def _run_bounded(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run citelint in a child process with a time limit: a hang is a failure, not a stuck suite."""
    return subprocess.run([sys.executable, "-m", "citelint", *args], cwd=cwd, input=stdin, capture_output=True,
                          timeout=120, check=False)


# -- 1. symlinks out of the linted folder are not followed --------------------------------------


@posix_only
def test_a_file_symlink_out_of_the_tree_is_skipped_with_a_notice(cli, tree):
    (tree / "arts" / "leak.md").symlink_to(tree / "elsewhere" / "secret.md")
    run = cli("--format", "json", "arts")
    assert _paths(run) == {"arts/a.md"}
    assert ("arts/leak.md", OUTSIDE) in _notices(run)


@posix_only
def test_a_folder_symlink_out_of_the_tree_is_skipped_with_a_notice(cli, tree):
    (tree / "arts" / "more").symlink_to(tree / "elsewhere", target_is_directory=True)
    run = cli("--format", "json", "arts")
    assert _paths(run) == {"arts/a.md"}
    assert ("arts/more", OUTSIDE) in _notices(run)


@posix_only
def test_a_symlink_to_the_root_of_the_filesystem_is_not_walked(cli, tree):
    (tree / "arts" / "root").symlink_to("/", target_is_directory=True)
    run = cli("--format", "json", "arts")
    assert _paths(run) == {"arts/a.md"}
    assert ("arts/root", OUTSIDE) in _notices(run)


@posix_only
def test_symlinks_inside_the_tree_are_followed(cli, tree):
    (tree / "arts" / "sub").mkdir()
    (tree / "arts" / "sub" / "b.md").write_text(FIGURE, encoding="utf-8")
    (tree / "arts" / "alias.md").symlink_to("a.md")
    (tree / "arts" / "linked").symlink_to("sub", target_is_directory=True)
    run = cli("--format", "json", "arts")
    paths = _paths(run)
    assert {"arts/a.md", "arts/alias.md"} <= paths
    assert paths & {"arts/sub/b.md", "arts/linked/b.md"}  # one folder reached two ways is walked once
    assert not any(message == OUTSIDE for _, message in _notices(run))


@posix_only
def test_a_symlink_named_on_the_command_line_is_read(cli, tree):
    (tree / "arts" / "leak.md").symlink_to(tree / "elsewhere" / "secret.md")
    run = cli("--format", "json", "arts/leak.md")
    assert _paths(run) == {"arts/leak.md"}


@posix_only
def test_a_symlinked_folder_named_on_the_command_line_is_walked(cli, tree):
    (tree / "alias").symlink_to(tree / "elsewhere", target_is_directory=True)
    run = cli("--format", "json", "alias")
    assert _paths(run) == {"alias/secret.md"}


# -- 2. only regular files are read, and never past max-file-size -------------------------------


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_dev_zero_named_on_the_command_line_is_unreadable_not_a_hang(tmp_path):
    done = _run_bounded("--format", "json", "/dev/zero", cwd=tmp_path)
    assert done.returncode in (1, 2), done.stderr
    report = json.loads(done.stdout)
    [diagnostic] = report["diagnostics"]
    assert diagnostic["rule"] == "unreadable-file" and "not a regular file" in diagnostic["message"]


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_symlink_to_dev_zero_in_a_folder_is_skipped(tree):
    (tree / "arts" / "zero.md").symlink_to("/dev/zero")
    done = _run_bounded("--format", "json", "arts", cwd=tree)
    report = json.loads(done.stdout)
    assert {d["path"] for d in report["diagnostics"]} == {"arts/a.md"}
    assert any(n.get("path") == "arts/zero.md" for n in report["notices"])


@posix_only
def test_a_fifo_in_a_folder_is_skipped_with_a_notice(tree):
    os.mkfifo(tree / "arts" / "p.md")
    done = _run_bounded("--format", "json", "arts", cwd=tree)
    report = json.loads(done.stdout)
    assert {d["path"] for d in report["diagnostics"]} == {"arts/a.md"}
    assert {"kind": "warning", "path": "arts/p.md", "message": "skipped: not a regular file"} in report["notices"]


@posix_only
def test_a_fifo_named_on_the_command_line_is_unreadable_not_a_hang(tree):
    os.mkfifo(tree / "p.md")  # nobody ever writes to it: opening it for reading would block
    done = _run_bounded("--format", "json", "p.md", cwd=tree)
    [diagnostic] = json.loads(done.stdout)["diagnostics"]
    assert diagnostic["rule"] == "unreadable-file" and "not a regular file" in diagnostic["message"]


@pytest.mark.skipif(not os.path.isfile("/proc/self/status"), reason="no /proc")
def test_max_file_size_holds_when_stat_lies(cli, tmp_path, monkeypatch):
    # /proc files report a size of 0 and hold more: the limit applies to what is read.
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".citelint.yaml").write_text("max-file-size: 64\n", encoding="utf-8")
    assert os.stat("/proc/self/status").st_size == 0
    run = cli("--config", ".citelint.yaml", "--format", "json", "/proc/self/status")
    assert run.json()["diagnostics"] == []
    [(path, message)] = _notices(run)
    assert path == "/proc/self/status" and "over the max-file-size of 64" in message


def test_reading_stops_past_the_limit_whatever_stat_says(tmp_path, monkeypatch):
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 10_000)
    real_fstat = os.fstat

    class Lying:
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 0

    monkeypatch.setattr(safeio.os, "fstat", lambda fd: Lying(real_fstat(fd)))
    with pytest.raises(safeio.TooLarge) as raised:
        safeio.read_regular(big, 100)
    assert raised.value.size == 101  # limit + 1 bytes read, not the whole file
    assert safeio.read_regular(big, 10_000) == b"x" * 10_000


def test_stdin_over_max_file_size_is_not_read_whole(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".citelint.yaml").write_text("max-file-size: 100\n", encoding="utf-8")
    run = cli("--format", "json", "-", stdin=FIGURE.encode() * 50)
    assert run.status == 0 and run.json()["diagnostics"] == []
    [(path, message)] = _notices(run)
    assert path == "-" and "over the max-file-size of 100" in message
    assert cli("--format", "json", "-", stdin=FIGURE.encode()).json()["diagnostics"]


def test_stdin_is_read_to_max_file_size_plus_one_byte():
    class Endless(io.RawIOBase):
        def __init__(self) -> None:
            self.given = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            buffer[:] = b"a" * len(buffer)
            self.given += len(buffer)
            return len(buffer)

    raw = Endless()
    with pytest.raises(safeio.TooLarge):
        safeio.read_stream(io.BufferedReader(raw, buffer_size=64), 1000)
    assert raw.given < 2000


# -- 3. the overwrite guard compares files, not names -------------------------------------------


def test_output_file_hard_linked_to_an_article_is_refused(cli, tree):
    os.link(tree / "arts" / "a.md", tree / "out.txt")
    run = cli("arts", "-o", "out.txt")
    assert run.status == 2 and "one of the files being linted" in run.err
    assert (tree / "arts" / "a.md").read_text(encoding="utf-8") == FIGURE


@posix_only
def test_output_file_symlinked_to_an_article_is_refused(cli, tree):
    (tree / "out.txt").symlink_to(tree / "arts" / "a.md")
    run = cli("arts", "-o", "out.txt")
    assert run.status == 2 and "one of the files being linted" in run.err
    assert (tree / "arts" / "a.md").read_text(encoding="utf-8") == FIGURE


def test_output_file_that_is_the_baseline_being_read_is_refused(cli, tree):
    assert cli("--write-baseline", "b.json", "arts").status == 0
    before = (tree / "b.json").read_bytes()
    run = cli("--baseline", "b.json", "-o", "b.json", "arts")
    assert run.status == 2 and "the baseline being read" in run.err
    assert (tree / "b.json").read_bytes() == before
    run = cli("--baseline", "b.json", "-o", "./b.json", "-", stdin=FIGURE.encode())
    assert run.status == 2 and (tree / "b.json").read_bytes() == before


@pytest.mark.parametrize("option", ["--write-baseline", "-o"])
def test_writing_over_the_configuration_file_is_refused(cli, tree, option):
    config = tree / ".citelint.yaml"
    config.write_text("fail-level: warning\n", encoding="utf-8")
    run = cli(option, ".citelint.yaml", "arts")
    assert run.status == 2 and "a configuration file in use" in run.err
    assert config.read_text(encoding="utf-8") == "fail-level: warning\n"


def test_writing_over_an_explicit_configuration_file_is_refused(cli, tree):
    (tree / "conf.yaml").write_text("fail-level: warning\n", encoding="utf-8")
    os.link(tree / "conf.yaml", tree / "alias.yaml")
    run = cli("--config", "conf.yaml", "--write-baseline", "alias.yaml", "arts")
    assert run.status == 2 and "configuration file" in run.err
    assert (tree / "conf.yaml").read_text(encoding="utf-8") == "fail-level: warning\n"


def test_report_and_baseline_in_one_file_is_refused(cli, tree):
    run = cli("--write-baseline", "same.json", "-o", "same.json", "arts")
    assert run.status == 2 and not (tree / "same.json").exists()


def test_renewing_the_baseline_in_place_is_still_allowed(cli, tree):
    assert cli("--write-baseline", "b.json", "arts").status == 0
    assert cli("--baseline", "b.json", "--write-baseline", "b.json", "arts").status == 0


# -- 4. reports and baselines are replaced whole, or not at all ---------------------------------


def _fail_midway(monkeypatch) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safeio.os, "fsync", full_disk)


def test_a_failed_report_write_keeps_the_previous_report(cli, tree, monkeypatch):
    report = tree / "report.json"
    report.write_text("previous report\n", encoding="utf-8")
    _fail_midway(monkeypatch)
    run = cli("--format", "json", "-o", "report.json", "arts")
    assert run.status == 2 and "cannot write" in run.err and "No space left" in run.err
    assert report.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tree.iterdir()) == ["arts", "elsewhere", "report.json"]


def test_a_failed_baseline_write_keeps_the_previous_baseline(cli, tree, monkeypatch):
    assert cli("--write-baseline", "b.json", "arts").status == 0
    before = (tree / "b.json").read_bytes()
    (tree / "arts" / "c.md").write_text(FIGURE.replace("40%", "41%"), encoding="utf-8")
    _fail_midway(monkeypatch)
    run = cli("--write-baseline", "b.json", "arts")
    assert run.status == 2 and "cannot write the baseline" in run.err
    assert (tree / "b.json").read_bytes() == before
    assert sorted(p.name for p in tree.iterdir()) == ["arts", "b.json", "elsewhere"]


@posix_only
def test_writes_replace_the_file_keep_its_mode_and_follow_a_symlinked_output(cli, tree):
    (tree / "reports").mkdir()
    real = tree / "reports" / "latest.json"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    (tree / "latest.json").symlink_to(real)
    run = cli("--format", "json", "-o", "latest.json", "arts")
    assert run.status == 1
    assert (tree / "latest.json").is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["diagnostics"]
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (tree / "reports").iterdir()) == ["latest.json"]


def test_a_temporary_file_is_new_private_and_never_one_already_there(tmp_path, monkeypatch):
    names = iter([0, 0, 1])
    monkeypatch.setattr(safeio.os, "urandom", lambda size: bytes([next(names)]) * size)
    first_fd, first = safeio.new_temporary(tmp_path, ".story.md.")
    second_fd, second = safeio.new_temporary(tmp_path, ".story.md.")  # the first name is taken: another is drawn
    os.close(first_fd)
    os.close(second_fd)
    assert first != second and first == str(tmp_path / ".story.md.00000000.tmp")
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(second).st_mode) == 0o600
        # a symbolic link at the next name drawn is never followed: that name is passed over
        (tmp_path / ".story.md.02020202.tmp").symlink_to(tmp_path / "elsewhere")
        names = iter([2, 3])
        third_fd, third = safeio.new_temporary(tmp_path, ".story.md.")
        os.close(third_fd)
        assert third.endswith(".03030303.tmp") and not (tmp_path / "elsewhere").exists()
