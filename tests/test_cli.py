"""The ``eventlens`` command line, in process with click's CliRunner and a temporary store."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import eventlens
from eventlens import cli as cli_module
from eventlens.cli import cli

CONTRACT_FIELDS = {"doc_id", "event_id", "type", "mode", "modality", "actors", "date",
                   "location", "killed", "injured", "arrested", "claimed_by", "acled", "gtd",
                   "evidence", "confidence"}
ISIS_FAMILY = {"isis", "iskp"}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli") / "events.db"


@pytest.fixture(scope="module")
def runner(db: Path) -> CliRunner:
    return CliRunner(env={"EVENTLENS_DB": str(db)})


@pytest.fixture(scope="module")
def first_ingest(runner: CliRunner, pipeline, examples_jsonl) -> Result:
    # The session's pipeline stands in for the one each command would build (2-3 s each).
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli_module, "_pipeline", lambda settings: pipeline)
        return runner.invoke(cli, ["ingest", str(examples_jsonl)])


@pytest.fixture
def use_session_pipeline(monkeypatch, pipeline) -> None:
    monkeypatch.setattr(cli_module, "_pipeline", lambda settings: pipeline)


def _events(runner: CliRunner, *args: str) -> list[dict]:
    result = runner.invoke(cli, ["events", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_cli_ingest_prints_summary_and_table(first_ingest: Result):
    assert first_ingest.exit_code == 0, first_ingest.output
    assert "2 documents" in first_ingest.stderr and "0 failures" in first_ingest.stderr
    header = first_ingest.stdout.splitlines()[0].split()
    assert header[:3] == ["event_id", "date", "type"]
    assert "ASSAULT" in first_ingest.stdout


def test_cli_ingest_twice_says_nothing_changed(first_ingest: Result, runner: CliRunner,
                                               examples_jsonl, use_session_pipeline):
    before = _events(runner)
    result = runner.invoke(cli, ["ingest", str(examples_jsonl)])
    assert result.exit_code == 0, result.output
    assert "Nothing changed" in result.stderr
    assert "2 unchanged" in result.stderr
    assert _events(runner) == before


def test_cli_events_json_is_contract(first_ingest: Result, runner: CliRunner):
    found = _events(runner)
    assert found
    for ev in found:
        assert set(ev) >= CONTRACT_FIELDS
    assert {ev["doc_id"] for ev in found} == {"000_539a479ea003e1b3", "003_567b487a4ae20170"}


def test_cli_events_csv_has_header_and_one_row_per_event(first_ingest: Result,
                                                         runner: CliRunner):
    result = runner.invoke(cli, ["events", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(_events(runner))
    assert {"event_id", "type", "location"} <= set(rows[0])


def test_cli_events_table_lists_every_event(first_ingest: Result, runner: CliRunner):
    result = runner.invoke(cli, ["events", "--format", "table"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("event_id")
    assert len(lines) == 2 + len(_events(runner))  # header, rule, one line per event


def test_cli_events_filters_by_country(first_ingest: Result, runner: CliRunner):
    everything = _events(runner)
    found = _events(runner, "--country", "af")
    assert found and len(found) < len(everything)
    assert all(ev["location"]["country"] == "AF" for ev in found)


def test_cli_events_filters_by_type(first_ingest: Result, runner: CliRunner):
    found = _events(runner, "--type", "assault")
    assert found
    assert all(ev["type"] == "ASSAULT" for ev in found)


def test_cli_events_actor_includes_child_groups(first_ingest: Result, runner: CliRunner):
    found = _events(runner, "--actor", "ISIS")
    ids = [{a["id"] for a in ev["actors"]} for ev in found]
    assert all(actor_ids & ISIS_FAMILY for actor_ids in ids)
    assert any("iskp" in actor_ids for actor_ids in ids)  # ISIS-K, a child of ISIS
    assert any("isis" in actor_ids for actor_ids in ids)
    only_k = _events(runner, "--actor", "ISIS-K")
    assert only_k and all("iskp" in {a["id"] for a in ev["actors"]} for ev in only_k)


def test_cli_events_without_match_says_so(first_ingest: Result, runner: CliRunner):
    result = runner.invoke(cli, ["events", "--country", "ZZ"])
    assert result.exit_code == 0
    assert "No events match." in result.stdout


def test_cli_show_prints_evidence_sentence(first_ingest: Result, runner: CliRunner):
    ev = _events(runner, "--type", "ASSAULT")[0]
    result = runner.invoke(cli, ["show", ev["event_id"]])
    assert result.exit_code == 0, result.output
    assert ev["event_id"] in result.stdout
    assert ev["evidence"][0]["sentence"] in result.stdout


def test_cli_show_unknown_id_fails_clearly(first_ingest: Result, runner: CliRunner):
    result = runner.invoke(cli, ["show", "ev-does-not-exist"])
    assert result.exit_code != 0
    assert "no event 'ev-does-not-exist' in the store" in result.stderr


def test_cli_extract_writes_contract_jsonl(tmp_path: Path, examples_jsonl,
                                           use_session_pipeline):
    out = tmp_path / "events.jsonl"
    result = CliRunner().invoke(cli, ["extract", "--input", str(examples_jsonl),
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines and all(set(line) >= CONTRACT_FIELDS for line in lines)
    assert result.stdout == ""  # data goes to the file, the summary to stderr
    assert "2 documents" in result.stderr


def test_cli_places_writes_contract_jsonl(tmp_path: Path, examples_jsonl,
                                          use_session_pipeline):
    out = tmp_path / "places.jsonl"
    result = CliRunner().invoke(cli, ["places", "--input", str(examples_jsonl),
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines
    assert all(set(line) == {"doc_id", "start", "end", "text", "name", "country", "admin1",
                             "lat", "lon", "feature", "geonames_id"} for line in lines)


def test_cli_version_prints_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert eventlens.__version__ in result.stdout


def test_cli_ingest_bad_published_is_usage_error(tmp_path: Path, examples_jsonl):
    result = CliRunner(env={"EVENTLENS_DB": str(tmp_path / "x.db")}).invoke(
        cli, ["ingest", "--published", "11/06/2024", str(examples_jsonl)])
    assert result.exit_code == 2
    assert "not an ISO date" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_cli_events_csv_without_match_has_column_header(first_ingest: Result,
                                                        runner: CliRunner):
    result = runner.invoke(cli, ["events", "--format", "csv", "--country", "ZZ"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("event_id,date,type")


def test_cli_ingest_new_document_without_events_is_not_nothing_changed(
        tmp_path: Path, examples_jsonl, use_session_pipeline):
    runner = CliRunner(env={"EVENTLENS_DB": str(tmp_path / "x.db")})
    assert runner.invoke(cli, ["ingest", str(examples_jsonl)]).exit_code == 0
    calm = tmp_path / "calm.txt"
    calm.write_text("The weather in the region was mild and sunny this week.\n",
                    encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(examples_jsonl), str(calm)])
    assert result.exit_code == 0, result.output
    assert "3 documents" in result.stderr
    assert "Nothing changed" not in result.stderr


TWIN_REPORTS = [
    {"id": "twin-1", "published": "2024-03-09", "source": "Frontier Wire",
     "title": "Mosque bombing in Peshawar kills 12",
     "text": "A suicide bomber killed 12 people at a mosque in Peshawar on Friday, police said. "
             "Tehreek-e-Taliban Pakistan claimed responsibility for the attack."},
    {"id": "twin-2", "published": "2024-03-10", "source": "Daily Ledger",
     "title": "Peshawar mosque blast toll rises to 14",
     "text": "The death toll from Friday's suicide bombing at a mosque in Peshawar rose to 14 on "
             "Saturday, hospital officials said. The Pakistani Taliban said its fighters carried "
             "out the bombing."},
]


@pytest.fixture
def twin_runner(tmp_path: Path, use_session_pipeline) -> CliRunner:
    """A store holding two reports of one Peshawar bombing, merged into one incident."""
    docs = tmp_path / "twin.jsonl"
    docs.write_text("".join(json.dumps(d) + "\n" for d in TWIN_REPORTS), encoding="utf-8")
    runner = CliRunner(env={"EVENTLENS_DB": str(tmp_path / "twin.db")})
    result = runner.invoke(cli, ["ingest", str(docs)])
    assert result.exit_code == 0, result.output
    return runner


def test_cli_show_lists_each_source_and_why_it_was_merged(twin_runner: CliRunner):
    [incident] = _events(twin_runner)
    result = twin_runner.invoke(cli, ["show", incident["event_id"]])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "sources   2 document(s)" in out
    assert "Source 1: Mosque bombing in Peshawar kills 12 (Frontier Wire - 2024-03-09)" in out
    assert "Source 2: Peshawar mosque blast toll rises to 14 (Daily Ledger" in out
    assert "founded this incident" in out and "merged (score" in out
    assert "best match: report" in out
    assert "rose to 14 on Saturday" in out  # the second source's evidence sentence


def test_cli_show_accepts_a_report_id(twin_runner: CliRunner):
    [incident] = _events(twin_runner)
    shown = twin_runner.invoke(cli, ["show", incident["event_id"]]).stdout
    report_id = re.search(r"report (ev-[0-9a-f]+) of document twin-2", shown).group(1)
    result = twin_runner.invoke(cli, ["show", report_id])
    assert result.exit_code == 0, result.output
    assert incident["event_id"] in result.stdout


def test_cli_split_detaches_a_document(twin_runner: CliRunner):
    [incident] = _events(twin_runner)
    result = twin_runner.invoke(cli, ["split", incident["event_id"], "--doc", "twin-2"])
    assert result.exit_code == 0, result.output
    assert "Split in-" in result.stderr
    found = _events(twin_runner)
    assert len(found) == 2
    assert {ev["doc_id"] for ev in found} == {"twin-1", "twin-2"}
    new_id = next(ev["event_id"] for ev in found if ev["doc_id"] == "twin-2")
    shown = twin_runner.invoke(cli, ["show", new_id]).stdout
    assert f"split off from {incident['event_id']}" in shown


def test_cli_split_needs_doc_or_report(twin_runner: CliRunner):
    [incident] = _events(twin_runner)
    result = twin_runner.invoke(cli, ["split", incident["event_id"]])
    assert result.exit_code == 2
    assert "--doc DOC_ID or --report" in result.stderr
    bad = twin_runner.invoke(cli, ["split", incident["event_id"], "--doc", "twin-1", "--report",
                                   "ev-nope"])
    assert bad.exit_code == 1 and "ev-nope is not a report" in bad.stderr


def test_cli_events_near_mode_modality_admin1(first_ingest: Result, runner: CliRunner):
    everything = _events(runner)
    kabul = _events(runner, "--near", "34.53,69.17", "--radius", "800")
    assert kabul and len(kabul) < len(everything)
    assert all(ev["location"]["country"] in {"AF", "PK", "TJ", "UZ", "TM", "IR"}
               for ev in kabul)
    suicide = _events(runner, "--mode", "suicide-attack")
    assert suicide and all("suicide-attack" in ev["mode"] for ev in suicide)
    hypothetical = _events(runner, "--modality", "hypothetical")
    assert hypothetical and all(ev["modality"] == "hypothetical" for ev in hypothetical)
    bad = runner.invoke(cli, ["events", "--near", "north"])
    assert bad.exit_code == 2 and "is not LAT,LON" in bad.stderr


def test_cli_trends_counts_per_month_and_group(first_ingest: Result, runner: CliRunner):
    result = runner.invoke(cli, ["trends", "--by", "month", "--group", "country",
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and set(rows[0]) == {"period", "country", "count"}
    expected = sum(1 for ev in _events(runner, "--country", "AF", "--modality", "occurred")
                   if (ev["date"]["start"] or "").startswith("2024-12"))
    assert expected and {"period": "2024-12", "country": "AF", "count": str(expected)} in rows
    weekly = runner.invoke(cli, ["trends", "--by", "week", "--actor", "ISIS", "--modality",
                                 "any", "--format", "json"])
    assert weekly.exit_code == 0, weekly.output
    periods = [json.loads(line)["period"] for line in weekly.stdout.splitlines()]
    assert periods and all("-W" in p for p in periods)


def test_cli_db_current_and_upgrade(tmp_path: Path):
    runner = CliRunner(env={"EVENTLENS_DB": str(tmp_path / "new.db")})
    missing = runner.invoke(cli, ["db", "current"])
    assert missing.exit_code == 1 and "no event store at" in missing.stderr
    upgraded = runner.invoke(cli, ["db", "upgrade"])
    assert upgraded.exit_code == 0 and "upgraded from (empty) to" in upgraded.stdout
    current = runner.invoke(cli, ["db", "current"])
    assert current.exit_code == 0 and "(up to date)" in current.stdout
