"""benchmarks/audit_bench.py on made-up runs: the efficiency and sizing arithmetic (no corpus, no timing)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import audit_bench  # noqa: E402


def test_scaling_efficiency_and_sizing_come_from_the_measured_runs():
    runs = [audit_bench.Run("Reuters", "local", 1, 1000, 100_000, 10.0, 200 * 1024),
            audit_bench.Run("Reuters", "local", 2, 1000, 100_000, 5.5, 190 * 1024),
            audit_bench.Run("Reuters", "Dask LocalCluster", 1, 1000, 100_000, 12.0, 250 * 1024),
            audit_bench.Run("Reuters", "Dask LocalCluster", 2, 1000, 100_000, 8.0, 240 * 1024)]
    text = audit_bench.report(runs)
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith("| Reuters")]
    assert [row[7] for row in rows] == ["", "0.91", "", "0.75"]
    assert [row[8].strip(" |") for row in rows] == ["200", "190", "250", "240"]
    # 2-worker local: 1000 / 5.5 s = 181.8 articles/s, 90.9 per core; 1M articles = 3.06 core-hours
    assert "| 1,000,000 | Reuters (100 words, 91/s per core) | 3.1 | 1.53 | 0.19 | 0.05 |" in text
