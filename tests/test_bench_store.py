"""A small run of the store benchmark (``bench/store.py``), so the script keeps working."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "store.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("eventlens_bench_store", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_bench_store_generates_realistic_varied_events(bench, settings):
    from eventlens.resolve.actor_kb import ActorKB
    from eventlens.resolve.gazetteer import Gazetteer

    setting = bench.load_setting(ActorKB.load(), Gazetteer.open(Path(settings.data_dir)))
    data = bench.generate(setting, 300, seed=3)
    events = [ev for _, evs in data for ev in evs]
    assert len(events) == 300
    assert len({ev.location.country for ev in events}) >= 15
    assert len({a.id for ev in events for a in ev.actors}) >= 40
    assert len({ev.type for ev in events}) >= 4
    for doc, evs in data:
        for ev in evs:
            assert all(doc.text[e.start:e.end] == e.sentence for e in ev.evidence)
    assert data == bench.generate(setting, 300, seed=3)  # reproducible


def test_bench_store_small_run_reports_rates_and_latencies(bench, tmp_path, capsys):
    args = ["--events", "120", "--queries", "3", "--json", "--sqlite", str(tmp_path / "b.db")]
    pg = os.environ.get("EVENTLENS_TEST_PG_URL")
    if pg:
        args += ["--pg", pg]
    assert bench.main(args) == 0
    report = json.loads(capsys.readouterr().out)
    backends = [r["backend"] for r in report["results"]]
    assert backends == (["SQLite", "PostgreSQL"] if pg else ["SQLite"])
    for result in report["results"]:
        assert result["events"] == 120 and result["events_per_s"] > 0
        assert 0 < result["incidents"] < 120  # follow-up reports were merged
        assert set(result["all_matches"]) == {"country+month", "actor", "radius 50 km"}
        assert all(q["p95_ms"] >= q["p50_ms"] for q in result["first_page"].values())
