"""The event's location when its own words attach no place to it, and checks on the choice.

:mod:`locate` finds the place a locative phrase gives the event ("attacked a village in Borno").
When there is none, this module chooses, in order: the country of a state acting at home
("Germany arrested ...", narrowed to the place the story is set in when that lies there; not
when the sentence sets the act in a town abroad), the place an earlier mention gave the thing
attacked ("the Paris Olympics"), a place the event's sentence names (finest first), the place
the story was last set in, the article's focus country, and last the country an adjective or
a party of the event names ("Afghan forces", "Taliban militants"), or failing those the one
country the text's named actors belong to ("the OSCE SMM observed explosions near <a village
the gazetteer lacks>"): a party's home country never beats a place the text names. Verbal acts (statements, accusations, demands) only get the focus
country: they are not set wherever their sentence names a place.

Then the choice is checked (:mod:`nesting`): a town that the place named after it contradicts
("Tarsa area in Hilla") gives way to that container, a town name that the rest of its sentence
places in another country is replaced by the place the sentence names in that country, and a
country or province is narrowed to the finest place the sentence names inside it. A town
that lies outside the one province its sentence names ("in Carranza municipality, Chiapas, ...
attacked San Bartolome") moves to its namesake in that province, else to the sentence's town
there; and a town or province whose country nothing else in the document supports, while the
document's places, adjectives and actors point to one other country, moves to its namesake
there ("Tripoli" with "Lebanese Army").
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Optional, Protocol, Sequence

from ..geo import haversine_km
from ..models import Actor, Location, PlaceMention
from .candidates import Candidate
from .context import DocContext, owns_machine
from .locate import coherent_place, document_place, nearby_place
from .nesting import mention_of, place_within, stated_container, stated_province

__all__ = ["CountryLookup", "EventPlacer", "location_of"]

STATE_ORGANS = frozenset({"state", "government", "military", "police"})
# Nouns that refer back to a named event ("this competition", "the games").
EVENT_NOUNS = frozenset({"competition", "tournament", "championship", "game", "games",
                         "event", "festival", "match", "summit", "ceremony", "celebration",
                         "concert", "parade", "olympics", "cup", "race", "marathon"})
_FEATURE_PRECISION = {"city": "city", "admin1": "admin1", "admin2": "admin2",
                      "country": "country", "other": "point"}
# Verbal or material acts a state performs at home when the text names no place.
DOMESTIC_TYPES = frozenset({"COERCE", "MOBILIZE", "INVESTIGATE", "PROTEST"})
# Material acts, set where the text around them says; verbal acts get a place only from a
# locative phrase of their own (or the article's focus country).
PLACED_TYPES = frozenset({"ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "CRIME", "RETREAT", "AID",
                          "COOPERATE", "CONSULT"})


class CountryLookup(Protocol):
    """What the placer needs from the gazetteer."""

    def country(self, cc: str): ...

    def subdivision(self, code: str): ...

    def lookup(self, name: str) -> Sequence: ...


def location_of(place: PlaceMention) -> Location:
    """The contract location of a resolved place mention.

    place (PlaceMention): the mention.
    RETURNS (Location): its name, country, admin1, coordinates and precision.
    """
    return Location(text=place.text, name=place.name, country=place.country, admin1=place.admin1,
                    lat=place.lat, lon=place.lon,
                    precision=_FEATURE_PRECISION.get(place.feature, "point"),
                    geonames_id=place.geonames_id)


class EventPlacer:
    """Chooses an event's location (rules in the module docstring).

    countries (CountryLookup): the gazetteer, for country-level locations.
    """

    def __init__(self, countries: CountryLookup) -> None:
        self.countries = countries

    def place(self, ctx: DocContext, c: Candidate) -> Optional[Location]:
        """The location of one event.

        ctx (DocContext): the document context.
        c (Candidate): the event, with the location its own words gave (if any).
        RETURNS (Location | None): the location, or None when the text gives no clue.
        """
        sent = ctx.doc[c.trigger_index].sent
        location = self._coherent(ctx, c, c.location or self._fallback(ctx, c))
        if location is None:
            return None
        location = self._namesake(ctx, location, c) or location
        location = self._in_actor_area(ctx, location) or location
        # "Residents of Tessit (Gao) rallied for self-rule in northern Mali", "Egyptian police
        # broke up a sit-in at the prison of Aswan": a country or province only bounds the
        # event when the sentence names a town inside it.
        finer = place_within(ctx, location, sent.start, sent.end, c.trigger_index)
        return location if finer is None else location_of(finer)

    def country_location(self, cc: str) -> Optional[Location]:
        """A country-level location for an ISO code (None when the gazetteer lacks it)."""
        entry = self.countries.country(cc)
        if entry is None:
            return None
        return Location(text=None, name=entry.name, country=cc, admin1=None, lat=entry.lat,
                        lon=entry.lon, precision="country", geonames_id=entry.geonames_id)

    def _namesake(self, ctx: DocContext, location: Location,
                  c: Candidate) -> Optional[Location]:
        """The namesake of a chosen town or province in the country the rest of the text is
        about, when nothing else in the text supports the chosen one's country.

        "Protesters gathered in Tripoli ... Lebanese Army troops deployed": a name shared by
        several countries was resolved by its prior alone, while the document's other places,
        adjectives and actors all point to another country that has a place of that name.
        """
        if location.precision == "country" or not location.text or not location.country:
            return None
        support = _document_support(ctx, location.text)
        # The event's own parties that have a known theatre count even where they only
        # classify a thing: "Saudi-led coalition airstrikes targeted ... (Al Jawf)" are Yemen's,
        # and so are "a pro-Houthi attack ... (Al Jawf)": an armed group's theatre is its
        # country unless its areas say otherwise.
        parties = [p.actor.operating_country for p in (*c.sources, *c.targets)
                   if (p.actor.areas or p.actor.kind == "group" and p.actor.country)
                   and not p.generic]
        support.update(parties)
        if support.get(location.country, 0.0) > 0.0 or not support:
            return None
        (top, n), *rest = support.most_common(2) + [("", 0.0)]
        if n < _NAMESAKE_SUPPORT or rest[0][1] == n:
            return None
        twin = self._twin(location, top, None)
        perpetrators = {p.actor.country for p in c.sources
                        if p.actor.kind == "group" and not p.generic}
        if twin is None and top in perpetrators and (
                location.precision in ("city", "point")
                and _population(self.countries, location) < _VILLAGE_POP
                or self._far_from_country(location, top) and _called_otherwise(location)):
            # "Dan Na Ambassagou militiamen killed a man in the commune of Sokoura": a village
            # abroad where the event's perpetrating group is not known to act, with no
            # namesake at home, is a village the gazetteer lacks; the group's country is the
            # safer guess; so is it for a town a continent away that the text calls by
            # another of its names ("Taliban militants attacked Zari district": "Zari" is also
            # a name of Zary, Poland), unlike a city called by its own ("plans to attack the
            # London Marathon"). Its victims' country says less: groups are attacked abroad.
            return self.country_location(top)
        return twin

    def _far_from_country(self, location: Location, cc: str) -> bool:
        """Whether a location lies more than _FAR_FROM_HOME_KM from country ``cc``'s point."""
        home = self.countries.country(cc)
        return home is not None and location.lat is not None and location.lon is not None \
            and haversine_km(location.lat, location.lon, home.lat, home.lon) > _FAR_FROM_HOME_KM

    def _in_actor_area(self, ctx: DocContext, location: Location) -> Optional[Location]:
        """The namesake of a chosen town in the provinces where the text's named actors
        operate, when nothing in the text places the town in its own province.

        "The OSCE SMM observed explosions near Lozove": the mission watches the line of
        contact in Donetsk and Luhansk, and a village name that a dozen provinces share was
        resolved to the best-known one elsewhere.
        """
        if location.precision not in ("city", "point", "admin2") or not location.country:
            return None
        all_areas = [code for actor in _document_actors(ctx) for code in actor.areas]
        # Within the town's own country only: Boko Haram also attacks villages in Cameroon.
        areas = [code for code in all_areas if code[:2] == location.country]
        if not areas:
            return self._far_from_areas(ctx, location, all_areas)
        provinces = self._provinces(areas)
        if not provinces or location.admin1 in {e.name for e in provinces}:
            return None
        for _, _, p in ctx.places:
            if p.country == location.country and p.text != location.text and (
                    p.admin1 == location.admin1 or p.feature == "admin1"
                    and p.name == location.admin1):
                return None  # the text names the town's own province, or a town there
        for province in provinces:
            twin = self._twin(location, location.country, province.name)
            if twin is not None:
                return twin
        # No namesake there: the gazetteer lacks the actor's village, and a namesake village
        # far away is a worse guess than the province the actor works in.
        if _population(self.countries, location) < _VILLAGE_POP:
            return _entry_location(location.text, provinces[0])
        return None

    def _provinces(self, codes: list[str]) -> list:
        """The gazetteer's subdivisions for ISO 3166-2 codes, in order, each once."""
        return [e for code in dict.fromkeys(codes)
                if (e := self.countries.subdivision(code)) is not None]

    def _far_from_areas(self, ctx: DocContext, location: Location,
                        areas: list[str]) -> Optional[Location]:
        """The actor's province for a village in another country far from every province the
        text's actors work in, when the text names no other place in the village's country.

        "The OSCE SMM observed explosions near Komsomolets": the gazetteer lacks the front-line
        village, and its Russian namesake 700 km away is a worse guess than Donetsk oblast. A
        Cameroonian village named in a Boko Haram report lies near Borno and stays.
        """
        if not areas or location.lat is None or location.lon is None or \
                _population(self.countries, location) >= _VILLAGE_POP \
                and not _called_otherwise(location):
            return None  # a town by its own name may well be meant ("Elenovka" is Sevan's)
        provinces = self._provinces(areas)
        if not provinces or any(haversine_km(location.lat, location.lon, e.lat, e.lon)
                                <= _FAR_FROM_AREA_KM for e in provinces):
            return None
        if any(p.country == location.country and p.text != location.text
               for _, _, p in ctx.places):
            return None  # the text says more about the village's own country
        for province in provinces:
            twin = self._twin(location, province.country, province.name)
            if twin is not None:
                return twin
        return _entry_location(location.text, provinces[0])

    def _in_stated_province(self, ctx: DocContext, location: Location, start: int, end: int,
                            trigger: int) -> Optional[Location]:
        """A town moved into the one province its sentence names (:func:`stated_province`):
        the town's namesake there, else the sentence's town in that province; None to keep
        the town when neither exists (a town is still nearer than a province's middle)."""
        found = mention_of(ctx, location, start, end) or mention_of(ctx, location, 0, len(ctx.doc))
        if found is None:
            return None
        # A place taken from an earlier sentence ("... in Inga neighborhood. Two were shot.")
        # is checked against the sentence that named it.
        sent = ctx.doc[found[0]].sent
        start, end = sent.start, sent.end
        province = stated_province(ctx, location, start, end)
        if province is None:
            return None
        twin = self._twin(location, location.country or "", province.admin1 or province.name)
        if twin is not None:
            return twin
        town = place_within(ctx, location_of(province), start, end, trigger)
        return location_of(town) if town is not None else None

    def _twin(self, location: Location, cc: str, admin1: Optional[str]) -> Optional[Location]:
        """The gazetteer's place of the same name and level as a location in another country
        or province (None when it has none).

        location (Location): the chosen location (its text is the name looked up).
        cc (str): the country the twin must lie in.
        admin1 (str | None): the province it must lie in, if any.
        RETURNS (Location | None): the best-known such place.
        """
        level = _LEVEL.get(location.precision, "town")
        names = {_plain(location.text), _plain(location.name)}
        for entry in self.countries.lookup(location.text or location.name or ""):
            # Only a place of the same name: an alternative name ("Islamabad" for a town in
            # Kashmir) is a different place, not the namesake the writer meant.
            if entry.country == cc and _LEVEL.get(entry.feature, "town") == level \
                    and (admin1 is None or entry.admin1 == admin1) \
                    and _plain(entry.name) in names:
                return _entry_location(location.text, entry)
        return None

    def _focus(self, ctx: DocContext, c: Candidate) -> Optional[Location]:
        """The article's focus country, narrowed to the place the story is set in when that
        lies there ("In Envigado, Antioquia, a body was found. The mayor condemned ...")."""
        if c.modality not in _REPORTED or not ctx.focus_country:
            return None
        place = document_place(ctx, ctx.doc[c.trigger_index].sent.start)
        if place is not None and place.country == ctx.focus_country:
            return location_of(place)
        return self.country_location(ctx.focus_country)

    def _fallback(self, ctx: DocContext, c: Candidate) -> Optional[Location]:
        organs = [p.actor for p in c.sources if p.actor.kind in STATE_ORGANS
                  and p.actor.operating_country]
        sent = ctx.doc[c.trigger_index].sent
        if c.type in DOMESTIC_TYPES and organs and \
                not self._abroad(ctx, organs[0].operating_country, c):
            return self._at_home(ctx, organs[0].operating_country, sent.start)
        for lemma in c.object_lemmas:
            if lemma in ctx.noun_places:
                return location_of(ctx.noun_places[lemma])
            if lemma in EVENT_NOUNS:
                # "target this European competition" after "the Euro 2024 in Germany": the
                # latest named event before the trigger, where the text put it.
                earlier = [p for i, p in ctx.event_places if i < c.trigger_index]
                if earlier:
                    return location_of(earlier[-1])
        if c.type not in PLACED_TYPES:
            # A statement ("criticised the Taliban for its dependency on Iran") is not set
            # wherever its sentence names a place.
            return self._focus(ctx, c)
        place = nearby_place(ctx, sent.start, sent.end, c.trigger_index)
        if place is not None:
            return location_of(place)
        if c.modality not in _REPORTED:
            return None  # a plan or threat may be aimed anywhere; the story's place is no guess
        place = document_place(ctx, sent.start)
        if place is not None and ctx.focus_country in (None, place.country):
            return location_of(place)
        return self._focus(ctx, c) or self._home_country(ctx, c, sent.start, sent.end)

    @staticmethod
    def _abroad(ctx: DocContext, cc: str, c: Candidate) -> bool:
        """Whether the event's sentence sets a state's act in a town or province abroad:
        "Chadian troops arrested smugglers at the entrance of Kufra" acted in Libya."""
        sent = ctx.doc[c.trigger_index].sent
        place = nearby_place(ctx, sent.start, sent.end, c.trigger_index)
        return place is not None and place.feature != "country" and place.country != cc

    def _at_home(self, ctx: DocContext, cc: str, sent_start: int) -> Optional[Location]:
        """A state acting at home ("Zambian police arrested two suspects") acts where the story is
        set when that is in its country; otherwise all that is known is the country."""
        home = self.country_location(cc)
        place = document_place(ctx, sent_start)
        if home is None or place is None or place.country != cc:
            return home
        return location_of(place)

    def _home_country(self, ctx: DocContext, c: Candidate, start: int,
                      end: int) -> Optional[Location]:
        """Last resort: the country an adjective of the sentence names ("Afghan forces"), the
        country the rest of the text is most about, a state actor's country ("the Nigerian
        army"), then a named party's home country ("Taliban militants ambushed ..."): most
        such events happen at home."""
        # The people acted upon say more than the actors ("Israeli forces fired at Palestinian
        # farmers" happened among the farmers): demonyms outside the sources come first.
        sources = [(q.start, q.end) for q in c.sources]
        demonyms = [p for s, e, p in ctx.places if p.demonym and p.country and start <= s < end
                    and not owns_machine(ctx.doc, e, p)]  # "a Turkish drone operated by GNA"
        countries = [p.country for p in demonyms
                     if not any(a <= p.start < b for a, b in sources)] + \
                    [p.country for p in demonyms if any(a <= p.start < b for a, b in sources)]
        if ctx.country_votes:
            countries.append(ctx.country_votes.most_common(1)[0][0])
        # Where a party acts: its own country, or the one it intervenes in (the Saudi-led
        # coalition in Yemen).
        countries += [p.actor.operating_country for p in c.sources
                      if p.actor.kind in STATE_ORGANS and p.actor.operating_country]
        countries += [p.actor.operating_country for p in (*c.sources, *c.targets,
                                                           *c.participants)
                      if p.actor.operating_country and not p.generic]
        if not countries:
            # "The OSCE SMM observed 2 explosions near <a village we do not know>": a named
            # actor of the text that belongs to one country (the mission to Ukraine) sets it,
            # and the province it mainly operates in, when it has one, narrows it.
            votes = _actor_support(ctx)
            top = votes.most_common(2)
            if top and (len(top) == 1 or top[0][1] > top[1][1]):
                area = next((code for actor in _document_actors(ctx) for code in actor.areas
                             if code[:2] == top[0][0]), None)
                province = self.countries.subdivision(area) if area else None
                if province is not None:
                    return _entry_location(None, province)
                countries.append(top[0][0])
        return self.country_location(countries[0]) if countries else None

    def _coherent(self, ctx: DocContext, c: Candidate,
                  location: Optional[Location]) -> Optional[Location]:
        """Move an event out of a country or province the rest of its sentence does not
        support."""
        sent = ctx.doc[c.trigger_index].sent
        if location is not None and location.precision != "country":
            # "Tarsa area in Hilla", "Rampur village near Barmer town (Rajasthan)": the place
            # the writer added to say where the town is outranks a namesake elsewhere, and so
            # does the one province the sentence names ("in X municipality, Chiapas, ...").
            container = stated_container(ctx, location, sent.start, sent.end)
            if container is not None:
                return location_of(container)
            moved = self._in_stated_province(ctx, location, sent.start, sent.end,
                                             c.trigger_index)
            if moved is not None:
                return moved
        if location is not None and location.precision in ("country", "admin1", "region"):
            # "Attacks in Russia, Iran and Pakistan", "Italy arrested": unambiguous names and
            # states acting at home say where outright; only town names are doubted.
            return location
        parties = frozenset(p.actor.operating_country for p in (*c.sources, *c.targets)
                            if p.actor.operating_country and not p.generic)
        better = coherent_place(ctx, location.country if location else None, sent.start,
                                sent.end, parties)
        return location if better is None else location_of(better)


