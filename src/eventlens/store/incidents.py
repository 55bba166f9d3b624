"""Reports into incidents: the merge hook, the incident's merged view, and splitting.

Every function here runs inside the caller's write transaction (see ``engine.write_transaction``),
so a report, its evidence and the incident it joins are written together or not at all.

A new report is compared only with the stored reports its :func:`~.merging.block` window finds
through indexed columns of ``reports`` (type, country, start date), never with all of them, then
exactly as :func:`~.merging.cluster` does in memory: each candidate that passes
:func:`~.merging.in_block` is compared (:func:`~.merging.compare`), an incident with a hard
conflict among its candidates is out, and the report joins the incident of the best-scoring
match (the older incident on a tie) or founds a new one. Two reports of one document are never
merged: the extractor already decided they are different events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from sqlalchemy import Connection, Select, and_, bindparam, delete, false, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..errors import StoreError
from ..models import Event, Location
from ..resolve.actor_kb import ActorKB, name_key
from .merging import Block, MergeDecision, block, combine, compare, in_block, reconcile_killed
from .schema import event_actors, event_modes, events, mentions, places, reports

__all__ = ["IncidentWriter"]

# Safety valve: however crowded a window is, a report is compared with at most this many reports.
_MAX_CANDIDATES = 1000
# Reports are found by their start date; an interval longer than this (a month is the coarsest
# usable precision) is only found from windows that begin within this many days of its start.
_MAX_SPAN = dt.timedelta(days=31)

# Statements are built once: building one per call (with .values(...)) costs more than running it.
# The next seq, and whether an incident id is taken, in one round trip.
_NEXT_SEQ = select(func.coalesce(func.max(events.c.seq), 0) + 1,
                   select(func.count()).select_from(events).where(
                       events.c.event_id == bindparam("event_id")).scalar_subquery())
_INSERT_PLACE = {"sqlite": sqlite_insert(places).on_conflict_do_nothing(),
                 "postgresql": postgresql_insert(places).on_conflict_do_nothing()}
_TOP_POSITION = select(func.max(reports.c.position)).where(
    reports.c.event_id == bindparam("event_id"))
_UPDATE_EVENT = update(events).where(events.c.event_id == bindparam("b_event_id"))
_DELETE_ACTORS = delete(event_actors).where(event_actors.c.event_id == bindparam("event_id"))
_DELETE_MODES = delete(event_modes).where(event_modes.c.event_id == bindparam("event_id"))
_MEMBERS = select(reports.c.payload, reports.c.doc_id).where(
    reports.c.event_id == bindparam("event_id")).order_by(reports.c.position, reports.c.report_id)


def _candidate_statement(by_country: bool, by_bbox: bool) -> Select:
    """Reports in a block's window (a superset that ``in_block`` then checks exactly)."""
    where = [reports.c.type.in_(bindparam("types", expanding=True)),
             reports.c.date_start.between(bindparam("start_from"), bindparam("date_to")),
             reports.c.date_end >= bindparam("date_from"),
             reports.c.event_id.not_in(select(reports.c.event_id).where(
                 reports.c.doc_id == bindparam("doc_id")))]
    if by_country:
        where.append(reports.c.country.in_(bindparam("countries", expanding=True)))
    if by_bbox:
        where.append(or_(reports.c.specific == false(), and_(
            reports.c.lat.between(bindparam("min_lat"), bindparam("max_lat")),
            reports.c.lon.between(bindparam("min_lon"), bindparam("max_lon")))))
    return (select(reports.c.report_id, reports.c.event_id, reports.c.doc_id, reports.c.payload,
                   events.c.seq)
            .join(events, events.c.event_id == reports.c.event_id)
            .where(*where).order_by(reports.c.report_id).limit(_MAX_CANDIDATES))


_CANDIDATES = {(c, b): _candidate_statement(c, b) for c in (False, True) for b in (False, True)}


@dataclass(frozen=True)
class _Match:
    incident_id: str
    report_id: str
    doc_id: str
    decision: MergeDecision


