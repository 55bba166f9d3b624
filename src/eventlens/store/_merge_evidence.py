"""The evidence rules behind :func:`eventlens.store.merging.compare`, one function per field.

Each ``compare_*`` function reads two reports and records on a :class:`Tally` what agrees (with
its weight), what the reports' looseness demands, what disagrees, and hard conflicts. The rules and
weights are explained in :mod:`eventlens.store.merging`; this module only holds them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Optional

from ..models import Event, EventDate, Location
from ..resolve.actor_kb import ActorKB, name_key

__all__ = ["DATE_RANK", "MAX_GAP_DAYS", "PLACE_KM", "PLACE_RANK", "Tally", "actor_key",
           "compare_actors", "compare_dates", "compare_figures", "compare_kind", "compare_modes",
           "compare_places", "compatible_types", "distance_km", "interval", "specific"]

MAX_GAP_DAYS = 2
# Furthest two places of these precisions can be and still be one incident; the larger wins.
PLACE_KM = {"point": 15.0, "city": 30.0, "admin2": 80.0, "admin1": 300.0}
_SPECIFIC = ("point", "city", "admin2", "admin1")
PLACE_RANK = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4, "region": 5}
DATE_RANK = {"day": 0, "week": 1, "month": 2}
_DATE_NEED = {"day": 0.0, "week": 1.5, "month": 2.5}
_GAP_NEED = {0: 0.0, 1: 2.5, 2: 3.5}
_BASE_NEED = -1.0
_TYPE_GROUPS = (frozenset({"ASSAULT", "FIGHT"}), frozenset({"ACCUSE", "DISAPPROVE"}),
                frozenset({"REQUEST", "DEMAND"}))
_REALISED = ("occurred", "alleged", "denied")
_VIOLENT_ACLED = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians",
                            "Riots"})
_MODE_FAMILY = {
    "explosives": "explosive", "suicide-attack": "explosive", "grenade": "explosive",
    "aerial": "air", "drone": "air", "heavy-weapons": "artillery", "firearms": "firearms",
    "abduct": "abduction", "primitive": "melee", "beat": "melee", "sexual": "sexual",
}
# Families one incident is often reported under both ("warplanes bombed", "gunmen and a car
# bomb"); other pairs of distinct families point to two incidents.
_FAMILIES_TOGETHER = frozenset(frozenset(p) for p in (
    ("explosive", "firearms"), ("explosive", "artillery"), ("explosive", "air"),
    ("air", "artillery"), ("firearms", "melee"), ("firearms", "abduction"),
    ("firearms", "artillery")))
_NATIONAL_KINDS = frozenset({"state", "military", "police", "government"})
# Kinds of victims that tell incidents apart. Armed groups are left out: reports of one clash
# count either side's dead ("two soldiers and three militants were killed").
_TARGET_FAMILY = {"military": "security forces", "police": "security forces",
                  "civilians": "civilians", "government": "officials", "state": "officials"}


def compatible_types(event_type: str) -> tuple[str, ...]:
    """The PLOVER types a report of this type may be merged with.

    event_type (str): a PLOVER type, e.g. ``"ASSAULT"``.
    RETURNS (tuple[str, ...]): sorted; ASSAULT and FIGHT (PLOVER 0.5's name) go together, as do
        ACCUSE/DISAPPROVE and REQUEST/DEMAND; any other type only with itself.
    """
    for group in _TYPE_GROUPS:
        if event_type in group:
            return tuple(sorted(group))
    return (event_type,)


def interval(ev: Event) -> Optional[tuple[dt.date, dt.date, str]]:
    """A report's usable date interval.

    ev (Event): the report.
    RETURNS (tuple | None): ``(start, end, precision)`` for day, week or month precision; None
        for an unknown or year-only date.
    """
    d = ev.date
    if d.precision not in DATE_RANK or d.start is None:
        return None
    return d.start, d.end or d.start, d.precision


def specific(loc: Optional[Location]) -> bool:
    """Whether a place is admin1 or finer and has coordinates (distances mean something).

    loc (Location | None): an event's place.
    RETURNS (bool): False for country- or region-level places and missing ones.
    """
    return (loc is not None and loc.precision in _SPECIFIC and loc.lat is not None
            and loc.lon is not None)


def distance_km(a: Location, b: Location) -> float:
    """Great-circle distance between two places that have coordinates.

    a (Location): one place.
    b (Location): the other.
    RETURNS (float): kilometres.
    """
    p1, p2 = math.radians(a.lat), math.radians(b.lat)  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)  # type: ignore[operator]
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


class Tally:
    """Evidence for and against, what is needed, and hard conflicts, each as a readable line."""

    def __init__(self) -> None:
        self.evidence = 0.0
        self.needed = _BASE_NEED
        self.reasons: list[str] = []
        self.against: list[str] = []
        self.hard: list[str] = []

    def add(self, weight: float, text: str) -> None:
        """Record evidence: for when ``weight`` >= 0 (0 for a neutral note), against when < 0."""
        self.evidence += weight
        if weight < 0:
            self.against.append(f"{text} ({weight:+.1f})")
        else:
            self.reasons.append(f"{text} ({weight:+.1f})" if weight else text)

    def need(self, weight: float, text: str) -> None:
        """Raise what the evidence must reach, by ``weight``, and say why."""
        self.needed += weight
        self.reasons.append(f"{text} (needs {weight:.1f})" if weight > 0 else text)

    def veto(self, text: str) -> None:
        """Record a hard conflict: the reports are not merged whatever else agrees."""
        self.hard.append(text)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def compare_kind(a: Event, b: Event, t: Tally) -> None:
    """Type, modality and ACLED event type: vetoes only (an arrest, a threat, a plan).

    a (Event): one report. b (Event): the other. t (Tally): where findings are recorded.
    """
    if b.type not in compatible_types(a.type):
        t.veto(f"types {a.type} and {b.type} cannot be one incident")
    else:
        t.add(0.0, f"same type {a.type}" if a.type == b.type else f"types {a.type} and {b.type}")
    ma, mb = a.modality, b.modality
    if ma != mb and not (ma in _REALISED and mb in _REALISED):
        t.veto(f"{ma} vs {mb}: a threat or plan is not the event itself")
    elif ma != mb:
        t.add(0.0, f"modality {ma} and {mb}: reports of one incident")
    ea, eb = (x.acled.event_type if x.acled else None for x in (a, b))
    if ea and eb and ea != eb and (ea in _VIOLENT_ACLED) != (eb in _VIOLENT_ACLED):
        t.veto(f"ACLED types {ea} vs {eb}")


def compare_dates(a: Event, b: Event, t: Tally) -> None:
    """Dates: the need grows with the gap and the coarser precision; over two days is a veto.

    a (Event): one report. b (Event): the other. t (Tally): where findings are recorded.
    """
    sa, sb = interval(a), interval(b)
    if sa is None or sb is None:
        which = a if sa is None else b
        t.veto(f"no usable date for {which.event_id} ({which.date.precision} precision): "
               "cannot tell incidents apart")
        return
    gap = max(0, (sb[0] - sa[1]).days, (sa[0] - sb[1]).days)
    worst = max(sa[2], sb[2], key=DATE_RANK.__getitem__)
    shown = f"dates {_show_date(a.date)} and {_show_date(b.date)}"
    if gap > MAX_GAP_DAYS:
        t.veto(f"{shown}: {_days(gap)} apart")
        return
    if gap == 0 and worst == "day":
        t.need(0.0, f"same date {sa[0].isoformat()} (day precision)")
        return
    apart = "overlapping" if gap == 0 else f"{_days(gap)} apart"
    t.need(_DATE_NEED[worst] + _GAP_NEED[gap], f"{shown}: {apart} ({worst} precision)")


def _show_date(d: EventDate) -> str:
    if d.start is None:
        return "unknown"
    if d.end is None or d.end == d.start:
        return d.start.isoformat()
    return f"{d.start.isoformat()}..{d.end.isoformat()}"


def compare_places(a: Event, b: Event, t: Tally) -> None:
    """Places: the need grows with distance and coarseness; too far, or another country or
    province, is a veto.

    a (Event): one report. b (Event): the other. t (Tally): where findings are recorded.
    """
    la, lb = a.location, b.location
    if la and lb and la.country and lb.country and la.country != lb.country:
        t.veto(f"different countries {la.country} ({la.name}) vs {lb.country} ({lb.name})")
        return
    if la is None or lb is None or not la.country or not lb.country:
        t.need(3.5, "place unknown for one report")
        return
    if not (specific(la) and specific(lb)):
        coarse = la if PLACE_RANK[la.precision] >= PLACE_RANK[lb.precision] else lb
        t.need(2.5, f"only the country is known for one report ({coarse.name})")
        return
    km = distance_km(la, lb)
    worst = la.precision if PLACE_RANK[la.precision] >= PLACE_RANK[lb.precision] else (
        lb.precision)
    names = la.name if la.name == lb.name else f"{la.name}, {lb.name}"
    if worst == "admin1" and la.admin1 and lb.admin1 and (
            _admin_key(la.admin1) != _admin_key(lb.admin1)):
        t.veto(f"different provinces: {la.admin1} vs {lb.admin1}")
        return
    allowed = max(PLACE_KM[la.precision], PLACE_KM[lb.precision])
    # A report may name the nearest town or the district seat instead of the village: places up
    # to twice the distance are neighbours that need more evidence, not a conflict (not for
    # admin1, whose distance is already a province's size).
    limit = allowed if worst == "admin1" else 2 * allowed
    if km > limit:
        t.veto(f"places {km:.0f} km apart ({names}), more than {limit:.0f} km for "
               f"{worst} precision")
        return
    if km > allowed:
        t.need(2.0, f"places {km:.0f} km apart ({names}): neighbouring places at {worst} "
                    "precision")
        return
    if worst in ("point", "city"):
        weight = 0.0 if km <= 10.0 else 0.5
    else:
        weight = {"admin2": 1.0, "admin1": 1.5}[worst]
    t.need(weight, f"places {km:.0f} km apart ({names}, {worst} precision)")


def _admin_key(name: str) -> str:
    return name_key(name.split("(")[0])


@dataclass
class _Actors:
    groups: dict[str, str]  # key -> display name: named groups as source, claimant, participant
    named: dict[str, str]  # named non-person, non-national actors in any role (incl. targets)
    persons: dict[str, str]
    person_targets: dict[str, str]
    national: dict[str, str]
    target_families: set[str]
    all_keys: set[str]


def actor_key(ref_id: Optional[str], name: str) -> str:
    """The identity of an actor across reports: its KB id, else its normalised name.

    ref_id (str | None): the actor's knowledge-base id.
    name (str): its canonical name.
    RETURNS (str): e.g. ``"iskp"`` or ``"name:unknowngroup"``.
    """
    return ref_id if ref_id else f"name:{name_key(name)}"


def _actors(ev: Event, kb: Optional[ActorKB]) -> _Actors:
    out = _Actors({}, {}, {}, {}, {}, set(), set())
    for a in ev.actors:
        generic = (a.id or "").startswith("generic:")
        key = actor_key(a.id, a.name)
        out.all_keys.add(key)
        if a.role == "target" and a.kind in _TARGET_FAMILY:
            out.target_families.add(_TARGET_FAMILY[a.kind])
        if generic:
            continue
        if a.kind == "person":
            out.persons[key] = a.name
            if a.role == "target":
                out.person_targets[key] = a.name
        elif a.kind in _NATIONAL_KINDS:
            out.national[key] = a.name
        else:
            out.named[key] = a.name
            if a.role != "target":
                out.groups[key] = a.name
    for name in ev.claimed_by:
        actor = kb.by_name(name) if kb is not None else None
        key = actor_key(actor.id if actor else None, name)
        out.groups[key] = out.named[key] = name
        out.all_keys.add(key)
    return out


def _related(k1: str, k2: str, kb: Optional[ActorKB]) -> Optional[str]:
    """The ancestor's id when one actor is part of the other in the KB."""
    if kb is None or k1.startswith("name:") or k2.startswith("name:"):
        return None
    if any(p.id == k2 for p in kb.ancestors(k1)):
        return k2
    if any(p.id == k1 for p in kb.ancestors(k2)):
        return k1
    return None


def compare_actors(a: Event, b: Event, kb: Optional[ActorKB], t: Tally) -> None:
    """Actors and claimants: shared, related or disjoint named actors, and kinds of targets.

    a (Event): one report. b (Event): the other.
    kb (ActorKB | None): for parent/child relations and claimant ids.
    t (Tally): where findings are recorded.
    """
    xa, xb = _actors(a, kb), _actors(b, kb)
    for key in xa.persons.keys() & xb.persons.keys():
        t.add(3.0, f"shared person {xa.persons[key]}")
    if xa.person_targets and xb.person_targets and not (
            xa.person_targets.keys() & xb.person_targets.keys()):
        t.add(-2.0, f"different named victims: {_names(xa.person_targets)} vs "
                    f"{_names(xb.person_targets)}")
    shared = xa.named.keys() & xb.named.keys()
    for key in sorted(shared):
        t.add(1.5, f"shared actor {xa.named[key]}")
    related = False
    for k1 in xa.named.keys() - shared:
        for k2 in xb.named.keys() - shared:
            parent = _related(k1, k2, kb)
            if parent is not None:
                related = True
                child, top = (xa.named[k1], xb.named[k2]) if parent == k2 else (
                    xb.named[k2], xa.named[k1])
                t.add(1.0, f"related actors: {child} is part of {top}")
    if xa.groups and xb.groups and not shared and not related and not (
            xa.groups.keys() & xb.all_keys or xb.groups.keys() & xa.all_keys):
        t.veto(f"actors disjoint: {_names(xa.groups)} vs {_names(xb.groups)}")
    for key in sorted(xa.national.keys() & xb.national.keys()):
        t.add(0.5, f"shared actor {xa.national[key]}")
    fa, fb = xa.target_families, xb.target_families
    if fa and fb:
        if fa & fb:
            t.add(0.5, f"both target {' and '.join(sorted(fa & fb))}")
        else:
            t.add(-1.0, f"targets differ: {', '.join(sorted(fa))} vs {', '.join(sorted(fb))}")


def _names(actors: dict[str, str]) -> str:
    return ", ".join(sorted(actors.values()))


def compare_figures(what: str, x: Optional[int], y: Optional[int], scale: float,
                    t: Tally) -> None:
    """Counts (fatalities, injured): equal, close, compatible, differ or far apart.

    what (str): the label shown, e.g. ``"fatalities"``.
    x (int | None): one report's figure. y (int | None): the other's; nothing when either is None.
    scale (float): 1.0 for fatalities, 0.5 for injured.
    t (Tally): where findings are recorded.
    """
    if x is None or y is None:
        return
    lo, hi = min(x, y), max(x, y)
    shown = f"{what} {x} vs {y}"
    # Small tolls agree by chance (most attacks kill a few people): agreement on 1 to 4 weighs
    # half as much as agreement on 5 or more.
    strength = scale * (1.0 if hi >= 5 else 0.5)
    if lo == hi:
        if lo > 0:
            t.add(2.0 * strength, f"{shown}: equal")
    elif hi - lo <= max(2, 0.2 * hi):
        t.add(1.0 * strength, f"{shown}: close")
    elif hi <= 2 * lo + 2:
        t.add(0.0, f"{shown}: compatible (a toll can rise)")
    elif hi <= 4 * lo + 4:
        t.add(-1.0 * scale, f"{shown}: differ")
    else:
        t.add(-2.0 * scale, f"{shown}: far apart")


def _families(ev: Event) -> set[str]:
    return {_MODE_FAMILY[m] for m in ev.mode if m in _MODE_FAMILY}


def compare_modes(a: Event, b: Event, t: Tally) -> None:
    """Attack modes by family: the same family agrees; families never reported together differ.

    a (Event): one report. b (Event): the other. t (Tally): where findings are recorded.
    """
    fa, fb = _families(a), _families(b)
    if not fa or not fb:
        return
    if fa & fb:
        t.add(0.5, f"same attack mode ({', '.join(sorted(fa & fb))})")
    elif not any(frozenset((x, y)) in _FAMILIES_TOGETHER for x in fa for y in fb):
        t.add(-1.5, f"attack modes differ: {', '.join(sorted(fa))} vs {', '.join(sorted(fb))}")
