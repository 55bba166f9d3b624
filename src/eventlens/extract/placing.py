"""The event's location when its own words attach no place to it, and a check on town names.

:mod:`locate` finds the place a locative phrase gives the event ("attacked a village in Borno").
When there is none, this module chooses, in order: the country of a state acting at home
("Germany arrested ..."), the place an earlier mention gave the thing attacked ("the Paris
Olympics"), a place the event's sentence names (finest first), the place the story was last
set in, the article's focus country, and last the country an adjective or a party of the
event names ("Afghan forces", "Taliban militants"). Verbal acts (statements, accusations,
demands) only get the focus country: they are not set wherever their sentence names a place.
Finally a town name that the rest of its sentence places in another country is replaced by the
place the sentence names in that country.
"""

from __future__ import annotations

from typing import Optional, Protocol

from ..models import Location, PlaceMention
from .candidates import Candidate
from .context import DocContext
from .locate import coherent_place, document_place, nearby_place

__all__ = ["CountryLookup", "EventPlacer", "location_of"]

STATE_ORGANS = frozenset({"state", "government", "military", "police"})
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
        return self._coherent(ctx, c, c.location or self._fallback(ctx, c))

    def country_location(self, cc: str) -> Optional[Location]:
        """A country-level location for an ISO code (None when the gazetteer lacks it)."""
        entry = self.countries.country(cc)
        if entry is None:
            return None
        return Location(text=None, name=entry.name, country=cc, admin1=None, lat=entry.lat,
                        lon=entry.lon, precision="country", geonames_id=entry.geonames_id)

    def _focus(self, ctx: DocContext, c: Candidate) -> Optional[Location]:
        if c.modality == "occurred" and ctx.focus_country:
            return self.country_location(ctx.focus_country)
        return None

    def _fallback(self, ctx: DocContext, c: Candidate) -> Optional[Location]:
        organs = [p.actor for p in c.sources if p.actor.kind in STATE_ORGANS and p.actor.country]
        if c.type in DOMESTIC_TYPES and organs:
            return self.country_location(organs[0].country)
        for lemma in c.object_lemmas:
            if lemma in ctx.noun_places:
                return location_of(ctx.noun_places[lemma])
        if c.type not in PLACED_TYPES:
            # A statement ("criticised the Taliban for its dependency on Iran") is not set
            # wherever its sentence names a place.
            return self._focus(ctx, c)
        sent = ctx.doc[c.trigger_index].sent
        place = nearby_place(ctx, sent.start, sent.end, c.trigger_index)
        if place is not None:
            return location_of(place)
        if c.modality != "occurred":
            return None
        place = document_place(ctx, sent.start)
        if place is not None and ctx.focus_country in (None, place.country):
            return location_of(place)
        return self._focus(ctx, c) or self._home_country(ctx, c, sent.start, sent.end)

    def _home_country(self, ctx: DocContext, c: Candidate, start: int,
                      end: int) -> Optional[Location]:
        """Last resort: the country an adjective of the sentence names ("Afghan forces"), the
        country the rest of the text is most about, a state actor's country ("the Nigerian
        army"), then a named party's home country ("Taliban militants ambushed ..."): most
        such events happen at home."""
        countries = [p.country for s, _, p in ctx.places
                     if p.demonym and p.country and start <= s < end]
        if ctx.country_votes:
            countries.append(ctx.country_votes.most_common(1)[0][0])
        countries += [p.actor.country for p in c.sources if p.actor.kind in STATE_ORGANS
                      and p.actor.country]
        countries += [p.actor.country for p in (*c.sources, *c.targets, *c.participants)
                      if p.actor.country and not p.generic]
        return self.country_location(countries[0]) if countries else None

    @staticmethod
    def _coherent(ctx: DocContext, c: Candidate,
                  location: Optional[Location]) -> Optional[Location]:
        """Move an event out of a country the rest of its sentence does not support."""
        if location is not None and location.precision in ("country", "admin1", "region"):
            # "Attacks in Russia, Iran and Pakistan", "Italy arrested": unambiguous names and
            # states acting at home say where outright; only town names are doubted.
            return location
        sent = ctx.doc[c.trigger_index].sent
        better = coherent_place(ctx, location.country if location else None, sent.start,
                                sent.end)
        return location if better is None else location_of(better)