class IncidentWriter:
    """Stores reports, attaching each to an incident, and keeps incidents' views current.

    kb (ActorKB | None): the actor knowledge base :func:`~.merging.compare` uses.
    """

    def __init__(self, kb: Optional[ActorKB]) -> None:
        self.kb = kb

    # -- adding -----------------------------------------------------------------------------

    def add_report(self, conn: Connection, report: Event) -> str:
        """Store a report and merge it into the best matching incident, or found a new one.

        conn (Connection): a connection inside the write transaction.
        report (Event): the extractor's event; its document must be stored already.
        RETURNS (str): the id of the incident it joined or founded.
        """
        blk = block(report)
        match = self._best_match(conn, report, blk)
        if match is None:
            incident_id, seq = _new_incident(conn, report.event_id)
            self._write_incident(conn, incident_id, [report], n_sources=1, seq=seq)
            _insert_report(conn, report, blk, incident_id, 0)
            return incident_id
        position = conn.execute(_TOP_POSITION, {"event_id": match.incident_id}).scalar_one()
        d = match.decision
        reasons = [f"best match: report {match.report_id} of document {match.doc_id} "
                   f"(score {d.score:.1f})", *d.reasons]
        _insert_report(conn, report, blk, match.incident_id, position + 1, reasons=reasons,
                       conflicts=list(d.conflicts), score=d.score)
        self.refresh(conn, match.incident_id)
        return match.incident_id

    def _best_match(self, conn: Connection, report: Event, blk: Block) -> Optional[_Match]:
        if not blk.searchable:
            return None
        by_incident: dict[str, list[tuple[MergeDecision, str, str]]] = {}
        seq: dict[str, int] = {}
        for row in conn.execute(*_candidates(report, blk)):
            candidate = Event.model_validate_json(row.payload)
            if in_block(blk, candidate):
                decision = compare(report, candidate, self.kb)
                by_incident.setdefault(row.event_id, []).append(
                    (decision, row.report_id, row.doc_id))
                seq[row.event_id] = row.seq
        best: Optional[tuple[tuple[float, int], _Match]] = None
        for incident_id, found in by_incident.items():
            if any(d.vetoed for d, _, _ in found):
                continue  # one hard conflict with a member keeps the report out
            merging = [f for f in found if f[0].merge]
            if not merging:
                continue
            decision, report_id, doc_id = max(merging, key=lambda f: f[0].score)
            rank = (decision.score, -seq[incident_id])
            if best is None or rank > best[0]:
                best = (rank, _Match(incident_id, report_id, doc_id, decision))
        return best[1] if best else None

    # -- the incident's view ----------------------------------------------------------------

    def refresh(self, conn: Connection, incident_id: str) -> None:
        """Recompute an incident's merged view from its reports; delete it when none are left.

        conn (Connection): a connection inside the write transaction.
        incident_id (str): the incident.
        """
        rows = conn.execute(_MEMBERS, {"event_id": incident_id}).all()
        if not rows:
            conn.execute(_DELETE_ACTORS, {"event_id": incident_id})
            conn.execute(_DELETE_MODES, {"event_id": incident_id})
            conn.execute(delete(events).where(events.c.event_id == incident_id))
            return
        self._write_incident(conn, incident_id,
                             [Event.model_validate_json(r.payload) for r in rows],
                             n_sources=len({r.doc_id for r in rows}))

    def _write_incident(self, conn: Connection, incident_id: str, members: Sequence[Event],
                        n_sources: int, seq: Optional[int] = None) -> None:
        """Write the merged view: insert it with ``seq`` for a new incident, else update it."""
        merged = combine(members, incident_id)
        _, low, high = reconcile_killed([m.killed for m in members])
        loc = merged.location
        values = dict(
            type=merged.type, modality=merged.modality, date_start=merged.date.start,
            date_end=merged.date.end or merged.date.start, date_precision=merged.date.precision,
            country=loc.country if loc else None, admin1=loc.admin1 if loc else None,
            place=loc.name if loc else None, place_id=_ensure_place(conn, loc),
            lat=loc.lat if loc else None, lon=loc.lon if loc else None,
            killed=merged.killed, killed_low=low, killed_high=high, injured=merged.injured,
            arrested=merged.arrested, confidence=merged.confidence, n_sources=n_sources,
            payload=merged.model_dump_json())
        if seq is not None:
            conn.execute(events.insert(), {"event_id": incident_id, "seq": seq, **values})
        else:
            conn.execute(_UPDATE_EVENT, {"b_event_id": incident_id, **values})
            conn.execute(_DELETE_ACTORS, {"event_id": incident_id})
            conn.execute(_DELETE_MODES, {"event_id": incident_id})
        if merged.actors:
            conn.execute(event_actors.insert(), [
                {"event_id": incident_id, "ordinal": i, "role": a.role, "name": a.name,
                 "name_key": name_key(a.name), "actor_id": a.id, "kind": a.kind,
                 "country": a.country} for i, a in enumerate(merged.actors)])
        modes = sorted(set(merged.mode))
        if modes:
            conn.execute(event_modes.insert(), [{"event_id": incident_id, "mode": m}
                                                for m in modes])

    # -- removing and splitting -------------------------------------------------------------

    def remove_document(self, conn: Connection, doc_id: str) -> None:
        """Delete a document's reports and refresh (or delete) the incidents they were in.

        conn (Connection): a connection inside the write transaction.
        doc_id (str): the document.
        """
        affected = sorted(conn.execute(select(reports.c.event_id).where(
            reports.c.doc_id == doc_id).distinct()).scalars())
        conn.execute(delete(mentions).where(mentions.c.doc_id == doc_id))
        conn.execute(delete(reports).where(reports.c.doc_id == doc_id))
        for incident_id in affected:
            self.refresh(conn, incident_id)

    def split(self, conn: Connection, incident_id: str, report_ids: Iterable[str]) -> str:
        """Detach reports from an incident into a new incident of their own.

        The detached reports are pinned: they remember the incident they left, and the first
        becomes the new incident's founder.

        conn (Connection): a connection inside the write transaction.
        incident_id (str): the incident to split.
        report_ids (Iterable[str]): reports of that incident to detach.
        RETURNS (str): the new incident's id.
        RAISES StoreError: when the incident is unknown, a report is not in it, or no report
            would remain in it.
        """
        rows = conn.execute(select(reports.c.report_id, reports.c.payload).where(
            reports.c.event_id == incident_id).order_by(reports.c.position,
                                                        reports.c.report_id)).all()
        if not rows:
            raise StoreError(f"no incident {incident_id!r} in the store; list ids with "
                             f"'eventlens events'")
        wanted = set(report_ids)
        members = {r.report_id for r in rows}
        if not wanted:
            raise StoreError(f"name the report(s) or document to split off {incident_id!r}")
        if wanted - members:
            raise StoreError(f"{', '.join(sorted(wanted - members))} is not a report of "
                             f"{incident_id!r}; 'eventlens show {incident_id}' lists them")
        if wanted == members:
            raise StoreError(f"splitting off every report of {incident_id!r} would leave it "
                             f"empty; name only the report(s) that do not belong")
        moving = [r for r in rows if r.report_id in wanted]
        new_id, seq = _new_incident(conn, f"split:{incident_id}:{','.join(sorted(wanted))}")
        doc_ids = conn.execute(select(reports.c.doc_id).where(
            reports.c.report_id.in_(sorted(wanted))).distinct()).scalars().all()
        self._write_incident(conn, new_id, [Event.model_validate_json(r.payload)
                                            for r in moving], n_sources=len(doc_ids), seq=seq)
        founder = moving[0].report_id
        for position, row in enumerate(moving):
            reasons = [] if position == 0 else [
                f"split off from {incident_id} together with report {founder}"]
            conn.execute(update(reports).where(reports.c.report_id == row.report_id).values(
                event_id=new_id, position=position, merge_reasons=json.dumps(reasons),
                merge_conflicts="[]", merge_score=None, pinned=True, split_from=incident_id))
        self.refresh(conn, incident_id)
        return new_id


