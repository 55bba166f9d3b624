"""Tests for eventlens.extract.numbers: number phrases and casualty/arrest counts."""

from __future__ import annotations

import time

import pytest

from eventlens.extract.numbers import Counts, find_counts, parse_count


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1,200", 1200),
        ("12", 12),
        ("seven", 7),
        ("Twenty-one", 21),
        ("a hundred", 100),
        ("two hundred", 200),
        ("two hundred and five", 205),
        ("1.5 million", 1_500_000),
        ("a", 1),
        ("one", 1),
        ("a couple of", 2),
        ("a few", 2),
        ("several", 2),
        ("a dozen", 12),
        ("dozens", 24),
        ("scores", 40),
        ("hundreds", 200),
        ("thousands", 2000),
        ("tens of thousands", 20000),
        ("five to seven", 5),
        ("5-7", 5),
        ("between 5 and 7", 5),
        ("5 or 6", 5),
        ("at least 12 people", 12),
        ("more than 20", 21),
        ("over 20", 21),
        ("about 30", 30),
        ("nearly 30", 30),
        ("an estimated 2,000", 2000),
        ("no one", 0),
        ("none", 0),
        ("no", 0),
        ("up to 30", None),
        ("fewer than 10", None),
        ("some", None),
        ("many", None),
        ("the", None),
        ("", None),
    ],
)
def test_parse_count_lowest_supported_figure(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    "sentence,killed,injured,arrested",
    [
        ("At least 12 people were killed in the blast.", 12, None, None),
        ("The bombing killed 12 civilians and wounded 30 others.", 12, 30, None),
        ("Five people were killed and 12 injured in the attack.", 5, 12, None),
        ("Five killed, 12 injured in Kabul blast", 5, 12, None),
        ("The attack left 5 dead and 12 injured.", 5, 12, None),
        ("The death toll rose to 30 on Tuesday.", 30, None, None),
        ("The death toll from the attack has risen to 45.", 45, None, None),
        ("Officials reported 15 fatalities.", 15, None, None),
        ("Seven soldiers were shot dead at a checkpoint.", 7, None, None),
        ("Nearly 30 people died.", 30, None, None),
        ("Twenty-one soldiers were killed.", 21, None, None),
        ("Ten people died and dozens were wounded.", 10, 24, None),
        ("Gunmen opened fire, wounding three passers-by.", None, 3, None),
        ("Between 5 and 7 people were wounded.", None, 5, None),
        ("Police arrested 12 suspects.", None, None, 12),
        ("Three men were arrested after the raid.", None, None, 3),
        ("Police announced the arrest of three men.", None, None, 3),
        ("Security forces detained more than 200 people.", None, None, 201),
        ("Police said 40 people have been arrested so far.", None, None, 40),
        ("Police detained 20 protesters and injured 5.", None, 5, 20),
        ("A man was arrested in connection with the attack.", None, None, 1),
        ("Haqqani was killed in a drone strike.", 1, None, None),
        ("A policeman died of his wounds.", 1, None, None),
        ("A 25-year-old man was killed.", 1, None, None),
        ("Two policemen and a civilian were killed.", 3, None, None),
        ("Two soldiers, three policemen, a civilian and four children were killed.", 10, None, None),
        ("Twelve people, including five children, were killed.", 12, None, None),
        ("The blast killed 12 people, including five children.", 12, None, None),
        ("A suicide bomber killed 3 people and 5 were injured.", 3, 5, None),
        ("A bomb killed dozens of people.", 24, None, None),
        ("Two gunmen killed a policeman.", 1, None, None),
        ("On 9 May, 12 people were killed.", 12, None, None),
        ("On 9 May, 5 soldiers and a civilian were killed.", 6, None, None),
        ("No one was hurt in the explosion.", 0, 0, None),
        ("There were no casualties.", 0, 0, None),
        ("The army reported no fatalities.", 0, None, None),
        ("No arrests have been made.", None, None, 0),
        ("One person was killed but no one else was injured.", 1, 0, None),
    ],
)
def test_find_counts_sentences(sentence, killed, injured, arrested):
    counts = find_counts(sentence)
    assert (counts.killed, counts.injured, counts.arrested) == (killed, injured, arrested)


@pytest.mark.parametrize(
    "sentence",
    [
        "The suspect's car was seen 2 days later.",
        "The rally was held in Kabul.",
        "The town was captured by rebels.",
        "The 56-minute video was released at the 40th meeting.",
        "Taliban fighters attacked a checkpoint in Kandahar.",
        "Up to 30 people may have been killed.",
        "An estimated 2,000 people were displaced.",
        "Many people were killed.",
    ],
)
def test_find_counts_no_figure_is_none(sentence):
    assert find_counts(sentence) == Counts()


def test_find_counts_time_units_are_not_counts():
    counts = find_counts("The suspect was arrested 2 days later.")
    assert counts.arrested == 1


def test_find_counts_matches_carry_offsets():
    sentence = "The blast killed 12 people."
    counts = find_counts(sentence)
    assert [(m.kind, m.value) for m in counts.matches] == [("killed", 12)]
    match = counts.matches[0]
    assert sentence[match.start : match.end] == "killed 12"


def test_find_counts_is_fast_on_long_input():
    start = time.perf_counter()
    counts = find_counts("5 people, " * 300 + "5 people were killed")
    assert counts.killed == 5
    assert time.perf_counter() - start < 1.0


def test_find_counts_others_add_to_first_victim():
    counts = find_counts("A bomber struck, killing a minister, Khalil Haqqani, and five others.")
    assert counts.killed == 6


def test_find_counts_age_appositive_is_not_a_count():
    assert find_counts("Ahmad Shah, 45, was detained at 10 a.m.").arrested == 1
