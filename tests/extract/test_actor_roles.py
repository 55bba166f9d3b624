"""Actors of events, on sentences written for these tests: the unnamed perpetrator of violence
against civilians, armed targets named by nouns such as "rangers", and acronyms that name
different actors in different countries.
"""

from __future__ import annotations

from eventlens.extract.categories import with_implied_perpetrator
from eventlens.models import AcledCategory, Actor, ActorRef, Event

_GROUP = Actor(id="generic:armed-group", name="Unidentified armed group", kind="group")


def _sources(events: list[Event]) -> list[ActorRef]:
    return [a for e in events for a in e.actors if a.role == "source"]


def test_unnamed_killer_of_a_civilian_is_an_unidentified_armed_group(extract_text):
    events = extract_text("A shopkeeper was found shot dead in Tijuana, Mexico, on Monday.")
    sources = _sources(events)
    assert [(a.kind, a.name, a.country, a.text) for a in sources] == [
        ("group", "Unidentified armed group", "MX", None)]


def test_named_perpetrator_is_kept():
    refs = [ActorRef(role="source", text="the gang", name="Criminal gang", kind="group"),
            ActorRef(role="target", text="a driver", name="Civilians", kind="civilians")]
    vac = AcledCategory(event_type="Violence against civilians", sub_event_type="Attack")
    assert with_implied_perpetrator(vac, refs, _GROUP, "MX") == refs


def test_no_perpetrator_is_implied_for_shelling():
    refs = [ActorRef(role="target", text="a village", name="Civilians", kind="civilians")]
    shelling = AcledCategory(event_type="Explosions/Remote violence",
                             sub_event_type="Shelling/artillery/missile attack")
    assert with_implied_perpetrator(shelling, refs, _GROUP, "UA") == refs


def test_two_generic_mentions_on_both_sides_are_two_actors(extract_text):
    events = extract_text("Militant snipers killed a fighter of a rival brigade near Tikrit on "
                          "Monday.")
    assault = [e for e in events if e.type == "ASSAULT"]
    assert {a.role for e in assault for a in e.actors} >= {"source", "target"}
    assert ("Battles", "Armed clash") in {(e.acled.event_type, e.acled.sub_event_type)
                                          for e in assault if e.acled}


def test_rangers_are_an_armed_target(extract_text):
    events = extract_text("Separatists shot and killed a ranger near Narathiwat, Thailand, on "
                          "Monday.")
    assert [e.acled.event_type for e in events if e.acled] == ["Battles"]


def test_counted_is_militants_are_the_target(extract_text):
    # The parser reads "3 IS militants" as the object "3" and the verb "is"; bare "IS" is no
    # alias (lookups ignore case), "IS militants" is.
    events = extract_text("Iraqi troops killed 3 IS militants near Rutba on Monday.")
    targets = [a for e in events for a in e.actors if a.role == "target"]
    assert [(a.name, a.text) for a in targets] == [("Islamic State", "IS militants")]
    assert [e.acled.event_type for e in events if e.acled] == ["Battles"]


def test_rioting_villagers_are_named_as_the_crowd(extract_text):
    events = extract_text("Villagers pelted the police with stones in Kisumu, Kenya, on Monday.")
    riots = [e for e in events if e.acled and e.acled.event_type == "Riots"]
    assert riots
    assert {(a.name, a.text) for e in riots for a in e.actors if a.role == "source"} == {
        ("Protesters", "Villagers")}


def test_a_states_warplanes_are_its_military(extract_text):
    events = extract_text("Russian warplanes carried out airstrikes on the village of Kafr Tal "
                          "on Monday.")
    assert {(a.kind, a.country) for a in _sources(events)} == {("military", "RU")}


def test_foreign_nationals_who_attack_the_police_riot(extract_text):
    events = extract_text("Indian nationals attacked police officers in Jhapa district, Nepal, on "
                          "Monday.")
    assert [(e.acled.event_type, e.acled.sub_event_type) for e in events if e.acled] == [
        ("Riots", "Mob violence")]


def test_state_name_read_as_a_subdivision_is_no_actor(extract_text):
    # "Niger" after a Nigerian LGA is Niger State, not the state of Niger taking part.
    events = extract_text("On Monday, gunmen attacked Kagara (Rafi LGA, Niger) and killed a "
                          "farmer.")
    assert events and all(a.name != "Niger" or a.kind != "state"
                          for e in events for a in e.actors)


def test_name_read_as_a_place_is_no_person(extract_text):
    # The model takes "Idleb" for a person; the resolver knows it as Idlib.
    events = extract_text("On Monday, two Turkish military convoys entered Idleb.")
    assert events and all(a.kind != "person" for e in events for a in e.actors)
