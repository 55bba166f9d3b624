"""``eventlens events|show|split|trends|db``: the store's commands (registered on the main group).

Each command opens the store, calls one library function and prints its result; errors are
translated by ``translate_errors`` only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Optional

import click

from ._cli_common import translate_errors
from .models import Event, Incident, Source, TrendCount

__all__ = ["TABLE_COLUMNS", "db_group", "db_option", "event_table", "events_cmd", "parse_date",
           "show", "split", "trends_cmd"]

TABLE_COLUMNS = ("event_id", "date", "type", "mode", "modality", "source", "target", "location",
                 "killed", "acled", "sources")


def parse_date(ctx, param, value: Optional[str]) -> Optional[dt.date]:
    """Click callback: an ISO date option to a ``date`` (None stays None).

    RETURNS (date | None): the date.
    RAISES click.BadParameter: when the value is not YYYY-MM-DD.
    """
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from exc


def _parse_point(ctx, param, value: Optional[str]) -> Optional[tuple[float, float]]:
    if value is None:
        return None
    try:
        lat, lon = (float(x) for x in value.split(","))
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not LAT,LON (e.g. 34.53,69.17)") from exc
    return lat, lon


def _open(db: Optional[str]):
    from .config import load_settings
    from .store import EventStore

    return EventStore.open(load_settings(db=db).db)


db_option = click.option("--db", envvar="EVENTLENS_DB", default=None,
                         help="Store: SQLite path or SQLAlchemy URL (default ./eventlens.db).")


def _query_options(fn):
    """The filters shared by ``events`` and ``trends``."""
    options = [
        click.option("--actor", help="Actor name, alias or id (child groups included)."),
        click.option("--country", help="ISO 3166-1 alpha-2 code of the incident's place."),
        click.option("--admin1", help="First-level region (province, state), as the gazetteer "
                                      "names it."),
        click.option("--near", callback=_parse_point, help="LAT,LON: incidents within --radius."),
        click.option("--radius", type=click.FloatRange(min=0, min_open=True), default=50.0,
                     show_default=True, help="Radius around --near, in km."),
        click.option("--type", "etype", help="PLOVER event type, e.g. ASSAULT."),
        click.option("--mode", help="Mode, e.g. explosives, suicide-attack, firearms."),
        click.option("--since", callback=parse_date, help="Incidents ending on or after "
                                                          "(YYYY-MM-DD)."),
        click.option("--until", callback=parse_date, help="Incidents starting on or before."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _query(actor, country, admin1, near, radius, etype, mode, modality, since, until,
           limit=None):
    from .store import EventQuery

    return EventQuery(actor=actor, country=country, admin1=admin1, near=near,
                      radius_km=radius if near else None, type=etype, mode=mode,
                      modality=modality, since=since, until=until, limit=limit)


@click.command("events")
@_query_options
@click.option("--modality", help="occurred, alleged, denied, planned, threatened, hypothetical.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many incidents.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@db_option
@translate_errors
def events_cmd(actor, country, admin1, near, radius, etype, mode, since, until, modality, limit,
               fmt, db) -> None:
    """List stored incidents (reports merged across documents), newest first."""
    store = _open(db)
    try:
        found = store.events(_query(actor, country, admin1, near, radius, etype, mode,
                                    modality, since, until, limit))
        counts = store.source_counts(ev.event_id for ev in found)
    finally:
        store.close()
    if fmt == "json":
        for ev in found:
            click.echo(json.dumps(ev.to_contract(), ensure_ascii=False))
    elif fmt == "csv":
        click.echo(_csv([_row(ev, counts) for ev in found], TABLE_COLUMNS), nl=False)
    else:
        click.echo(event_table(found, counts) if found else "No events match.")


def _row(ev: Event, counts: dict[str, int]) -> dict[str, str]:
    src = ", ".join(a.name for a in ev.actors if a.role in ("source", "participant"))
    tgt = ", ".join(a.name for a in ev.actors if a.role == "target")
    loc = ev.location
    place = ", ".join(x for x in (loc.name, loc.country) if x) if loc else ""
    when = ""
    if ev.date.start:
        when = str(ev.date.start) if ev.date.start == ev.date.end else \
            f"{ev.date.start}..{ev.date.end}"
    return {"event_id": ev.event_id, "date": when, "type": ev.type,
            "mode": "+".join(ev.mode), "modality": ev.modality, "source": src, "target": tgt,
            "location": place, "killed": "" if ev.killed is None else str(ev.killed),
            "acled": ev.acled.sub_event_type if ev.acled else "",
            "sources": str(counts.get(ev.event_id, ""))}


def _table(rows: list[dict[str, str]]) -> str:
    cols = list(rows[0])
    width = {c: min(32, max(len(c), *(len(r[c]) for r in rows))) for c in cols}
    lines = ["  ".join(c.ljust(width[c]) for c in cols).rstrip()]
    lines.append("  ".join("-" * width[c] for c in cols))
    for r in rows:
        lines.append("  ".join(r[c][: width[c]].ljust(width[c]) for c in cols).rstrip())
    return "\n".join(lines)


def event_table(found: list[Event], counts: dict[str, int]) -> str:
    """A fixed-width table of incidents, one line each.

    found (list[Event]): merged events (at least one).
    counts (dict[str, int]): number of sources per incident id.
    RETURNS (str): header, rule and rows.
    """
    return _table([_row(ev, counts) for ev in found])


def _csv(rows: list[dict[str, str]], fields) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else list(fields))
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


@click.command()
@click.argument("event_id")
@db_option
@translate_errors
def show(event_id: str, db: Optional[str]) -> None:
    """Print one incident, each of its sources with evidence, and why they were merged."""
    store = _open(db)
    try:
        incident_id = store.incident_id(event_id)
        incident = store.incident(incident_id) if incident_id else None
    finally:
        store.close()
    if incident is None:
        raise click.ClickException(f"no event {event_id!r} in the store; list ids with "
                                   f"'eventlens events'")
    _echo_incident(incident)


def _echo_incident(incident: Incident) -> None:
    ev = incident.event
    click.echo(click.style(f"{ev.type} ({ev.modality})  {ev.event_id}", bold=True))
    for key, value in _row(ev, {}).items():
        if key == "killed" and value and incident.killed_low != incident.killed_high:
            value += (f" (reports say {incident.killed_low} to {incident.killed_high}; the "
                      f"lowest is kept)")
        if value and key != "event_id":
            click.echo(f"  {key:9} {value}")
    if ev.claimed_by:
        click.echo(f"  claimed   {', '.join(ev.claimed_by)}")
    if ev.location and ev.location.lat is not None:
        click.echo(f"  coords    {ev.location.lat:.4f}, {ev.location.lon:.4f} "
                   f"({ev.location.precision})")
    n = len(incident.sources)
    click.echo(f"  sources   {incident.n_sources} document(s), {n} report(s)")
    for i, src in enumerate(incident.sources, 1):
        _echo_source(i, src)


def _echo_source(i: int, src: Source) -> None:
    head = src.title or src.doc_id
    extra = " - ".join(x for x in (src.source, str(src.published) if src.published else None,
                                   src.url) if x)
    click.echo(f"\n  Source {i}: {head}" + (f" ({extra})" if extra else ""))
    toll = "" if src.killed is None else f", killed {src.killed}"
    click.echo(f"    report {src.report_id} of document {src.doc_id}{toll}")
    if src.split_from:
        click.echo(f"    split off from {src.split_from} by a user (pinned: never merged again)")
    if src.merge_score is None and not src.merge_reasons:
        if not src.split_from:
            click.echo("    founded this incident")
    else:
        score = "" if src.merge_score is None else f" (score {src.merge_score:.1f})"
        click.echo(f"    merged{score} because:")
        for reason in src.merge_reasons:
            click.echo(f"      - {reason}")
        for conflict in src.merge_conflicts:
            click.echo(f"      ! {conflict}")
    for e in src.evidence:
        click.echo(f"    [{e.start}:{e.end}] " + click.style(e.sentence, fg="yellow", bold=True))


@click.command()
@click.argument("event_id")
@click.option("--doc", "doc_id", help="Detach this document's report(s).")
@click.option("--report", "report_ids", multiple=True, help="Detach this report (repeatable).")
@db_option
@translate_errors
def split(event_id: str, doc_id: Optional[str], report_ids: tuple[str, ...],
          db: Optional[str]) -> None:
    """Undo a merge: move a document's (or reports') account of EVENT_ID to a new incident."""
    if not doc_id and not report_ids:
        raise click.UsageError("name what to split off: --doc DOC_ID or --report REPORT_ID")
    store = _open(db)
    try:
        new_id = store.split(event_id, report_ids=report_ids, doc_id=doc_id)
        found = [store.event(event_id), store.event(new_id)]
        counts = store.source_counts([event_id, new_id])
    finally:
        store.close()
    click.echo(f"Split {new_id} off {event_id}; its reports will not be merged again.",
               err=True)
    click.echo(event_table([ev for ev in found if ev is not None], counts))


@click.command("trends")
@click.option("--by", type=click.Choice(["month", "week"]), default="month", show_default=True,
              help="Period: calendar month or ISO week.")
@click.option("--group", type=click.Choice(["country", "actor"]), default=None,
              help="Count per country or per actor as well.")
@_query_options
@click.option("--modality", default="occurred", show_default=True,
              help="Count only incidents of this modality; 'any' counts threats and plans too.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@db_option
@translate_errors
def trends_cmd(by, group, actor, country, admin1, near, radius, etype, mode, since, until,
               modality, fmt, db) -> None:
    """Count incidents per week or month (optionally per country or actor)."""
    from .analyze import trends

    store = _open(db)
    try:
        rows = trends(store, _query(actor, country, admin1, near, radius, etype, mode,
                                    None if modality == "any" else modality, since, until),
                      by=by, group=group)
    finally:
        store.close()
    _echo_trends(rows, group, fmt)


def _echo_trends(rows: list[TrendCount], group: Optional[str], fmt: str) -> None:
    if fmt == "json":
        for row in rows:
            click.echo(row.model_dump_json(exclude_none=True))
        return
    fields = ["period"] + ([group, "name"] if group == "actor" else [group] if group else []) + \
        ["count"]
    table = []
    for row in rows:
        cells = {"period": row.period}
        if group:
            cells[group] = row.key or ""
        if group == "actor":
            cells["name"] = row.label or ""
        table.append({**cells, "count": str(row.count)})
    if fmt == "csv":
        click.echo(_csv(table, fields), nl=False)
    else:
        click.echo(_table(table) if table else "No events match.")


@click.group("db")
def db_group() -> None:
    """Schema of the event store (it is created and upgraded automatically on use)."""


@db_group.command("current")
@db_option
@translate_errors
def db_current(db: Optional[str]) -> None:
    """Print the store's schema revision and the newest this eventlens knows."""
    from .config import load_settings
    from .store import HEAD_REVISION, store_revision

    revision = store_revision(load_settings(db=db).db)
    state = "up to date" if revision == HEAD_REVISION else "will be upgraded on next use"
    click.echo(f"revision {revision or '(empty)'}; newest {HEAD_REVISION} ({state})")


@db_group.command("upgrade")
@db_option
@translate_errors
def db_upgrade(db: Optional[str]) -> None:
    """Create the store's schema, or upgrade it to the newest revision."""
    from .config import load_settings
    from .store import HEAD_REVISION, upgrade_store

    before = upgrade_store(load_settings(db=db).db)
    if before == HEAD_REVISION:
        click.echo(f"already at revision {HEAD_REVISION}")
    else:
        click.echo(f"upgraded from {before or '(empty)'} to {HEAD_REVISION}")
