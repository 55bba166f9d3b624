"""How the places a sentence names nest: stated containers, places inside a chosen one, and
names the resolver matched only in part.

Conflict reports give a place together with the places that hold it: "Badush area west of
Salba in Raqqa countryside", "Tarsa area (Hilla)", "Rampur village near Barmer town (Jalore,
Rajasthan)". The last place of such a chain is the one the writer added to say where the first
is, and the least ambiguous (a province, a large town), so when the two disagree the first was
resolved to a namesake elsewhere (:func:`stated_container`). A country or province chosen for
an event can be narrowed to a town of its own that the sentence names
(:func:`place_within`).
"""

from __future__ import annotations

from typing import Optional

from ..geo import haversine_km
from ..models import Location, PlaceMention
from .context import DocContext

__all__ = ["container_fix", "mention_of", "place_within", "stated_container", "stated_province"]

FEATURE_RANK = {"city": 0, "other": 0, "admin2": 1, "admin1": 2, "country": 3}
_PRECISION_RANK = {"point": 0, "city": 0, "admin2": 1, "admin1": 2, "region": 2, "country": 3}
# Words a chain of nested places may run through: "X area west of Y in Z countryside",
# "X town (Y, Z)". Any other word ends the chain: "in Idlib in violation of the ceasefire".
CHAIN_PREPS = frozenset({"in", "of", "near", "at"})
CHAIN_PUNCT = frozenset({",", "(", ")", "-", "[", "]"})
PLACE_TYPE_NOUNS = frozenset({
    "area", "areas", "region", "district", "province", "town", "village", "city", "county",
    "municipality", "state", "governorate", "countryside", "outskirts", "outskirt", "suburb",
    "suburbs", "neighbourhood", "neighborhood", "vicinity", "desert", "sector", "square",
    "locality", "township", "commune", "department", "zone", "quarter", "ward", "camp",
    "hill", "valley", "island", "mountain", "subdistrict", "division", "front", "frontline",
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "part", "centre", "center", "edge", "border", "side", "community", "settlement", "port",
})
_MAX_GAP = 8
# How far a district's seat may lie from a village the writer places by it.
_NEAR_TOWN_KM = 100.0
# How far from the middle of its stated province a town may lie and still be the writer's
# town (big provinces reach 300 km from their middle).
_FAR_FROM_PROVINCE_KM = 400.0


def mention_of(ctx: DocContext, location: Location, sent_start: int,
               sent_end: int) -> Optional[tuple[int, int, PlaceMention]]:
    """The sentence's place mention that a location was made from (None when it has none)."""
    for s, e, p in ctx.places:
        if sent_start <= s < sent_end and not p.demonym and p.country == location.country \
                and p.text == location.text and p.name == location.name:
            return s, e, p
    return None


def _chain_after(ctx: DocContext, end: int, sent_end: int) -> list[PlaceMention]:
    """The places that follow a place through words that only nest places.

    A list ("in Lagos, Accra, Dakar and Abidjan") names places side by side, not one
    inside the other: places joined by bare commas up to an "and" or "or" make no chain.
    """
    doc = ctx.doc
    chain: list[PlaceMention] = []
    i, gap, commas_only = end, 0, True
    while i < sent_end and gap <= _MAX_GAP:
        place = ctx.place(doc[i])
        if place is not None and not place.demonym:
            span_end = next((e for s, e, p in ctx.places if s <= i < e), i + 1)
            if place.feature == "country" and _modifies(ctx, span_end):
                break  # "the Russia-Turkey ceasefire": a kind of thing, not a container
            if place.country and place not in chain:
                chain.append(place)
            i, gap = span_end, 0
            continue
        tok = doc[i]
        if tok.pos_ == "CCONJ" and chain and commas_only:
            return []
        ok = (tok.text in CHAIN_PUNCT or (tok.pos_ == "ADP" and tok.lower_ in CHAIN_PREPS)
              or tok.pos_ in ("DET", "ADJ", "PROPN") or tok.lower_ in PLACE_TYPE_NOUNS)
        if not ok:
            break
        commas_only = commas_only and tok.text == ","
        i, gap = i + 1, gap + 1
    return chain


def _modifies(ctx: DocContext, end: int) -> bool:
    last = ctx.doc[end - 1]
    return last.dep_ in ("compound", "amod", "nmod") and ctx.place(last.head) is None \
        and last.head.i >= end


def _agrees(place: PlaceMention, container: PlaceMention) -> bool:
    """Whether a place can lie in a container: same country and, for a province, the same one;
    a town given with a town ("Jalalpur, Shamli": the village and its district's seat) lies
    near it."""
    if place.country != container.country:
        return False
    if FEATURE_RANK.get(place.feature, 0) == 0 and FEATURE_RANK.get(container.feature, 0) == 0:
        return haversine_km(place.lat, place.lon, container.lat, container.lon) <= _NEAR_TOWN_KM
    if container.feature == "admin1" and FEATURE_RANK.get(place.feature, 0) <= 2:
        return not (place.admin1 and container.admin1 and place.admin1 != container.admin1)
    return True


