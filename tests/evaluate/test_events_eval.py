"""Tests of the event evaluation: corpus readers and scoring (fixtures of our own)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from eventlens.errors import IngestError
from eventlens.evaluate.event_formats import (acled_actor, detect_format, load_cameo_map,
                                              parse_cameo_map, read_cases, to_iso2)
from eventlens.evaluate.events import (actor_matches, gazetteer_admin_key, match_event, run_eval,
                                       score_events)
from eventlens.models import AcledCategory, ActorRef, Event, EventDate, Evidence, Location

FIXTURES = Path(__file__).parent.parent / "fixtures" / "eval"
MARCH = dt.date(2021, 3, 1)


def _event(etype: str, *, confidence: float = 0.5, modality: str = "occurred",
           acled: tuple[str, str] | None = None, actors: tuple[ActorRef, ...] = (),
           mode: tuple[str, ...] = (), location: Location | None = None,
           day: dt.date | None = None, killed: int | None = None) -> Event:
    return Event(
        doc_id="d", event_id=f"e-{etype}-{confidence}", type=etype, mode=list(mode),
        modality=modality, actors=list(actors),
        date=EventDate(start=day, end=day, precision="day") if day else EventDate(),
        location=location, killed=killed,
        acled=AcledCategory(event_type=acled[0], sub_event_type=acled[1]) if acled else None,
        evidence=[Evidence(sentence="s", start=0, end=1)], confidence=confidence)


def _actor(role: str, name: str, kind: str = "other", country: str | None = None,
           text: str | None = None) -> ActorRef:
    return ActorRef(role=role, text=text or name, name=name, kind=kind, country=country)


def _place(name: str, country: str, admin1: str, lat: float, lon: float) -> Location:
    return Location(text=name, name=name, country=country, admin1=admin1, lat=lat, lon=lon,
                    precision="city")


# -- readers ---------------------------------------------------------------------------------

def test_detect_format_each_fixture():
    assert detect_format(FIXTURES / "acled_style.csv") == "acled"
    assert detect_format(FIXTURES / "plover_style.json") == "plover"
    assert detect_format(FIXTURES / "petrarch_style.xml") == "petrarch"
    assert detect_format(FIXTURES / "gold.jsonl") == "jsonl"


def test_detect_format_unknown_file_raises_ingest_error(tmp_path):
    path = tmp_path / "notes.dat"
    path.write_text("just some words\n")
    with pytest.raises(IngestError, match="cannot tell the format"):
        detect_format(path)


def test_read_acled_rows_become_cases():
    cases = read_cases(FIXTURES / "acled_style.csv")
    assert [c.document.id for c in cases] == ["NIG1", "KEN2", "DRC3", "IND4"]
    first = cases[0]
    assert first.document.text.startswith("On 3 March 2021, Nigerian soldiers")
    assert first.document.published == dt.date(2021, 3, 3)
    assert (first.acled_event_type, first.acled_sub_event_type) == ("Battles", "Armed clash")
    assert (first.country, first.admin1, first.killed) == ("NG", "Borno", 4)
    assert first.lat == pytest.approx(11.8333) and first.date_end == dt.date(2021, 3, 3)
    assert cases[2].country == "CD"  # ACLED's name, via the alias table


def test_read_acled_limit():
    assert len(read_cases(FIXTURES / "acled_style.csv", limit=2)) == 2


def test_read_acled_missing_columns_raises_ingest_error():
    with pytest.raises(IngestError, match="missing columns"):
        read_cases(FIXTURES / "not_acled.csv")


def test_acled_actor_strips_years_and_reads_class():
    actor = acled_actor("Police Forces of the Democratic Republic of Congo (2019-)")
    assert (actor.kinds, actor.country, actor.names) == (frozenset({"police"}), "CD", ())
    named = acled_actor("NAF: United Armed Forces of Novorossiya")
    assert "NAF" in named.names and not named.kinds
    assert acled_actor("Protesters (Kenya)").names[0] == "Protesters"


def test_to_iso2_names_and_codes():
    assert [to_iso2(n) for n in ("Ivory Coast", "Nigeria", "NGA", "Atlantis")] == [
        "CI", "NG", "NG", None]


def test_read_plover_skips_document_and_untyped_records():
    cases = read_cases(FIXTURES / "plover_style.json")
    assert [c.types for c in cases] == [("AGREE",), ("PROTEST",), ("FIGHT",)]
    assert cases[1].mode == ("demo-org",)
    assert [a.role for a in cases[0].actors] == ["source", "target"]
    army = cases[2].actors[1]
    assert (army.role, army.kinds, army.country) == ("target", frozenset({"military"}), "UA")


def test_read_plover_invalid_json_raises_ingest_error(tmp_path):
    path = tmp_path / "records.json"
    path.write_text('[{"id": "x", "event": "AGREE",')
    with pytest.raises(IngestError, match="not valid JSON"):
        read_cases(path)


def test_read_petrarch_tolerates_ill_formed_xml_and_maps_cameo():
    cases = read_cases(FIXTURES / "petrarch_style.xml")
    assert [c.document.id for c in cases] == ["TEST-01", "TEST-02", "TEST-03"]
    assert cases[0].document.text == "Farmers demonstrated in Paris against the new fuel tax."
    assert cases[0].types == ("PROTEST",)
    # 0431 is not in the table and falls back to its parent 043 (CONSULT).
    assert cases[1].types == ("CONSULT", "ACCUSE")
    assert cases[2].expect_no_event and cases[2].document.published is None


def test_read_petrarch_without_sentences_raises_ingest_error(tmp_path):
    path = tmp_path / "empty.xml"
    path.write_text("<Validation><Sentences></Sentences></Validation>")
    with pytest.raises(IngestError, match="no <Sentence>"):
        read_cases(path)


def test_shipped_cameo_table_matches_plover_format():
    table = load_cameo_map()
    assert table["141"].type == "PROTEST" and table["141"].mode == "demo"
    assert table["190"].type == "ASSAULT"
    parsed = parse_cameo_map("14: PROTEST\n145: PROTEST, riot ,      # Protest violently\n")
    assert (parsed["14"].type, parsed["145"].mode) == ("PROTEST", "riot")


def test_read_gold_jsonl_fields():
    g1, g2, g3 = read_cases(FIXTURES / "gold.jsonl")
    assert g1.types == ("ASSAULT",) and g1.mode == ("explosives",)
    assert (g1.country, g1.lat, g1.killed, g1.has_killed) == ("AF", 34.53, 3, True)
    assert g1.acled_sub_event_type == "Remote explosive/landmine/IED"
    assert g2.modality == "threatened" and not g2.has_killed
    assert g3.has_killed and g3.killed is None


def test_read_gold_jsonl_malformed_line_raises_ingest_error():
    with pytest.raises(IngestError, match=r"broken\.jsonl:1"):
        read_cases(FIXTURES / "broken.jsonl")


# -- matching and scoring --------------------------------------------------------------------

def test_actor_matches_class_label_by_kind_and_country():
    gold = acled_actor("Military Forces of Nigeria (2015-)")
    assert actor_matches(gold, _actor("source", "Security forces", "military", "NG"))
    assert not actor_matches(gold, _actor("source", "Security forces", "military", None))
    assert not actor_matches(gold, _actor("source", "Security forces", "military", "NE"))
    assert not actor_matches(gold, _actor("source", "Forces", "group", "NG", text="forces"))


def test_actor_matches_named_group_word_wise():
    gold = acled_actor("Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad")
    assert actor_matches(gold, _actor("source", "Boko Haram", "group", "NG"))
    assert not actor_matches(gold, _actor("source", "Bok", "group"))


def test_match_event_prefers_type_then_occurred_then_confidence():
    (case,) = read_cases(FIXTURES / "plover_style.json", limit=1)
    wrong_type = _event("CONSULT", confidence=0.99)
    planned = _event("AGREE", confidence=0.9, modality="planned")
    occurred = _event("AGREE", confidence=0.4)
    assert match_event(case, [wrong_type, planned, occurred]) is occurred
    assert match_event(case, []) is None


def _acled_predictions() -> list[list[Event]]:
    nigeria = [
        _event("ASSAULT", confidence=0.6, acled=("Battles", "Armed clash"),
               actors=(_actor("source", "Security forces", "military", "NG"),),
               location=_place("Maiduguri", "NG", "Borno State", 11.85, 13.16),
               day=dt.date(2021, 3, 3), killed=4),
        _event("ASSAULT", confidence=0.9, acled=("Violence against civilians", "Attack")),
    ]
    month = EventDate(start=MARCH, end=dt.date(2021, 3, 31), precision="month")
    kenya = [_event("PROTEST", acled=("Protests", "Peaceful protest"),
                    actors=(_actor("source", "Protesters", text="teachers"),),
                    location=_place("Nairobi", "KE", "Nairobi County", -1.2864, 36.8172))
             .model_copy(update={"date": month})]
    india = [
        _event("ASSAULT", confidence=0.7, acled=("Violence against civilians", "Attack"),
               actors=(_actor("source", "Rioters"),),
               location=_place("Gaya", "IN", "Bihar", 24.79, 85.0),
               day=dt.date(2021, 3, 6), killed=1),
        _event("PROTEST", confidence=0.95, modality="planned"),
    ]
    return [nigeria, kenya, [], india]


def test_score_events_acled_hand_computed():
    cases = read_cases(FIXTURES / "acled_style.csv")
    scores = score_events(cases, _acled_predictions(), seconds=2.0)
    got = {f.name: (f.correct, f.total) for f in scores.fields}
    assert got == {
        "source_actor": (3, 4), "acled_event_type": (2, 4), "acled_sub_event_type": (2, 4),
        "country": (3, 4), "admin1": (3, 4), "location_25km": (2, 4),
        "location_161km": (3, 4), "killed": (2, 4), "killed_nonzero": (1, 2), "date": (2, 4),
    }
    assert (scores.documents, scores.without_events, scores.predicted_events) == (4, 1, 5)
    assert scores.seconds_per_1000 == pytest.approx(500.0)
    assert scores.field("admin1").accuracy == pytest.approx(0.75)


def test_score_events_failure_scores_zero():
    cases = read_cases(FIXTURES / "acled_style.csv", limit=1)
    scores = score_events(cases, [None])
    assert scores.failures == 1
    assert all(f.correct == 0 and f.total == 1 for f in scores.fields if f.name != "killed_nonzero")


def test_score_events_plover_hand_computed():
    cases = read_cases(FIXTURES / "plover_style.json")
    predictions = [
        [_event("AGREE", actors=(_actor("source", "Ruritania", "state"),))],
        [_event("PROTEST", mode=("demo",),
                actors=(_actor("source", "Students", "civilians", "CL",
                               text="Chilean students"),))],
        [_event("ASSAULT", mode=("firearms",),
                actors=(_actor("source", "Rebels", "group"),
                        _actor("target", "Security forces", "military", "UA",
                               text="the troops")))],
    ]
    got = {f.name: (f.correct, f.total) for f in score_events(cases, predictions).fields}
    assert got == {"type": (3, 3), "mode": (1, 2), "source_actor": (3, 3),
                   "target_actor": (1, 2)}


def test_score_events_petrarch_hand_computed():
    cases = read_cases(FIXTURES / "petrarch_style.xml")
    predictions = [[_event("PROTEST")], [_event("DISAPPROVE")], [_event("CONSULT")]]
    scores = score_events(cases, predictions)
    assert {f.name: (f.correct, f.total) for f in scores.fields} == {
        "type": (2, 2), "no_event": (0, 1)}
    assert "no event" in scores.to_table()


def test_score_events_jsonl_hand_computed():
    cases = read_cases(FIXTURES / "gold.jsonl")
    kabul = _place("Kabul", "AF", "Kabul", 34.52, 69.18)
    predictions = [
        [_event("ASSAULT", mode=("explosives",),
                acled=("Explosions/Remote violence", "Remote explosive/landmine/IED"),
                actors=(_actor("target", "Security forces", "military", "AF"),),
                location=kabul, day=dt.date(2021, 3, 2), killed=3)],
        [_event("THREATEN", modality="threatened")],
        [],
    ]
    got = {f.name: (f.correct, f.total) for f in score_events(cases, predictions).fields}
    assert got == {
        "type": (2, 3), "mode": (1, 2), "modality": (2, 2), "target_actor": (1, 1),
        "acled_event_type": (1, 1), "acled_sub_event_type": (1, 1), "country": (1, 1),
        "location_25km": (1, 1), "location_161km": (1, 1), "killed": (1, 2),
        "killed_nonzero": (1, 1), "date": (1, 1),
    }


def test_score_events_length_mismatch_raises():
    cases = read_cases(FIXTURES / "gold.jsonl")
    with pytest.raises(ValueError):
        score_events(cases, [[]])


@pytest.mark.slow
def test_run_eval_real_pipeline_on_acled_fixture(pipeline):
    done: list[int] = []
    scores = run_eval(FIXTURES / "acled_style.csv", pipeline, progress=done.append)
    assert (scores.documents, scores.failures, done[-1]) == (4, 0, 4)
    assert scores.field("acled_event_type").total == 4
    assert scores.seconds > 0
    assert "ACLED event_type" in scores.to_table()


def test_score_events_admin1_by_the_gazetteer_spellings():
    # The fixture's gold provinces are "Borno", "Nairobi", "Bihar"; the predictions spell them
    # "Borno State", "Nairobi County", "Bihar". Rename one prediction to a spelling that only
    # the gazetteer knows is the same province.
    predictions = _acled_predictions()
    gaya = predictions[3][0]
    predictions[3][0] = gaya.model_copy(update={"location": gaya.location.model_copy(
        update={"admin1": "Bihar Pradesh"})})
    cases = read_cases(FIXTURES / "acled_style.csv")
    assert score_events(cases, predictions).field("admin1").correct == 2

    def spellings(country, name):
        return "bihar" if name in ("Bihar", "Bihar Pradesh") else name.split()[0].lower()
    assert score_events(cases, predictions, admin_key=spellings).field("admin1").correct == 3


def test_gazetteer_admin_key_joins_spellings_of_one_province():
    from eventlens.config import load_settings
    from eventlens.resolve.gazetteer import Gazetteer

    key = gazetteer_admin_key(Gazetteer.open(load_settings().data_dir))
    assert key("UA", "Donetsk") == key("UA", "Donetska oblast")
    assert key("SY", "Idleb") == key("SY", "Idlib")
    assert key("UA", "Donetsk") != key("UA", "Luhansk")
    assert key("XX", "Nowhere Province") == "nowhere"
