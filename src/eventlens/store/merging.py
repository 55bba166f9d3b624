"""Cross-document merging: are two reports one incident, and what does the incident look like?

Pure functions over :class:`~eventlens.models.Event` (no database): the store calls them when a
report arrives; :func:`cluster` runs the same rules in memory for tests and evaluation.

**Candidates** (:func:`block`, :func:`in_block`): a report is compared only with reports of a
compatible PLOVER type dated within :data:`MAX_GAP_DAYS` of it, in its country (or with none)
and, when both places are admin1 or finer, within :data:`BBOX_KM`. A report without a usable date
(precision ``unknown`` or ``year``) has no candidates: nothing would tell one Kabul bombing from
the next, so it stays an incident of its own.

**Decision** (:func:`compare`). Hard conflicts refuse a merge whatever else agrees: types that
cannot be one incident (an arrest is not the attack it follows), a realised event against a threat
or plan, no usable date, different countries or provinces, places too far apart for their
precision, dates over two days apart, disjoint named armed groups ("Taliban vs al-Shabaab").
Otherwise agreement (evidence) is weighed against what the reports' looseness demands::

    needed = -1 + date need + place need;  merge = evidence >= needed;  score = evidence - needed

Same day and same place (ACLED's unit: one event per type, day and location) need nothing more,
so such reports merge unless they contradict each other. Looser reports must show more: a report
saying only "in Afghanistan" joins a Kabul incident only on a shared named actor or agreeing
fatalities, and two bombings a day apart in one city do not merge on place and type alone.

* date need: same day 0; 1 or 2 days apart (a night attack, a late report) 2.5 or 3.5; week or
  month precision 1.5 or 2.5 (plus the gap's need).
* place need: within 10 km (city or point) 0; within 30 km 0.5; admin2 1; same admin1 1.5;
  neighbouring places (up to twice the distance a precision allows: 30 km for cities, 80 km for
  admin2) 2; country only 2.5; no place 3.5.
* evidence: a shared named person +3; a shared named group (source, claimant or target) +1.5, or
  a related one (parent or child in the knowledge base) +1; a shared national actor (a state, its
  army or police) +0.5; fatalities equal +2, close +1 (within 2 or a fifth: "12 vs 14"),
  compatible 0 (at most twice plus 2: a rising toll), differ -1 (four times plus 4), far -2, with
  agreement halved when the larger toll is under 5 (small tolls agree by chance); injured alike
  at half weight; the same attack-mode family +0.5, families one incident is not reported under
  -1.5 (a kidnapping is not a bombing); targets of one kind +0.5, of different kinds -1 (civilians
  vs security forces); different named victims -2.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from typing import Optional, Sequence

from ..errors import StoreError
from ..models import ActorRef, Event, EventDate, Location
from ..resolve.actor_kb import ActorKB
from ._merge_evidence import (DATE_RANK, MAX_GAP_DAYS, PLACE_KM, PLACE_RANK, Tally, actor_key,
                              compare_actors, compare_dates, compare_figures, compare_kind,
                              compare_modes, compare_places, compatible_types, distance_km,
                              interval, specific)

__all__ = ["BBOX_KM", "Block", "MAX_GAP_DAYS", "MergeDecision", "block", "cluster", "combine",
           "compare", "compatible_types", "in_block", "reconcile_killed"]

BBOX_KM = 300.0
# Most to least certain: a merged incident is as real as its surest report.
_MODALITY_ORDER = ("occurred", "alleged", "denied", "planned", "threatened", "hypothetical")


@dataclass(frozen=True)
class Block:
    """The candidate window of one report: what a store query must fetch to compare it with.

    A stored report is a candidate (:func:`in_block`) when its type is in ``types``, its date
    interval meets ``[date_from, date_to]``, its country is ``country`` or unknown, and, when
    ``bbox`` is set and its own place is admin1 or finer, its coordinates lie in ``bbox``.
    A block without a date window (``date_from is None``) has no candidates.

    date_from (date | None): earliest candidate date (own start minus :data:`MAX_GAP_DAYS`).
    date_to (date | None): latest candidate date.
    country (str | None): ISO alpha-2 of the report's place; None: any country.
    bbox (tuple | None): ``(min_lat, min_lon, max_lat, max_lon)``, :data:`BBOX_KM` around a place
        of admin1 precision or finer; None for country-level or unknown places.
    types (tuple[str, ...]): the PLOVER types compatible with the report's type.
    """

    date_from: Optional[dt.date]
    date_to: Optional[dt.date]
    country: Optional[str]
    bbox: Optional[tuple[float, float, float, float]]
    types: tuple[str, ...]

    @property
    def searchable(self) -> bool:
        """RETURNS (bool): whether the report can have candidates at all (it has a usable date)."""
        return self.date_from is not None and self.date_to is not None


@dataclass(frozen=True)
class MergeDecision:
    """Whether two reports are one incident, and why.

    merge (bool): True when they are.
    score (float): evidence minus what the reports' looseness demands; >= 0 when merged, higher
        for a better match (the store and :func:`cluster` join the best-scoring incident);
        ``-inf`` when a hard conflict refuses the merge.
    reasons (tuple[str, ...]): the agreements (with their weights), what the dates and places
        demand, and the verdict.
    conflicts (tuple[str, ...]): the disagreements: hard conflicts first (no weight: any one
        refuses the merge), then evidence against (with its negative weight), which a merge can
        outweigh.
    """

    merge: bool
    score: float
    reasons: tuple[str, ...]
    conflicts: tuple[str, ...]

    @property
    def vetoed(self) -> bool:
        """RETURNS (bool): whether a hard conflict refused the merge."""
        return self.score == -math.inf


def _bbox(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    dlat = km / 111.32
    dlon = km / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    return (max(lat - dlat, -90.0), max(lon - dlon, -180.0), min(lat + dlat, 90.0),
            min(lon + dlon, 180.0))


def block(ev: Event) -> Block:
    """The candidate window of a report (see :class:`Block`).

    ev (Event): the report's event.
    RETURNS (Block): no date window when the report has no usable date (it is not merged).
    """
    span = interval(ev)
    loc = ev.location
    date_from = date_to = None
    if span is not None:
        date_from = span[0] - dt.timedelta(days=MAX_GAP_DAYS)
        date_to = span[1] + dt.timedelta(days=MAX_GAP_DAYS)
    bbox = _bbox(loc.lat, loc.lon, BBOX_KM) if specific(loc) else None  # type: ignore[union-attr]
    return Block(date_from=date_from, date_to=date_to, country=loc.country if loc else None,
                 bbox=bbox, types=compatible_types(ev.type))


def in_block(blk: Block, ev: Event) -> bool:
    """Whether a report is a candidate of a block: the reference for the store's query.

    blk (Block): the block of the incoming report.
    ev (Event): a stored report.
    RETURNS (bool): True when ``ev`` must be compared with the block's report.
    """
    span = interval(ev)
    if not blk.searchable or span is None or ev.type not in blk.types:
        return False
    if span[1] < blk.date_from or span[0] > blk.date_to:  # type: ignore[operator]
        return False
    loc = ev.location
    if blk.country and loc is not None and loc.country and loc.country != blk.country:
        return False
    if blk.bbox is not None and specific(loc):
        min_lat, min_lon, max_lat, max_lon = blk.bbox
        return min_lat <= loc.lat <= max_lat and min_lon <= loc.lon <= max_lon  # type: ignore
    return True


def compare(a: Event, b: Event, kb: Optional[ActorKB] = None) -> MergeDecision:
    """Decide whether two reports describe the same incident (rules in the module docstring).

    a (Event): one report's event.
    b (Event): another report's event (the decision is symmetric).
    kb (ActorKB | None): the actor knowledge base, to count a group and its parent as related
        and to resolve claimant names to ids; without it only equal actors are shared.
    RETURNS (MergeDecision): the verdict, its score, the reasons and the conflicts.
    """
    t = Tally()
    compare_kind(a, b, t)
    compare_dates(a, b, t)
    compare_places(a, b, t)
    compare_actors(a, b, kb, t)
    compare_figures("fatalities", a.killed, b.killed, 1.0, t)
    compare_figures("injured", a.injured, b.injured, 0.5, t)
    compare_modes(a, b, t)
    if t.hard:
        t.reasons.append("hard conflict: not merged")
        return MergeDecision(False, -math.inf, tuple(t.reasons), tuple(t.hard + t.against))
    merge = t.evidence >= t.needed
    verdict = "merge" if merge else "not enough to merge"
    t.reasons.append(f"evidence {t.evidence:.1f} {'>=' if merge else '<'} needed "
                     f"{t.needed:.1f}: {verdict}")
    return MergeDecision(merge, t.evidence - t.needed, tuple(t.reasons), tuple(t.against))


def reconcile_killed(values: Sequence[Optional[int]]) -> tuple[
        Optional[int], Optional[int], Optional[int]]:
    """Reconcile the fatality figures of an incident's reports.

    ACLED's rule: where reports differ, the most conservative (lowest) figure is the incident's;
    the range is kept so that a higher later toll is not lost.

    values (Sequence[int | None]): each report's figure; None where a report gives none.
    RETURNS (tuple): ``(best, low, high)``; all None when no report gives a figure.
    """
    known = [v for v in values if v is not None]
    if not known:
        return None, None, None
    return min(known), min(known), max(known)


def _place_fits(candidate: Location, report: Optional[Location]) -> bool:
    """Whether a report's place is consistent with a candidate place for the incident."""
    if report is None or not report.country:
        return True
    if candidate.country != report.country:
        return False
    if not (specific(candidate) and specific(report)):
        return True
    allowed = max(PLACE_KM[candidate.precision], PLACE_KM[report.precision])
    return distance_km(candidate, report) <= allowed