def container_fix(ctx: DocContext, end: int, place: PlaceMention,
                  sent_end: int) -> Optional[PlaceMention]:
    """The place to use instead of a place mention that its stated container contradicts.

    ctx (DocContext): document context.
    end (int): token just past the mention.
    place (PlaceMention): the mention.
    sent_end (int): token just past its sentence.
    RETURNS (PlaceMention | None): the finest place of the chain that follows the mention and
        agrees with the chain's last (outermost) place, when the mention disagrees with a
        place of the chain: it lies in another country, in another province (and the chain
        names a town of the right one, or the mention lies far outside it), or far from a town
        of the chain; None when no chain follows or it agrees.
    """
    chain = _chain_after(ctx, end, sent_end)
    while chain and chain[-1].feature == "country" and chain[-1].country == place.country:
        chain.pop()  # "..., Battambang province, Cambodia": the province is the test
    if not chain or all(_agrees(place, c) for c in chain) or chain[-1].feature == "country":
        # A country named after a town ("Bida (Niger)") is as often a province of
        # the same name: the sentence's votes (:func:`locate.coherent_place`) weigh it.
        return None
    outer = chain[-1]
    inside = [p for p in chain if _agrees(p, outer)]
    best = min(inside, key=lambda p: FEATURE_RANK.get(p.feature, 0))
    if place.country == outer.country and FEATURE_RANK.get(best.feature, 0) >= 2 and \
            haversine_km(place.lat, place.lon, best.lat, best.lon) <= _FAR_FROM_PROVINCE_KM:
        # Only the province disagrees: a town near a provincial border, or a writer's slip,
        # is still nearer the event than the middle of a province; a namesake far beyond it
        # ("Pipri, Kaushambi (UP)" read as a Pipri of Maharashtra) is not.
        return None
    return best


def stated_container(ctx: DocContext, location: Location, sent_start: int,
                     sent_end: int) -> Optional[PlaceMention]:
    """The place to use instead of a chosen one that its stated container contradicts.

    ctx (DocContext): document context.
    location (Location): the event's chosen location (below country level).
    sent_start (int): first token of the event's sentence.
    sent_end (int): token just past the event's sentence.
    RETURNS (PlaceMention | None): see :func:`container_fix`; None to keep the chosen place.
    """
    found = mention_of(ctx, location, sent_start, sent_end)
    if found is None:
        return None
    _, end, place = found
    return container_fix(ctx, end, place, sent_end)


def place_within(ctx: DocContext, location: Location, sent_start: int, sent_end: int,
                 trigger: int) -> Optional[PlaceMention]:
    """A finer place the sentence names inside a chosen country or province.

    "Residents of Tessit (Gao) rallied for self-rule in northern Mali": the rally took
    place in the town; the country or province the event was given only bounds it.

    ctx (DocContext): document context.
    location (Location): the chosen location (country or province).
    sent_start (int): first token of the sentence to search.
    sent_end (int): token just past it.
    trigger (int): the trigger's token index (ties go to the nearest place).
    RETURNS (PlaceMention | None): the finest such place, the nearest to the trigger on a tie;
        None when the sentence names none.
    """
    rank = _PRECISION_RANK.get(location.precision, 0)
    if rank < 2 or not location.country:
        return None
    best: Optional[tuple[tuple[int, int], PlaceMention]] = None
    for s, _, p in ctx.places:
        if not (sent_start <= s < sent_end) or p.demonym or p.country != location.country:
            continue
        p_rank = FEATURE_RANK.get(p.feature, 0)
        if p_rank >= rank or (rank == 2 and location.admin1 and p.admin1 != location.admin1):
            continue
        key = (p_rank, abs(s - trigger))
        if best is None or key < best[0]:
            best = (key, p)
    return best[1] if best else None


def stated_province(ctx: DocContext, location: Location, sent_start: int,
                    sent_end: int) -> Optional[PlaceMention]:
    """The province a sentence sets its events in, when a chosen town lies in another one.

    "In Carranza municipality, Chiapas, armed men attacked San Bartolome": a town name that
    many provinces share was resolved to one the sentence does not name, while the sentence
    names one province of the same country and no other place of the town's own province.

    ctx (DocContext): document context.
    location (Location): the event's chosen location (a town).
    sent_start (int): first token of the event's sentence.
    sent_end (int): token just past the event's sentence.
    RETURNS (PlaceMention | None): the stated province, or None when the town agrees with it,
        the sentence names no province or several, or it names another place of the town's
        own province.
    """
    if _PRECISION_RANK.get(location.precision, 0) >= 2 or not location.admin1:
        return None
    provinces: dict[str, PlaceMention] = {}
    for s, _, p in ctx.places:
        if not (sent_start <= s < sent_end) or p.demonym or p.country != location.country:
            continue
        if p.feature == "admin1":
            provinces[p.admin1 or p.name] = p
        elif p.admin1 == location.admin1 and p.text != location.text:
            return None  # the town's own province has support of its own
    if len(provinces) != 1 or location.admin1 in provinces:
        return None
    return next(iter(provinces.values()))