# A namesake replaces a place only at the same level (a town for a town, a province for a
# province): "Al Jawf" the province is not "Al Jawf" the town.
_LEVEL = {"admin1": "admin1", "region": "admin1", "country": "country"}
# Events told as having happened: "A relative claimed that he was tortured to death" happened
# where the story is set, as much as an event the writer states.
_REPORTED = frozenset({"occurred", "alleged"})
# Towns smaller than this may be the namesake of a village the gazetteer lacks.
_VILLAGE_POP = 10_000
# A town this far from the point of its perpetrating group's country is a continent away.
_FAR_FROM_HOME_KM = 2_000.0
# A village this far from every province an actor works in is taken for a namesake there.
_FAR_FROM_AREA_KM = 400.0
# The least support (one actor, or a province name) that makes a country the text's own.
_NAMESAKE_SUPPORT = 1.0


def _document_support(ctx: DocContext, name: str) -> Counter[str]:
    """How much the document says about each country apart from the mentions of one name:
    its other places and adjectives (:meth:`DocContext.vote`) and its named actors that
    belong to a country (:func:`_actor_support`)."""
    support: Counter[str] = Counter()
    for start, _, place in ctx.places:
        if place.country and place.text != name:
            support[place.country] += ctx.vote(start, place)
    support.update(_actor_support(ctx))
    return support


