"""Tests of the actor knowledge base API and the actor matcher (tokenizer only)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from eventlens.errors import ResolutionError
from eventlens.resolve.actors import ActorKB, ActorMatcher


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def matcher(kb, nlp) -> ActorMatcher:
    return ActorMatcher(kb, nlp)


def found(matcher, nlp, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.actor.id) for m in matcher(nlp(text))]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "actors.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- ActorKB ------------------------------------------------------------------------------------


def test_actor_kb_len_and_iter_agree(kb):
    actors = list(kb)
    assert len(kb) == len(actors) >= 300
    assert len({a.id for a in actors}) == len(actors)


@pytest.mark.parametrize(
    "name", ["ISIS-K", "ISKP", "ISIS-Khorasan", "Islamic State Khorasan Province", "isis k",
             "IS-KP", "Islamic State – Khorasan Province"],
)
def test_actor_kb_by_name_iskp_spellings_resolve_to_one_actor(kb, name):
    assert kb.by_name(name).id == "iskp"


def test_actor_kb_ancestors_of_iskp_include_isis(kb):
    assert [a.id for a in kb.ancestors("iskp")] == ["isis"]
    assert kb.ancestors("isis") == []
    assert kb.ancestors("no-such-actor") == []


def test_actor_kb_by_name_csto_long_forms(kb):
    csto = kb.by_name("CSTO")
    assert csto.kind == "igo"
    assert kb.by_name("Collective Security Treaty Organization") == csto
    assert kb.by_name("collective security treaty organisation") == csto


def test_actor_kb_by_name_ignores_case_dots_hyphens_and_spaces(kb):
    us = kb.by_name("United States")
    assert kb.by_name("U.S.") == kb.by_name("US") == kb.by_name("u.s.") == us
    assert kb.by_name("Khalil ur Rahman Haqqani") == kb.by_name("Khalil-ur-Rahman Haqqani")
    assert kb.by_name("Turkiye").id == "state-tr"


def test_actor_kb_by_name_ambiguous_key_needs_exact_case(kb):
    assert kb.by_name("JeM").id == "jem"
    assert kb.by_name("JEM").id == "jem-sudan"
    assert kb.by_name("jem") is None


def test_actor_kb_by_name_unknown_returns_none(kb):
    assert kb.by_name("Completely Unknown Front") is None
    assert kb.by_name("IS") is None


def test_actor_kb_descendants_collects_grandchildren(kb):
    below_isis = {a.id for a in kb.descendants("isis")}
    assert {"iskp", "iswap", "iscap", "adf"} <= below_isis
    assert "isis" not in below_isis
    assert kb.descendants("khalil-haqqani") == []


def test_actor_kb_state_for_country_tr_has_turkiye(kb):
    turkey = kb.state_for_country("tr")
    assert turkey.id == "state-tr" and turkey.name == "Turkey"
    assert "Türkiye" in turkey.aliases
    assert kb.state_for_country("ZZ") is None


def test_actor_kb_national_prefers_conventional_ids(kb):
    assert kb.national("PK", "military").id == "mil-pk"
    assert kb.national("IQ", "government").id == "gov-iq"
    assert kb.national("AF", "igo") is None


def test_actor_kb_generic_terms_singular_and_plural(kb):
    assert kb.generic("gunmen") == kb.generic("Gunman") == kb.get("generic:armed-group")
    assert kb.generic("police  officers").kind == "police"
    assert kb.generic("soldier").kind == kb.generic("soldiers").kind == "military"
    assert kb.generic("tables") is None


def test_actor_kb_load_duplicate_id_raises_with_id(tmp_path):
    path = write(
        tmp_path, "- {id: dup-x, name: A, kind: group}\n- {id: dup-x, name: B, kind: group}\n"
    )
    with pytest.raises(ResolutionError, match="dup-x"):
        ActorKB.load(path)


def test_actor_kb_load_missing_parent_raises_with_id(tmp_path):
    path = write(tmp_path, "- {id: orphan-y, name: A, kind: group, parent: ghost-z}\n")
    with pytest.raises(ResolutionError, match="orphan-y.*ghost-z"):
        ActorKB.load(path)


def test_actor_kb_load_invalid_kind_raises_with_id(tmp_path):
    path = write(tmp_path, "- {id: odd-k, name: A, kind: faction}\n")
    with pytest.raises(ResolutionError, match="odd-k"):
        ActorKB.load(path)


def test_actor_kb_load_unquoted_norway_code_raises(tmp_path):
    path = write(tmp_path, "- {id: state-no, name: Norway, kind: state, country: NO}\n")
    with pytest.raises(ResolutionError, match="state-no"):
        ActorKB.load(path)


def test_actor_kb_load_parent_cycle_raises(tmp_path):
    path = write(
        tmp_path,
        "- {id: loop-a, name: A, kind: group, parent: loop-b}\n"
        "- {id: loop-b, name: B, kind: group, parent: loop-a}\n",
    )
    with pytest.raises(ResolutionError, match="loop-"):
        ActorKB.load(path)


def test_actor_kb_load_broken_yaml_and_missing_file_raise(tmp_path):
    with pytest.raises(ResolutionError, match="actors.yaml"):
        ActorKB.load(write(tmp_path, "- {id: [unclosed\n"))
    with pytest.raises(ResolutionError, match="missing.yaml"):
        ActorKB.load(tmp_path / "missing.yaml")


def test_actor_kb_load_custom_file(tmp_path):
    path = write(tmp_path, "- {id: grp-1, name: Test Front, kind: group, aliases: [TF]}\n")
    custom = ActorKB.load(path)
    assert len(custom) == 1
    assert custom.by_name("T.F.").id == "grp-1"


# --- ActorMatcher -------------------------------------------------------------------------------


def test_actor_matcher_us_pronoun_not_matched(matcher, nlp):
    assert found(matcher, nlp, "Let us hope they tell us. Us too.") == []


def test_actor_matcher_us_acronym_matched(matcher, nlp):
    assert found(matcher, nlp, "The US and the U.S.A. disagreed.") == [
        ("US", "state-us"), ("U.S.A.", "state-us")
    ]


def test_actor_matcher_afghan_forces_is_generic_military_af(matcher, nlp):
    [mention] = matcher(nlp("Afghan forces repelled the attack."))
    assert mention.text == "Afghan forces" and mention.generic
    assert mention.actor.kind == "military" and mention.actor.country == "AF"
    assert mention.actor.id == "generic:military"


def test_actor_matcher_demonym_covers_multiword_generic(matcher, nlp):
    mentions = matcher(nlp("Turkish policeman and Nigerian security forces were hurt."))
    assert [(m.text, m.actor.kind, m.actor.country) for m in mentions] == [
        ("Turkish policeman", "police", "TR"), ("Nigerian security forces", "military", "NG")
    ]


def test_actor_matcher_possessive_straight_and_curly(matcher, nlp):
    assert found(matcher, nlp, "The Taliban's leader and ISIS-K’s cell.") == [
        ("Taliban", "taliban"), ("ISIS-K", "iskp")
    ]


def test_actor_matcher_hyphenated_names_match(matcher, nlp):
    text = "Khalil-ur-Rahman Haqqani met IS-KP and Daesh-Khorasan envoys."
    assert found(matcher, nlp, text) == [
        ("Khalil-ur-Rahman Haqqani", "khalil-haqqani"), ("IS-KP", "iskp"),
        ("Daesh-Khorasan", "iskp"),
    ]


def test_actor_matcher_longest_match_wins(matcher, nlp):
    assert found(matcher, nlp, "Islamic State Khorasan Province claimed it.") == [
        ("Islamic State Khorasan Province", "iskp")
    ]
    assert found(matcher, nlp, "Pakistani Taliban attacked.") == [("Pakistani Taliban", "ttp")]


def test_actor_matcher_csto_forms(matcher, nlp):
    mentions = matcher(nlp("The Collective Security Treaty Organization (CSTO) met."))
    assert [m.actor.id for m in mentions] == ["csto", "csto"]


def test_actor_matcher_surname_coreference(matcher, nlp):
    text = "Khalil Haqqani was killed in Kabul. Haqqani's death shocked officials."
    mentions = matcher(nlp(text))
    assert [(m.text, m.actor.id) for m in mentions if m.actor.kind == "person"] == [
        ("Khalil Haqqani", "khalil-haqqani"), ("Haqqani", "khalil-haqqani")
    ]


def test_actor_matcher_surname_follows_most_recent_person(matcher, nlp):
    text = ("Haqqani spoke first. Sirajuddin Haqqani arrived. Haqqani left. "
            "Khalil Haqqani stayed. Haqqani prayed.")
    persons = [(m.text, m.actor.id) for m in matcher(nlp(text)) if m.actor.kind == "person"]
    assert persons == [
        ("Sirajuddin Haqqani", "sirajuddin-haqqani"), ("Haqqani", "sirajuddin-haqqani"),
        ("Khalil Haqqani", "khalil-haqqani"), ("Haqqani", "khalil-haqqani"),
    ]


def test_actor_matcher_surname_with_particle(matcher, nlp):
    text = "Abu Bakr al-Baghdadi hid. Later al-Baghdadi and Baghdadi were named."
    ids = [(m.text, m.actor.id) for m in matcher(nlp(text))]
    assert ids[1:] == [
        ("al-Baghdadi", "abu-bakr-al-baghdadi"), ("Baghdadi", "abu-bakr-al-baghdadi")
    ]


def test_actor_matcher_country_name_modifier_prefers_kb_military(matcher, nlp):
    mentions = matcher(nlp("Pakistan army troops and US troops and Chad police arrived."))
    assert [(m.text, m.actor.id, m.generic) for m in mentions] == [
        ("Pakistan army troops", "mil-pk", False), ("US troops", "mil-us", False),
        ("Chad police", "generic:police", True),
    ]
    assert mentions[2].actor.country == "TD"


def test_actor_matcher_named_actor_absorbs_generic_term(matcher, nlp):
    assert found(matcher, nlp, "Taliban fighters and Houthi rebels and UN peacekeepers.") == [
        ("Taliban fighters", "taliban"), ("Houthi rebels", "houthis"), ("UN peacekeepers", "un")
    ]


def test_actor_matcher_generic_actors_flagged(matcher, nlp):
    mentions = matcher(nlp("Unidentified gunmen shot a policeman and two villagers."))
    assert [(m.text, m.actor.id, m.generic) for m in mentions] == [
        ("Unidentified gunmen", "generic:armed-group", True),
        ("policeman", "generic:police", True),
        ("villagers", "generic:civilians", True),
    ]


def test_actor_matcher_not_actor_phrases_block_names(matcher, nlp):
    assert found(matcher, nlp, "Oil from the Niger Delta reached Northern Ireland.") == []


def test_actor_matcher_lowercase_common_words_ignored(matcher, nlp):
    assert found(matcher, nlp, "They ate turkey and fine china.") == []
    assert found(matcher, nlp, "TURKEY BLAMES PKK") == [("TURKEY", "state-tr"), ("PKK", "pkk")]


def test_actor_matcher_offsets_match_text(matcher, nlp):
    text = "On Monday, al-Shabaab militants attacked ATMIS troops near Mogadishu."
    mentions = matcher(nlp(text))
    assert [m.actor.id for m in mentions] == ["al-shabaab", "atmis"]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_actor_matcher_mentions_sorted_and_disjoint(matcher, nlp):
    text = "Hamas gunmen, IDF soldiers, the ICC and Iranian officials and Israeli forces clashed."
    mentions = matcher(nlp(text))
    assert len(mentions) == 5
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))


def test_actor_matcher_custom_demonyms_and_tokenizer(kb, nlp):
    custom = ActorMatcher(kb, nlp.tokenizer, demonyms={"ruritanian": "RU"})
    [mention] = custom(nlp("Ruritanian troops advanced."))
    assert mention.actor.country == "RU" and mention.actor.kind == "military"
    assert custom(nlp("Afghan troops advanced."))[0].actor.country is None


def test_actor_matcher_empty_doc(matcher, nlp):
    assert matcher(nlp("")) == []


# --- ambiguous acronyms -------------------------------------------------------------------------


def _countries(matcher, nlp, text: str) -> list[tuple[str, str, str | None]]:
    return [(m.text, m.actor.id, m.actor.country) for m in matcher(nlp(text))]


def test_ambiguous_acronym_has_no_country_without_support(matcher, nlp):
    assert _countries(matcher, nlp, "NAF jets bombed a camp on Monday.") == [
        ("NAF", "mil-ng", None)]


def test_ambiguous_acronym_keeps_its_country_when_the_text_names_it(matcher, nlp):
    assert ("NAF", "mil-ng", "NG") in _countries(
        matcher, nlp, "NAF jets bombed a camp in Borno, Nigeria, on Monday.")
    assert ("NAF", "mil-ng", "NG") in _countries(
        matcher, nlp, "Nigerian officials said NAF jets bombed a camp.")


def test_unsupported_ambiguous_acronym_only_qualifies_a_generic_term(matcher, nlp):
    assert _countries(matcher, nlp, "The NAF rebel forces fired mortars near Donetsk.") == [
        ("NAF rebel forces", "generic:rebels", None)]


def test_ambiguous_acronyms_are_read_from_the_generic_file(kb):
    assert {"NAF", "SNA"} <= kb.ambiguous


def test_is_in_capitals_is_the_islamic_state(matcher, nlp):
    assert found(matcher, nlp, "IS militants attacked a checkpoint.") == [
        ("IS militants", "isis")]
    assert found(matcher, nlp, "The checkpoint is near the town.") == []


def test_a_governments_forces_are_its_countrys_military(matcher, nlp):
    assert found(matcher, nlp, "GNA forces shelled the airport.") == [("GNA forces", "mil-ly")]


def test_forces_of_a_state_are_its_military(matcher, nlp):
    assert found(matcher, nlp, "Military forces of Armenia fired on the positions.") == [
        ("Military forces of Armenia", "mil-am")]
    assert found(matcher, nlp, "The police of Kenya arrested him.")[0][1] == "pol-ke"


def test_actor_matcher_currency_country_is_no_actor(matcher, nlp):
    assert found(matcher, nlp, "Protests against the high US dollar exchange rate.") == []
    assert found(matcher, nlp, "US forces withdrew.") != []


def test_actor_kb_areas_must_be_subdivisions_of_one_country(tmp_path):
    path = write(tmp_path,
                 "- {id: x, name: X, kind: group, country: NG, areas: [NG-BO, CM-EN]}\n")
    with pytest.raises(ResolutionError, match="ISO 3166-2 codes of one country"):
        ActorKB.load(path)
    path = write(tmp_path, "- {id: x, name: X, kind: group, country: NG, areas: [Borno]}\n")
    with pytest.raises(ResolutionError, match="ISO 3166-2 codes of one country"):
        ActorKB.load(path)
    path = write(tmp_path, "- {id: x, name: X, kind: group, country: NG, areas: [NG-BO]}\n")
    actor = ActorKB.load(path).get("x")
    assert actor.areas == ("NG-BO",) and actor.operating_country == "NG"
    # A force that intervenes abroad acts in the country of its areas.
    path = write(tmp_path, "- {id: x, name: X, kind: military, country: SA, areas: [YE-JA]}\n")
    assert ActorKB.load(path).get("x").operating_country == "YE"


def test_actor_kb_knows_militias_of_burundi_syria_and_yemen(matcher, nlp):
    assert found(matcher, nlp, "Imbonerakure beat up a man.")[0] == ("Imbonerakure",
                                                                     "imbonerakure")
    assert ("Sharqiya Army", "jaysh-al-sharqiya") in found(
        matcher, nlp, "A member of Sharqiya Army shot a man.")
    assert found(matcher, nlp, "Security Belt forces deployed.")[0][1] == "security-belt"


def test_actor_kb_knows_rural_armed_groups_of_iraq_and_madagascar(matcher, nlp):
    assert ("dahalo", "dahalo") in found(matcher, nlp, "Armed dahalo clashed with fokonolona.")
    assert ("fokonolona", "fokonolona") in found(matcher, nlp,
                                                 "Armed dahalo clashed with fokonolona.")
    assert ("TMF", "tribal-mobilization-forces") in found(
        matcher, nlp, "IS attacked a TMF checkpoint.")
