"""Start-up: what a run on one article loads, and that what comes from the derived-data cache
is what would have been built."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import types

import pytest

from citelint import derived, engine, resources, ruleset
from citelint.analysis import registry
from citelint.config import Config
from tests.conftest import ROOT

ARTICLE = "The council said harbour dues will rise by 12 per cent next year, officials say.\n"

_IMPORTED = """
import sys
from citelint.cli import main
main(["--no-cache", "-q", sys.argv[1]])
print(" ".join(sorted(name for name in ("jsonschema", "httpx", "yaml.constructor", "subprocess", "tempfile", "tomllib",
                                       "difflib", "shutil", "traceback") if name in sys.modules)))
"""


def test_a_run_on_one_article_imports_no_validator_and_no_http_client(tmp_path):
    article = tmp_path / "dues.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".citelint.yaml").write_text("rules:\n  unsourced-figure: error\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", _IMPORTED, str(article)], capture_output=True, text=True, env=env,
                           cwd=tmp_path, check=False) for _ in range(2)]
    assert "jsonschema" in runs[0].stdout.split()  # the first run validates the data and keeps it
    assert "jsonschema" not in runs[1].stdout.split() and "httpx" not in runs[1].stdout.split()
    # nor what only a baseline, a worker pool or a written file needs
    assert "subprocess" not in runs[1].stdout.split() and "tempfile" not in runs[1].stdout.split()
    # nor what only TOML or a misspelt name needs
    assert "tomllib" not in runs[1].stdout.split() and "difflib" not in runs[1].stdout.split()
    # nor what only --help's width or a crash needs
    assert "shutil" not in runs[1].stdout.split() and "traceback" not in runs[1].stdout.split()


@pytest.mark.parametrize("columns", [None, "57", "not-a-number"])
def test_the_help_is_laid_out_as_argparse_lays_it_out(monkeypatch, columns):
    """The command line's own formatter only spares argparse asking shutil for the width."""
    import argparse

    from citelint import cli

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    ours = cli._lint_parser()
    monkeypatch.setattr(cli, "_HelpFormatter", argparse.HelpFormatter)
    assert ours.format_help() == cli._lint_parser().format_help()


@pytest.mark.parametrize("size", [(57, 20), (0, 0)])
def test_the_help_fits_the_terminal_as_argparse_fits_it(monkeypatch, size):
    """On a terminal (stdout is none under pytest): its width, or 80 for one of no size."""
    import argparse

    from citelint import cli

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(cli.os, "get_terminal_size", lambda *fd: os.terminal_size(size))
    ours = cli._lint_parser()
    monkeypatch.setattr(cli, "_HelpFormatter", argparse.HelpFormatter)
    assert ours.format_help() == cli._lint_parser().format_help()
    assert ours.formatter_class is not argparse.HelpFormatter
    assert ours._get_formatter()._width == (size[0] or 80) - 2  # the terminal's, not the pipe's 80


def test_a_run_on_a_plain_text_article_with_no_configuration_never_imports_pyyaml(tmp_path):
    """Rules, lexicons and the registry come from the derived-data cache: YAML is read only for
    a configuration file or front matter."""
    article = tmp_path / "dues.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", _IMPORTED, str(article)], capture_output=True, text=True, env=env,
                           cwd=tmp_path, check=False) for _ in range(2)]
    assert "yaml.constructor" in runs[0].stdout.split()  # the first run reads the data files
    assert "yaml.constructor" not in runs[1].stdout.split(), runs[1].stderr


def test_an_invalid_configuration_is_reported_at_every_run(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dues.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".citelint.yaml").write_text("rules:\n  unsourced-figure: loud\n", encoding="utf-8")
    for _ in range(2):
        run = cli("dues.txt")
        assert run.status == 2 and "unsourced-figure: 'loud' is not valid" in run.err
    (tmp_path / ".citelint.yaml").write_text("rules:\n  unsourced-figure: error\n", encoding="utf-8")
    assert cli("dues.txt").status in (0, 1)


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "citelint" / "derived"


