"""Scoring of cross-document merging: pair and B-cubed scores, the lead-event rule, the reader,
and the real pipeline on the merge test set (``tests/fixtures/merge/reports.jsonl``)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eventlens.errors import IngestError
from eventlens.evaluate.merge import (bcubed, lead_event, pair_scores, read_merge_cases,
                                      run_merge_eval)
from eventlens.models import Event, Evidence

REPORTS = Path(__file__).parent.parent / "fixtures" / "merge" / "reports.jsonl"

GOLD = {"a": "fire", "b": "fire", "c": "fire", "d": "flood", "e": "flood"}
PREDICTED = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"}


def test_pair_scores_on_a_known_grouping():
    # Gold pairs: ab ac bc de (4). Predicted pairs: ab (right), cd (wrong).
    s = pair_scores(GOLD, PREDICTED)
    assert (s.tp, s.fp, s.fn) == (1, 1, 3)
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(0.25)
    assert s.f1 == pytest.approx(1 / 3)


def test_pair_scores_of_all_singletons_and_perfect_grouping():
    alone = {d: d for d in GOLD}
    s = pair_scores(GOLD, alone)
    assert (s.tp, s.fp, s.fn, s.precision, s.recall) == (0, 0, 4, 1.0, 0.0)
    assert pair_scores(GOLD, GOLD).f1 == 1.0


def test_pair_scores_need_the_same_documents():
    with pytest.raises(ValueError):
        pair_scores(GOLD, {"a": "x"})


def test_bcubed_on_a_known_grouping():
    # Per document (precision, recall): a, b (1, 2/3); c (1/2, 1/3); d (1/2, 1/2); e (1, 1/2).
    p, r, f = bcubed(GOLD, PREDICTED)
    assert p == pytest.approx((1 + 1 + 0.5 + 0.5 + 1) / 5)
    assert r == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 / 2 + 1 / 2) / 5)
    assert f == pytest.approx(2 * p * r / (p + r))
    assert bcubed(GOLD, GOLD) == (1.0, 1.0, 1.0)


def _event(event_id: str, start: int, modality: str = "occurred",
           confidence: float = 0.5) -> Event:
    return Event(doc_id="d", event_id=event_id, type="ASSAULT", modality=modality,
                 evidence=[Evidence(sentence="s", start=start, end=start + 1)],
                 confidence=confidence)


def test_lead_event_is_the_earliest_then_realised_then_surest():
    background = _event("background", 120, confidence=0.9)
    threat = _event("threat", 0, modality="threatened", confidence=0.9)
    attack = _event("attack", 0, confidence=0.6)
    assert lead_event([background, threat, attack]).event_id == "attack"
    assert lead_event([background]).event_id == "background"
    assert lead_event([]) is None


def test_read_merge_cases_requires_a_gold_incident(tmp_path):
    path = tmp_path / "no_gold.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "Gunmen attacked a post."}) + "\n",
                    encoding="utf-8")
    with pytest.raises(IngestError, match="gold"):
        read_merge_cases(path)


def test_read_merge_cases_keeps_bad_documents_as_failures(tmp_path):
    path = tmp_path / "set.jsonl"
    lines = [{"id": "a", "text": "Gunmen attacked a post.", "gold": {"incident": "x"}},
             {"id": "b", "text": "", "gold": {"incident": "y"}}]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    cases = read_merge_cases(path)
    assert [(c.doc_id, c.incident, c.document is None) for c in cases] == [
        ("a", "x", False), ("b", "y", True)]


def test_merge_test_set_is_well_formed():
    records = [json.loads(line) for line in REPORTS.read_text(encoding="utf-8").splitlines()]
    sizes = Counter(r["gold"]["incident"] for r in records)
    assert 40 <= len(records) <= 60 and 15 <= len(sizes) <= 25
    assert len({r["id"] for r in records}) == len(records)
    assert all(r["published"] and r["source"] and r["title"] for r in records)
    assert sum(n > 1 for n in sizes.values()) >= 15  # most incidents have several reports


@pytest.fixture(scope="module")
def merge_scores(pipeline):
    return run_merge_eval(REPORTS, pipeline)


def test_merge_eval_on_the_test_set(merge_scores):
    s = merge_scores
    assert (s.documents, s.incidents, s.failures) == (48, 21, 0)
    # Floors a little under the README figures: a drop means merging (or extraction) got worse.
    assert s.pairwise.precision >= 0.8
    assert s.pairwise.recall >= 0.35
    assert s.bcubed[0] >= 0.9
    assert "pairwise P / R / F1 (lead event)" in s.to_table()


def test_merge_eval_through_the_store_groups_as_in_memory(pipeline, merge_scores):
    stored = run_merge_eval(REPORTS, pipeline, store=True)
    assert stored.method == "SQLite event store"

    def partition(scores) -> set[frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for doc_id, _, incident in scores.assignment:
            groups.setdefault(incident, set()).add(doc_id)
        return {frozenset(g) for g in groups.values()}

    assert partition(stored) == partition(merge_scores)


def _together(scores, first: str, second: str) -> bool:
    predicted: dict[str, set[str]] = {}
    for _, gold, incident in scores.assignment:
        predicted.setdefault(gold, set()).add(incident)
    return bool(predicted[first] & predicted[second])


def _extraction_gap(reason: str):
    # Known misses of extraction that make the merge rules join two incidents; not strict, so
    # that fixing extraction does not fail this file (the pair then shows as XPASS).
    return pytest.mark.xfail(reason=reason, strict=False)


@pytest.mark.parametrize("first, second", [
    ("mogadishu-restaurant-bombing", "mogadishu-convoy-bombing"),  # same city, a day apart
    ("kirkuk-ambush", "diyala-roadside-bomb"),  # same group, same day, other province
    ("bamako-gendarmerie-attack", "jnim-threat-bamako"),  # the attack and the threat after it
    ("lyon-knife-attack", "lyon-arrests"),  # the attack and the arrests two days later
    ("marib-missile-strike", "hodeidah-airstrikes"),  # same country, same day
    pytest.param("bannu-police-attack", "dikhan-checkpost-attack",  # same group and day, 130 km
                 marks=_extraction_gap("a Dera Ismail Khan report is placed only in Pakistan and "
                                       "its three dead militants read as the toll")),
    pytest.param("kabul-ministry-bombing", "kabul-minibus-bombing",  # same city, a day apart
                 marks=_extraction_gap("the claim report's attack is dated by 'said on "
                                       "Thursday', the day of the minibus bombing")),
])
def test_merge_eval_keeps_hard_negatives_apart(merge_scores, first, second):
    assert not _together(merge_scores, first, second)
