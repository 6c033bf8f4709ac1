"""``citelint audit --dask``: the same partitions on a Dask LocalCluster of two workers give the
same bytes as the local pool (the cluster is started by the audit itself, a few seconds)."""

from __future__ import annotations

import pytest

from tests.test_audit import audit, output_bytes, write_jsonl

pytest.importorskip("pyarrow")
pytest.importorskip("distributed")


@pytest.mark.slow
def test_dask_local_cluster_gives_the_local_pools_findings(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 30)
    common = [str(source), "--text-field", "body", "--id-field", "id", "--meta", "outlet,date", "--by", "outlet,month",
              "--partition-size", "4", "-j", "2"]
    audit(cli, *common, "-o", str(tmp_path / "local"))
    run = audit(cli, *common, "-o", str(tmp_path / "dask"), "--dask")
    assert "audited 30 articles in 8 partitions" in run.err
    local, dask = output_bytes(tmp_path / "local"), output_bytes(tmp_path / "dask")
    assert len(local) == 18 and local == dask
    assert (tmp_path / "local" / "manifest.json").read_bytes() == (tmp_path / "dask" / "manifest.json").read_bytes()


@pytest.mark.slow  # the client waits out its connection timeout
def test_an_unreachable_cluster_is_a_clear_error(cli, tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", 2)
    run = cli("audit", str(source), "-o", str(tmp_path / "out"), "--text-field", "body",
              "--cluster", "tcp://127.0.0.1:9")
    assert run.status == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in run.err
    assert "Traceback" not in run.err


@pytest.mark.slow  # Dask restarts the worker each time it dies
def test_a_partition_that_kills_its_dask_workers_is_error_rows_and_the_rest_finish(cli, tmp_path, monkeypatch):
    from citelint.audit import runners
    from tests.test_audit import table
    from tests.test_audit_robustness import _dies_on_partition_one

    source = write_jsonl(tmp_path / "archive.jsonl", 6)
    monkeypatch.setenv("AUDIT_TEST_DIED", str(tmp_path / "died"))
    monkeypatch.setenv("AUDIT_TEST_ALWAYS_DIE", "1")
    monkeypatch.setattr(runners, "audit_partition", _dies_on_partition_one)
    out = tmp_path / "out"
    run = cli("audit", str(source), "-o", str(out), "--text-field", "body", "--id-field", "id", "--partition-size", "2",
              "--dask", "-j", "1")
    assert run.status == 2 and "1 partitions were not read or written whole (part-000001)" in run.err
    articles = table(out, "articles")
    assert articles["status"].to_pylist() == ["ok", "ok", "error", "error", "ok", "ok"]
    assert "Dask workers auditing this partition died" in articles["note"].to_pylist()[2]