@pytest.mark.parametrize(("pattern", "flags"), [
    (r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>per\s+cent|%)", 0),
    (r"(?i)according\s+to\s+(\w+)", 0),
    (r"^said$|^says$", re.MULTILINE | re.IGNORECASE),
])
def test_a_compiled_regex_from_the_cache_is_the_pattern_re_compiles(tmp_path, cache_home, pattern, flags):
    source = tmp_path / "words.yml"
    source.write_text("said", encoding="utf-8")
    built = [derived.compiled_regex("words-pattern", [source], lambda: pattern, flags) for _ in range(2)]
    assert len(list(cache_home.glob("words-pattern-*.marshal"))) == 1
    expected = re.compile(pattern, flags)
    text = "Officials said 12.5 per cent, according to CPJ.\nsaid\nSays\n"
    for compiled in built:
        assert (compiled.pattern, compiled.flags, compiled.groupindex) == (expected.pattern, expected.flags,
                                                                          expected.groupindex)
        assert [match.groups() for match in compiled.finditer(text)] == [m.groups() for m in expected.finditer(text)]


def test_a_program_this_interpreter_cannot_run_falls_back_to_compiling(tmp_path, cache_home, monkeypatch):
    source = tmp_path / "words.yml"
    source.write_text("said", encoding="utf-8")
    monkeypatch.setattr(derived, "cached", lambda *args, **kwargs: (r"sa(i)d", 0, [1, 2, 3], 0, {}, (None, None)))
    assert derived.compiled_regex("words-pattern", [source], lambda: r"sa(i)d").findall("he said") == ["i"]


def test_re_internals_this_python_lacks_are_a_value_error(monkeypatch):
    """``re._compiler`` is no interface: a Python whose ``re`` lacks what the store reads says so
    as the ValueError its callers fall back on."""
    monkeypatch.setattr(derived, "re", types.SimpleNamespace(_compiler=object(), _parser=object()))
    with pytest.raises(ValueError, match="cannot store compiled patterns"):
        derived._regex_program(r"sa(i)d", 0)


def test_without_a_storable_program_patterns_are_compiled_as_usual(tmp_path, cache_home, monkeypatch):
    def unstorable(pattern, flags):
        raise ValueError("cannot store compiled patterns on this Python")

    monkeypatch.setattr(derived, "_regex_program", unstorable)
    source = tmp_path / "words.yml"
    source.write_text("said", encoding="utf-8")
    assert derived.compiled_regex("words-pattern", [source], lambda: r"sa(i)d").findall("he said") == ["i"]
    re.compile(r"a pattern (\d+) compiled only by this test")
    derived.remember_regexes()  # nothing stored, nothing raised
    assert not list(cache_home.glob("regex-programs-*"))


def test_the_registry_index_and_pattern_from_the_cache_are_those_built_from_the_entries(cache_home, monkeypatch):
    sources = registry._default_sources()
    registry._default_registry.cache_clear()
    try:
        first = registry._default_registry()
        registry._default_registry.cache_clear()
        with monkeypatch.context() as patched:  # the second comes from the cache, not the files
            patched.setattr(registry, "_default_sources", lambda: pytest.fail("the registry was built again"))
            second = registry._default_registry()
    finally:
        registry._default_registry.cache_clear()
    built = registry.Registry([entry for entry, _ in sources], [origin for _, origin in sources])
    assert first._pattern.pattern == second._pattern.pattern == built._pattern.pattern
    assert first.index == second.index == built.index
    assert second.entries == built.entries
    text = "Human Rights Watch and the CPJ told the Guardian (www.cpj.org), according to Reuters."
    assert [(m.text, m.entry, m.via) for m in second.find(text)] == [(m.text, m.entry, m.via) for m in built.find(text)]
    assert second.for_domain("https://www.cpj.org/x") == built.for_domain("cpj.org") is not None
    assert second.lookup("the Guardian") == built.lookup("Guardian") is not None