def _best_location(reports: Sequence[Event]) -> Optional[Location]:
    places = [r.location for r in reports if r.location is not None]
    if not places:
        return None

    def key(item: tuple[int, Location]) -> tuple:
        index, loc = item
        fits = sum(_place_fits(loc, r.location) for r in reports)
        return (fits == len(reports), fits, -PLACE_RANK[loc.precision], -index)

    return max(enumerate(places), key=key)[1]


def _best_date(reports: Sequence[Event]) -> EventDate:
    spans = [(r.date, interval(r)) for r in reports]
    usable = [(d, s) for d, s in spans if s is not None]
    if not usable:
        return reports[0].date

    def fits(inner: tuple, outer: Optional[tuple]) -> bool:
        # A report fits when its interval contains the candidate's, or lies inside it.
        return outer is None or (outer[0] <= inner[0] and inner[1] <= outer[1]) or (
            inner[0] <= outer[0] and outer[1] <= inner[1])

    def key(item: tuple[int, tuple]) -> tuple:
        index, (_, span) = item
        n = sum(fits(span, s) for _, s in spans)
        return (n == len(spans), n, -DATE_RANK[span[2]], -span[0].toordinal(), -index)

    return max(enumerate(usable), key=key)[1][0]


def _merge_actors(reports: Sequence[Event]) -> list[ActorRef]:
    merged: dict[tuple[str, str], ActorRef] = {}
    for r in reports:
        for a in r.actors:
            merged.setdefault((a.role, actor_key(a.id, a.name)), a)
    named = {(a.role, a.kind) for a in merged.values() if not (a.id or "").startswith("generic:")}
    # "Militants" beside "ISKP" in the same role adds nothing: the named group says who they were.
    return [a for a in merged.values()
            if not ((a.id or "").startswith("generic:") and (a.role, a.kind) in named)]