def _actor_support(ctx: DocContext) -> Counter[str]:
    """The countries the document's named actors act in, one vote per mention ("Lebanese
    Army", "LNA forces", the Saudi-led coalition for Yemen), leaving out generic terms and
    actors that only classify a thing."""
    support: Counter[str] = Counter()
    for actor in _document_actors(ctx):
        if actor.operating_country:
            support[actor.operating_country] += 1.0
    return support


def _document_actors(ctx: DocContext) -> list[Actor]:
    """The actor of each named (not generic) actor mention of the document, in text order,
    leaving out those that only classify a thing ("a Turkish drone")."""
    actors: list[Actor] = []
    seen: set[int] = set()
    for i, mention in sorted(ctx.actor_at.items()):
        if id(mention) in seen or mention.generic:
            continue
        seen.add(id(mention))
        if not _classifies(ctx, i):
            actors.append(mention.actor)
    return actors


def _classifies(ctx: DocContext, first: int) -> bool:
    """Whether an actor mention starting at token ``first`` only classifies a thing ("the US
    dollar", "a Turkish drone"): it then says nothing about where the text is set."""
    mention = ctx.actor_at[first]
    last = first
    while ctx.actor_at.get(last + 1) is mention:
        last += 1
    tok = ctx.doc[last]
    return tok.dep_ in ("compound", "amod", "nmod") and ctx.actor(tok.head) is None \
        and tok.head.i > last


def _population(countries: CountryLookup, location: Location) -> int:
    """The population of the gazetteer entry a location was made from (0 when not found)."""
    for entry in countries.lookup(location.text or location.name or ""):
        if entry.geonames_id == location.geonames_id and entry.name == location.name:
            return entry.population
    return 0


def _entry_location(text: Optional[str], entry) -> Location:
    """The location of a gazetteer entry chosen for a mention's text."""
    admin1 = entry.name if entry.feature == "admin1" else entry.admin1  # as the resolver does
    return Location(text=text, name=entry.name, country=entry.country, admin1=admin1,
                    lat=entry.lat, lon=entry.lon,
                    precision=_FEATURE_PRECISION.get(entry.feature, "point"),
                    geonames_id=entry.geonames_id)


def _called_otherwise(location: Location) -> bool:
    """Whether the text calls a place by another of its names than the gazetteer's own
    ("Zari" for Zary, "Al Krimiyah" for Crimea): weaker evidence than its own name."""
    return bool(location.text) and _plain(location.text) != _plain(location.name)


def _plain(name: Optional[str]) -> str:
    """A name without accents, case, hyphens or apostrophes, for comparing spellings."""
    text = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in text.casefold() if ch.isalnum() or ch == " ").strip()
