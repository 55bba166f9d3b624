"""Tests of the geoparsing evaluation: XML readers and scoring (fixtures of our own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventlens.errors import EventlensError
from eventlens.evaluate.places import haversine_km, read_gold_xml, score_places
from eventlens.models import PlaceMention

FIXTURES = Path(__file__).parent.parent / "fixtures" / "geoparsing"


def _mention(start: int, end: int, text: str, lat: float, lon: float,
             demonym: bool = False) -> PlaceMention:
    return PlaceMention(doc_id="d", start=start, end=end, text=text, name=text, country=None,
                        lat=lat, lon=lon, feature="city", demonym=demonym)


def test_read_lgl_style_keeps_coordinate_less_toponyms():
    (article,) = read_gold_xml(FIXTURES / "lgl_style.xml")
    assert article.doc_id == "a1"
    assert [t.text for t in article.toponyms] == ["Paris", "Lyon", "Main Street"]
    assert article.toponyms[0].lat == pytest.approx(48.85)
    assert article.toponyms[2].lat is None


def test_read_geovirus_style_realigns_one_based_offsets():
    (article,) = read_gold_xml(FIXTURES / "geovirus_style.xml")
    kano, nigeria = article.toponyms
    assert article.text[kano.start:kano.end] == "Kano" and (kano.start, kano.end) == (14, 18)
    assert article.text[nigeria.start:nigeria.end] == "Nigeria"


def test_read_geowebnews_style():
    (article,) = read_gold_xml(FIXTURES / "geowebnews_style.xml")
    dhaka, british = article.toponyms
    assert (dhaka.text, dhaka.lon) == ("Dhaka", pytest.approx(90.41))
    assert british.lat is None


def test_read_malformed_file_raises_eventlens_error(tmp_path):
    with pytest.raises(EventlensError, match="not well-formed"):
        read_gold_xml(FIXTURES / "broken.xml")
    empty = tmp_path / "empty.xml"
    empty.write_text("<articles/>")
    with pytest.raises(EventlensError, match="no <article>"):
        read_gold_xml(empty)
    bad = tmp_path / "bad.xml"
    bad.write_text("<articles><article><text>ab</text><toponyms><toponym><start>x</start>"
                   "<end>2</end><phrase>ab</phrase></toponym></toponyms></article></articles>")
    with pytest.raises(EventlensError, match="article 0"):
        read_gold_xml(bad)


def test_score_places_hand_computed():
    articles = read_gold_xml(FIXTURES / "lgl_style.xml")
    lyon_error = haversine_km(45.75, 4.85, 48.85, 2.35)
    predicted = [[
        _mention(0, 9, "Officials", 0.0, 0.0),          # false positive
        _mention(13, 18, "Paris", 48.85, 2.35),         # right, 0 km
        _mention(23, 27, "Lyon", 48.85, 2.35),          # recognised, wrongly placed
        _mention(37, 41, "Main", 1.0, 1.0),             # only overlaps a toponym without coordinates
        _mention(3, 7, "Afghan", 33.0, 65.0, demonym=True),  # demonyms left out by default
    ]]
    s = score_places(articles, predicted)
    assert (s.gold, s.predicted, s.matched) == (2, 3, 2)
    assert s.precision == pytest.approx(2 / 3) and s.recall == 1.0
    assert s.f1 == pytest.approx(0.8)
    assert s.acc161 == 0.5 and s.acc161_all == 0.5
    assert 380 < lyon_error < 400
    assert s.median_km == pytest.approx(lyon_error / 2)
    with_demonyms = score_places(articles, predicted, include_demonyms=True)
    assert with_demonyms.predicted == 4


def test_score_places_unrecognised_gold_counts_only_in_all_gold_accuracy():
    articles = read_gold_xml(FIXTURES / "lgl_style.xml")
    s = score_places(articles, [[_mention(13, 18, "Paris", 48.9, 2.4)]])
    assert (s.precision, s.recall) == (1.0, 0.5)
    assert s.acc161 == 1.0 and s.acc161_all == 0.5


def test_haversine_known_distance():
    # One degree of latitude is about 111 km.
    assert haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.2, abs=0.2)