def _majority(values: Sequence) -> object:
    present = [v for v in values if v is not None]
    if not present:
        return None
    counts = Counter(present)
    top = max(counts.values())
    return next(v for v in present if counts[v] == top)


def combine(reports: Sequence[Event], incident_id: str) -> Event:
    """The merged view of one incident from all its reports.

    Rules: type by majority (ties: the earliest report); modality the surest any report gives
    (occurred > alleged > denied > planned > threatened > hypothetical); modes and claimants the
    union; actors the union without duplicates (same role and id, or same name), a generic actor
    dropped where a named actor of the same role and kind is present; date and location the most
    precise one consistent with every report, else the one most reports agree with; killed,
    injured and arrested the most conservative (lowest) figure (:func:`reconcile_killed`);
    ACLED/GTD categories by majority among the reports of the chosen type and modality; the
    evidence of every report in report order (offsets refer to each report's own document);
    confidence the highest. ``doc_id`` is the first report's.

    reports (Sequence[Event]): the incident's reports, in the order they were received.
    incident_id (str): the incident's id, used as the merged event's ``event_id``.
    RETURNS (Event): a new event; the reports are not changed.
    RAISES StoreError: when ``reports`` is empty.
    """
    if not reports:
        raise StoreError(f"cannot combine incident {incident_id!r}: it has no reports")
    etype = _majority([r.type for r in reports])
    modality = min((r.modality for r in reports), key=_MODALITY_ORDER.index)
    chosen = [r for r in reports if r.type == etype and r.modality == modality] or list(reports)
    return Event(
        doc_id=reports[0].doc_id, event_id=incident_id, type=etype, modality=modality,
        mode=list(dict.fromkeys(m for r in reports for m in r.mode)),
        actors=_merge_actors(reports), date=_best_date(reports),
        location=_best_location(reports),
        killed=reconcile_killed([r.killed for r in reports])[0],
        injured=reconcile_killed([r.injured for r in reports])[0],
        arrested=reconcile_killed([r.arrested for r in reports])[0],
        claimed_by=list(dict.fromkeys(c for r in reports for c in r.claimed_by)),
        acled=_majority([r.acled for r in chosen]), gtd=_majority([r.gtd for r in chosen]),
        evidence=[e for r in reports for e in r.evidence],
        confidence=max(r.confidence for r in reports))