def test_rules_from_the_cache_are_the_rules_in_the_files(tmp_path, cache_home, monkeypatch):
    rules = tmp_path / "rules"
    shutil.copytree(resources.rules_dir(), rules)
    monkeypatch.setattr(resources, "rules_dir", lambda: rules)
    ruleset.load_rules.cache_clear()
    try:
        cached = [ruleset.load_rules() for _ in range(2) if ruleset.load_rules.cache_clear() is None]
        fresh = sorted((ruleset.load_rule(path) for path in rules.glob("*/*.yml")
                        if path.parent.name not in ruleset.DATA_FOLDERS), key=lambda rule: rule.code)
        for loaded in cached:
            assert [vars(rule) for rule in loaded] == [vars(rule) for rule in fresh]
        edited = sorted(rules.glob("citations/*.yml"))[0]
        edited.write_text(edited.read_text(encoding="utf-8").replace("level:", "level: loud\nx-level:", 1),
                          encoding="utf-8")
        ruleset.load_rules.cache_clear()
        with pytest.raises(ruleset.RuleError, match=edited.name):
            ruleset.load_rules()
    finally:
        ruleset.load_rules.cache_clear()


_STORE_ROUND = """
import re, sys
from citelint import derived
derived.preload_regexes()
pattern = r"(?P<figure>\\d+)\\s+(?:per\\s+cent|percent)\\b"
preloaded = re._cache.get((str, pattern, re.IGNORECASE))
compiled = re.compile(pattern, re.IGNORECASE)
derived.remember_regexes()
print(preloaded is compiled, compiled.findall("Up 12 PER CENT, then 40 percent."), compiled.groupindex["figure"])
"""


