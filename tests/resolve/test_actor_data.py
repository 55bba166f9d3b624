"""Checks of the packaged actor data (data/actors.yaml, data/generic_actors.yaml)."""

from __future__ import annotations

import collections

import pycountry
import pytest

from eventlens.resolve.actor_kb import ActorKB, name_key

UN_MEMBERS = (
    "AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH CM "
    "CA CF TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI FR "
    "GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KW KG LA "
    "LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MC MN ME MA MZ MM NA NR NP NL NZ NI "
    "NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA KR MD RO RU RW KN LC VC WS SM ST SA SN RS SC SL "
    "SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TH TL TG TO TT TN TR TM TV UG UA AE GB TZ US UY "
    "UZ VU VE VN YE ZM ZW"
).split()

# Aliases that are truly ambiguous once case is ignored; the matcher tells them apart by case.
AMBIGUOUS_KEYS = {"jem"}  # JeM (Jaish-e-Mohammed) vs JEM (Sudan's Justice and Equality Movement)


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def test_actor_data_has_at_least_300_actors(kb):
    kinds = collections.Counter(a.kind for a in kb)
    assert len(kb) >= 300
    assert kinds["group"] >= 150
    assert kinds["person"] >= 40
    assert kinds["igo"] >= 20


def test_actor_data_aliases_do_not_collide(kb):
    owners: dict[str, set[str]] = collections.defaultdict(set)
    for actor in kb:
        for surface in (actor.name, *actor.aliases):
            owners[name_key(surface)].add(actor.id)
    collisions = {k: v for k, v in owners.items() if len(v) > 1 and k not in AMBIGUOUS_KEYS}
    assert collisions == {}


def test_actor_data_generic_terms_do_not_collide_with_named_actors(kb):
    named = {name_key(s) for a in kb for s in (a.name, *a.aliases)}
    terms = [t for g in kb.generic_actors() for t in g.aliases]
    assert [t for t in terms if name_key(t) in named] == []
    assert len(terms) == len(set(terms))


def test_actor_data_aliases_are_unique_within_an_actor(kb):
    repeated = [a.id for a in kb if len({a.name, *a.aliases}) != len(a.aliases) + 1]
    assert repeated == []


def test_actor_data_every_un_member_is_a_state(kb):
    missing = [cc for cc in UN_MEMBERS if kb.state_for_country(cc) is None]
    assert len(UN_MEMBERS) == 193
    assert missing == []
    assert all(kb.get(f"state-{cc.lower()}").kind == "state" for cc in UN_MEMBERS)


def test_actor_data_states_use_common_short_names(kb):
    assert kb.state_for_country("US").name == "United States"
    assert kb.state_for_country("IR").name == "Iran"
    assert kb.state_for_country("RU").name == "Russia"
    assert {"US", "U.S.", "USA", "United States of America", "America"} <= set(
        kb.state_for_country("US").aliases
    )
    assert all("," not in a.name for a in kb if a.kind == "state")


def test_actor_data_countries_are_iso_codes(kb):
    unknown = [
        (a.id, a.country)
        for a in kb
        if a.country is not None and a.country != "XK"
        and pycountry.countries.get(alpha_2=a.country) is None
    ]
    assert unknown == []


def test_actor_data_state_forces_have_state_parents(kb):
    forces = [a for a in kb if a.id.startswith(("mil-", "pol-", "gov-"))]
    militaries = {a.country for a in forces if a.id.startswith("mil-")}
    assert len(militaries) >= 40
    assert all(kb.get(a.parent).kind == "state" for a in forces if a.id != "gov-krg")
    assert all(kb.get(a.parent).country == a.country for a in forces)


def test_actor_data_isis_family_is_exact(kb):
    isis, iskp = kb.get("isis"), kb.get("iskp")
    assert isis.name == "Islamic State"
    assert {"ISIS", "ISIL", "Daesh", "Daish", "Islamic State group"} <= set(isis.aliases)
    assert "IS" not in isis.aliases
    assert iskp.parent == "isis" and iskp.country == "AF"
    assert {"ISIS-K", "ISKP", "IS-K", "IS-KP", "ISIS-Khorasan", "Wilayat Khorasan"} <= set(
        iskp.aliases
    )
    provinces = {"iswap", "is-sahel", "iscap", "is-somalia", "ispp"}
    assert provinces <= {a.id for a in kb.descendants("isis")}


def test_actor_data_al_qaeda_affiliates(kb):
    affiliates = {a.id for a in kb.descendants("al-qaeda")}
    assert {"aqap", "aqim", "jnim", "al-shabaab", "aqis"} <= affiliates


def test_actor_data_taliban_is_distinct_from_ttp(kb):
    taliban, ttp = kb.by_name("Taliban"), kb.by_name("TTP")
    assert taliban.kind == "group" and taliban.country == "AF"
    assert {"Afghan Taliban", "Islamic Emirate of Afghanistan", "Taleban"} <= set(taliban.aliases)
    assert ttp.id != taliban.id and ttp.country == "PK"
    assert ttp.parent != taliban.id


@pytest.mark.parametrize(
    "name", ["UN", "CSTO", "SCO", "CIS", "NATO", "EU", "AU", "ECOWAS", "ASEAN", "OSCE",
             "Arab League", "OIC", "GCC", "UNAMA", "MINUSMA", "MONUSCO", "ATMIS", "AMISOM",
             "UNIFIL", "ICC", "IAEA", "Interpol"],
)
def test_actor_data_international_organisations_present(kb, name):
    actor = kb.by_name(name)
    assert actor is not None and actor.kind == "igo"


def test_actor_data_generic_terms_cover_required_kinds(kb):
    expected = {
        "gunmen": "group", "unidentified gunmen": "group", "suicide bomber": "group",
        "insurgents": "group", "troops": "military", "security forces": "military",
        "policeman": "police", "police officers": "police", "protesters": "other",
        "rioters": "other", "villagers": "civilians", "worshippers": "civilians",
        "authorities": "government", "officials": "government",
    }
    assert {t: kb.generic(t).kind for t in expected} == expected