class _DayIndex:
    """Reports by (country, day) for every day of their date interval: the blocking index."""

    def __init__(self) -> None:
        self._by_day: dict[int, list[int]] = {}
        self._by_country_day: dict[tuple[Optional[str], int], list[int]] = {}

    def add(self, i: int, ev: Event) -> None:
        span = interval(ev)
        if span is None:
            return
        country = ev.location.country if ev.location else None
        for day in range(span[0].toordinal(), span[1].toordinal() + 1):
            self._by_day.setdefault(day, []).append(i)
            self._by_country_day.setdefault((country or None, day), []).append(i)

    def candidates(self, blk: Block) -> list[int]:
        if not blk.searchable:
            return []
        found: set[int] = set()
        for day in range(blk.date_from.toordinal(), blk.date_to.toordinal() + 1):  # type: ignore
            if blk.country is None:
                found.update(self._by_day.get(day, ()))
            else:
                found.update(self._by_country_day.get((blk.country, day), ()))
                found.update(self._by_country_day.get((None, day), ()))
        return sorted(found)


def cluster(events: Sequence[Event], kb: Optional[ActorKB] = None) -> list[list[Event]]:
    """Group reports into incidents in memory, greedily in input order, as the store does.

    Each report is compared (:func:`compare`) only with the earlier reports its block finds in a
    (country, day) index, never with all of them. It joins the incident of its best-scoring
    match (the older incident on a tie), provided no candidate member of that incident raises a
    hard conflict with it (so one vague report cannot chain two distinct incidents); otherwise
    it starts a new incident. An incident that already holds a report of the same document is
    not a candidate: the extractor decided those are different events. Incidents are not merged
    with each other afterwards.

    events (Sequence[Event]): reports' events, in the order they arrive.
    kb (ActorKB | None): passed on to :func:`compare`.
    RETURNS (list[list[Event]]): incidents in order of their first report, each in input order.
    """
    index = _DayIndex()
    owner: list[int] = []
    groups: list[list[int]] = []
    docs: list[set[str]] = []
    for i, ev in enumerate(events):
        blk = block(ev)
        best: Optional[tuple[float, int]] = None
        by_group: dict[int, list[MergeDecision]] = {}
        for j in index.candidates(blk):
            if ev.doc_id not in docs[owner[j]] and in_block(blk, events[j]):
                by_group.setdefault(owner[j], []).append(compare(ev, events[j], kb))
        for g, decisions in by_group.items():
            if any(d.vetoed for d in decisions):
                continue
            score = max((d.score for d in decisions if d.merge), default=None)
            if score is not None and (best is None or (score, -g) > (best[0], -best[1])):
                best = (score, g)
        if best is None:
            owner.append(len(groups))
            groups.append([i])
            docs.append({ev.doc_id})
        else:
            owner.append(best[1])
            groups[best[1]].append(i)
            docs[best[1]].add(ev.doc_id)
        index.add(i, ev)
    return [[events[i] for i in g] for g in groups]