def _candidates(report: Event, blk: Block) -> tuple[Select, dict]:
    """The candidate statement of a block and its parameters."""
    params = {"types": list(blk.types), "start_from": blk.date_from - _MAX_SPAN,
              "date_to": blk.date_to, "date_from": blk.date_from, "doc_id": report.doc_id}
    if blk.country:
        params["countries"] = [blk.country, ""]
    if blk.bbox is not None:
        params.update(zip(("min_lat", "min_lon", "max_lat", "max_lon"), blk.bbox))
    return _CANDIDATES[(bool(blk.country), blk.bbox is not None)], params


def _insert_report(conn: Connection, report: Event, blk: Block, incident_id: str, position: int,
                   reasons: Sequence[str] = (), conflicts: Sequence[str] = (),
                   score: Optional[float] = None) -> None:
    loc = report.location
    usable = blk.searchable
    conn.execute(reports.insert(), dict(
        report_id=report.event_id, event_id=incident_id, doc_id=report.doc_id,
        position=position, payload=report.model_dump_json(),
        merge_reasons=json.dumps(list(reasons), ensure_ascii=False),
        merge_conflicts=json.dumps(list(conflicts), ensure_ascii=False), merge_score=score,
        pinned=False, split_from=None, type=report.type,
        date_start=report.date.start if usable else None,
        date_end=(report.date.end or report.date.start) if usable else None,
        country=(loc.country or "") if loc else "",
        lat=loc.lat if loc else None, lon=loc.lon if loc else None,
        specific=blk.bbox is not None))
    if report.evidence:
        conn.execute(mentions.insert(), [
            {"report_id": report.event_id, "ordinal": i, "doc_id": report.doc_id,
             "sentence": e.sentence, "start": e.start, "end": e.end}
            for i, e in enumerate(report.evidence)])


def _new_incident(conn: Connection, seed: str) -> tuple[str, int]:
    """A stable id from the founding report's id (or the split), unique in the store, and the
    incident's creation number."""
    n = 0
    while True:
        text = seed if n == 0 else f"{seed}#{n}"
        candidate = "in-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        seq, taken = conn.execute(_NEXT_SEQ, {"event_id": candidate}).one()
        if not taken:
            return candidate, seq
        n += 1


def _ensure_place(conn: Connection, loc: Optional[Location]) -> Optional[str]:
    """The ``places`` key of a location, stored on first use."""
    if loc is None:
        return None
    if loc.geonames_id is not None:
        place_id = f"gn:{loc.geonames_id}"
    else:
        key = json.dumps([loc.name, loc.country, loc.admin1, loc.precision, loc.lat, loc.lon])
        place_id = "loc:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
    # The first location stored under a key describes the place; later ones are the same place.
    conn.execute(_INSERT_PLACE[conn.dialect.name], dict(
        place_id=place_id, geonames_id=loc.geonames_id, name=loc.name, country=loc.country,
        admin1=loc.admin1, lat=loc.lat, lon=loc.lon, precision=loc.precision))
    return place_id
