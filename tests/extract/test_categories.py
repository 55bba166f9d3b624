import pytest

from eventlens.extract.categories import acled_category, gtd_category
from eventlens.models import ActorRef


def _ref(role, kind):
    return ActorRef(role=role, text=None, name=kind, kind=kind)


@pytest.mark.parametrize("modes,sub", [
    (["suicide-attack", "explosives"], "Suicide bomb"),
    (["drone"], "Air/drone strike"),
    (["heavy-weapons"], "Shelling/artillery/missile attack"),
    (["explosives"], "Remote explosive/landmine/IED"),
])
def test_acled_category_explosions(modes, sub):
    cat = acled_category("ASSAULT", modes, [], "occurred")
    assert cat.event_type == "Explosions/Remote violence" and cat.sub_event_type == sub


def test_acled_category_armed_clash_between_armed_actors():
    cat = acled_category("ASSAULT", ["firearms"], [_ref("source", "group"),
                                                   _ref("target", "military")], "occurred")
    assert (cat.event_type, cat.sub_event_type) == ("Battles", "Armed clash")


def test_acled_category_attack_on_civilians():
    cat = acled_category("ASSAULT", [], [_ref("source", "group"), _ref("target", "civilians")],
                         "occurred")
    assert (cat.event_type, cat.sub_event_type) == ("Violence against civilians", "Attack")


def test_acled_category_threat_has_none():
    assert acled_category("ASSAULT", [], [], "threatened") is None


def test_gtd_category_only_for_attacks_that_happened():
    assert gtd_category("ASSAULT", ["targeted"], "occurred").attack_type == "Assassination"
    assert gtd_category("ASSAULT", ["explosives"], "planned") is None
    assert gtd_category("COERCE", ["arrest"], "occurred") is None