def test_patterns_one_run_compiles_come_compiled_to_the_next(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def run() -> str:
        return subprocess.run([sys.executable, "-c", _STORE_ROUND], capture_output=True, text=True, env=env,
                              check=True).stdout.strip()

    assert run() == "False ['12', '40'] 1"
    assert run() == "True ['12', '40'] 1"
    (store,) = (tmp_path / "cache" / "citelint" / "derived").glob("regex-programs-*.marshal")
    store.write_bytes(b"\x00not a store")
    assert run() == "False ['12', '40'] 1"  # ignored, and written again
    assert run() == "True ['12', '40'] 1"


_NEW_PATTERNS = """
import re, sys
from citelint import derived
store = derived.remember_regexes
def counted():
    print(len([p for kind, p, flags in list(re._cache) if kind is str and (p, flags) not in derived._STORED_PROGRAMS]))
    store()
derived.remember_regexes = counted
from citelint.cli import main
main(["--no-cache", "-q", "-o", "/dev/null", sys.argv[1]])
"""


def test_a_run_under_another_hash_seed_compiles_no_pattern_the_last_run_stored(tmp_path):
    """Every pattern is built the same way in every run (no word order from a set's iteration):
    else it is compiled, and the whole store written again, at every start."""
    article = tmp_path / "dues.txt"
    article.write_text(ARTICLE + "Acme said fourth quarter sales rose 2% to $11.1bn from $10.9bn.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def run(seed: str) -> int:
        return int(subprocess.run([sys.executable, "-c", _NEW_PATTERNS, str(article)], capture_output=True, text=True,
                                  env={**env, "PYTHONHASHSEED": seed}, cwd=tmp_path, check=True).stdout.split()[-1])

    run("1")
    assert [run(seed) for seed in ("2", "3", "4")] == [0, 0, 0]


_IMPORT_COMPILES = """
import re, sys
compiled = []
compile_anew = re._compiler.compile
def counted(pattern, flags):
    if hasattr(sys.modules.get("citelint.derived"), "preload_regexes"):  # the store could be loaded
        compiled.append(pattern)
    return compile_anew(pattern, flags)
re._compiler.compile = counted
import citelint.cli
from citelint import derived
stored = {program[1] for program in derived.unframe(derived._programs_path().read_bytes())}
print(len([pattern for pattern in compiled if pattern in stored]))
"""


def test_the_patterns_modules_compile_at_import_come_from_the_store(tmp_path):
    """The store is loaded when the package is first imported, before any module compiles."""
    article = tmp_path / "dues.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "citelint", "-q", "--no-cache", str(article)], env=env, cwd=tmp_path,
                   capture_output=True, check=False)
    run = subprocess.run([sys.executable, "-c", _IMPORT_COMPILES], env=env, cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    assert run.stdout.split()[-1] == "0", run.stderr


def test_a_full_store_keeps_the_patterns_of_the_run_that_writes_it(cache_home, monkeypatch):
    monkeypatch.setattr(derived, "_MAX_STORED_PROGRAMS", 3)
    monkeypatch.setattr(derived, "_STORED_PROGRAMS", {
        (pattern, 0): (0, *derived._regex_program(pattern, 0))
        for pattern in ("stale pattern 1", "stale pattern 2", "a stored pattern this run used")})
    re.compile("a stored pattern this run used")
    re.compile("a pattern this run compiled")
    derived.remember_regexes()
    stored = {program[1] for program in derived.unframe(derived._programs_path().read_bytes())}
    assert {"a stored pattern this run used", "a pattern this run compiled"} <= stored
    assert not any(pattern.startswith("stale") for pattern in stored)


def test_a_default_run_on_a_few_dozen_files_starts_no_pool(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    few, many = engine.DEFAULT_PARALLEL_THRESHOLD - 1, engine.DEFAULT_PARALLEL_THRESHOLD * 4
    assert engine.worker_count(Config(), few) == 1
    assert engine.worker_count(Config(), many) == 2
    assert engine.worker_count(Config(jobs=2), engine.PARALLEL_THRESHOLD) == 2  # asked for: from fewer files


def test_a_configuration_with_keys_of_other_types_is_a_configuration_error(cli, tmp_path, monkeypatch):
    """YAML 1.1 reads a bare "on:" as the key True: a clean error naming it, not a crash while
    the configuration is keyed for the cache."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dues.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".citelint.yaml").write_text("preset: default\non: 1\n", encoding="utf-8")
    run = cli("dues.txt")
    assert run.status == 2 and "internal error" not in run.err and "True" in run.err


_DATACLASS_ROUND = """
import dataclasses, inspect
from citelint import derived
from citelint.document.model import Problem

@dataclasses.dataclass(frozen=True)
class Dues:  # not citelint's own: built as ever
    harbour: str

problem = Problem("front matter unclosed", 4, 9)
try:
    problem.offset = 3
    frozen = "no"
except dataclasses.FrozenInstanceError:
    frozen = "yes"
same = Problem("front matter unclosed", 4, 9, "malformed-input")
print(len(derived._NEW_CODE), repr(problem), problem == same, hash(problem) == hash(same), frozen,
      inspect.signature(Problem), Problem.__init__.__annotations__, Dues("Ashport") == Dues("Ashport"),
      Dues.__init__.__annotations__, any("harbour" in source for source in [*derived._NEW_CODE, *derived._STORED_CODE]))
derived.remember_dataclass_code()
"""


def _dataclass_round(tmp_path, **environment: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("PYTHONNODEBUGRANGES", None)
    env.update(environment)
    run = subprocess.run([sys.executable, "-c", _DATACLASS_ROUND], capture_output=True, text=True, env=env, check=True,
                         timeout=60)
    return run.stdout.strip().split(" ", 1)


def _compiled_anew(tmp_path, **environment: str) -> bool:
    """Whether a run compiled its dataclass methods rather than taking them from the store."""
    return int(_dataclass_round(tmp_path, **environment)[0]) > 0


def test_dataclass_methods_one_run_compiles_come_compiled_to_the_next_and_behave_alike(tmp_path):
    first_compiled, first = _dataclass_round(tmp_path)
    second_compiled, second = _dataclass_round(tmp_path)
    assert int(first_compiled) > 0 and second_compiled == "0"
    assert second == first
    assert first.startswith("Problem(message='front matter unclosed', offset=4, end_offset=9, code='malformed-input') "
                            "True True yes (message: 'str', offset: 'int', end_offset: 'int', code: 'str' = 'malformed-input')")
    # another program's dataclass is built as ever (its annotations the objects, not this module's
    # postponed strings), and is not stored
    assert first.endswith("True {'harbour': <class 'str'>, 'return': None} False")


def test_code_compiled_without_column_positions_is_not_served_to_a_run_with_them(tmp_path):
    assert _compiled_anew(tmp_path, PYTHONNODEBUGRANGES="1")
    assert _compiled_anew(tmp_path)
    assert not _compiled_anew(tmp_path)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners and modes are POSIX's")
def test_the_store_is_read_under_a_umask_that_lets_the_group_write(tmp_path):
    """Systems with a group per user set umask 002: citelint's own folder is made private."""
    previous = os.umask(0o002)
    try:
        assert _compiled_anew(tmp_path)
        assert not _compiled_anew(tmp_path)
    finally:
        os.umask(previous)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners and modes are POSIX's")
def test_a_dataclass_code_store_others_may_write_or_not_written_by_citelint_is_not_read(tmp_path):
    _dataclass_round(tmp_path)
    folder = tmp_path / "cache" / "citelint" / "derived"
    (store,) = folder.glob("dataclass-code-*.marshal")
    for mode in (0o620, 0o602):
        store.chmod(mode)
        assert _compiled_anew(tmp_path)  # not read: every method compiled again
        assert not _compiled_anew(tmp_path)  # the store that run wrote (mode 600) is read
    folder.chmod(0o777)
    assert _compiled_anew(tmp_path)  # a folder anyone may write: not read (and made private again)
    assert not _compiled_anew(tmp_path)
    if os.geteuid() == 0:
        os.chown(store, 12345, -1)
        assert _compiled_anew(tmp_path)  # another user's file
    kept = tmp_path / "kept.marshal"
    shutil.copy(store, kept)
    store.unlink()
    store.symlink_to(kept)
    assert _compiled_anew(tmp_path)  # a link is not followed
    store.unlink()
    os.mkfifo(store)
    assert _compiled_anew(tmp_path)  # a pipe put in its place neither hangs the start nor is read
    store.unlink()
    store.write_bytes(b"\x00not a store")
    assert _compiled_anew(tmp_path)
    assert not _compiled_anew(tmp_path)  # written again


_NO_HOME = """
import os, pathlib, sys
os.environ.pop("XDG_CACHE_HOME", None)
def no_home(cls):
    raise RuntimeError("Could not determine home directory.")
pathlib.Path.home = classmethod(no_home)
from citelint.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_with_no_home_folder_a_run_goes_on_without_the_caches(tmp_path):
    article = tmp_path / "dues.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    version = subprocess.run([sys.executable, "-c", _NO_HOME, "--version"], capture_output=True, text=True, env=env,
                             cwd=tmp_path, check=False)
    assert version.returncode == 0 and "citelint" in version.stdout, version.stderr
    for options in (["--no-cache"], []):
        run = subprocess.run([sys.executable, "-c", _NO_HOME, *options, "dues.txt"], capture_output=True, text=True,
                             env=env, cwd=tmp_path, check=False)
        assert run.returncode == 1 and "vague-attribution" in run.stdout and "error" not in run.stderr, run.stderr
    assert "no home folder to keep the caches in" in run.stderr


def test_every_dataclass_a_run_on_one_article_makes_has_its_own_docstring(tmp_path):
    """``dataclasses`` writes a docstring from ``inspect.signature`` for a class without one, at
    every start: a docstring of our own both says why the class exists and saves that."""
    article = tmp_path / "dues.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    script = (
        "import os, sys, dataclasses\nfrom citelint.cli import main\nmain(['--no-cache', '-q', '-o', os.devnull, sys.argv[1]])\n"
        "print(' '.join(sorted(f'{name}.{attr}' for name, module in list(sys.modules.items())"
        " if name.startswith('citelint') for attr, value in vars(module).items()"
        " if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == name"
        " and (value.__dict__.get('__doc__') or '').startswith(value.__name__ + '('))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", script, str(article)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, check=False)
    assert done.stdout.strip() == "", done.stdout + done.stderr
