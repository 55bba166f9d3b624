"""The ``eventlens`` command line: a thin click layer over library functions.

Errors from the library (``EventlensError``) are translated to ``click.ClickException`` here and
nowhere else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

import click

from . import __version__
from .config import Settings, load_settings
from ._cli_common import translate_errors
from .models import Event

__all__ = ["main"]


def setup_logging(verbose: bool) -> None:
    """Configure logging for the command line (libraries never do this themselves)."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _parse_date(ctx, param, value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from exc


def _settings(db: Optional[str] = None) -> Settings:
    return load_settings(db=db)


@contextmanager
def _progress(total: Optional[int], label: str) -> Iterator[Callable[[int], None]]:
    from tqdm import tqdm

    # Progress goes to stderr so stdout stays clean for data; tqdm hides itself when not a TTY
    # only if asked, so respect that explicitly for CI logs.
    bar = tqdm(total=total, desc=label, unit="doc", file=sys.stderr,
               disable=not sys.stderr.isatty())
    try:
        yield bar.update
    finally:
        bar.close()


def _pipeline(settings: Settings):
    from .pipeline import Pipeline

    return Pipeline(settings)


db_option = click.option("--db", envvar="EVENTLENS_DB", default=None,
                         help="Store: SQLite path or SQLAlchemy URL (default ./eventlens.db).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="eventlens")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def cli(verbose: bool) -> None:
    """eventlens: news reports about political violence in, geolocated PLOVER events out."""
    setup_logging(verbose)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--published", callback=_parse_date, help="Publication date (YYYY-MM-DD) for "
              "these documents; overrides their own metadata.")
@click.option("--source", help="Source name for these documents; overrides their metadata.")
@db_option
@translate_errors
def ingest(paths: tuple[Path, ...], published: Optional[dt.date], source: Optional[str],
           db: Optional[str]) -> None:
    """Read .txt, .html, .jsonl, RSS/Atom files or directories; store documents and events."""
    from .batch import ingest_into_store
    from .store import EventQuery, EventStore

    settings = _settings(db)
    store = EventStore.open(settings.db)
    try:
        pipeline = _pipeline(settings)
        with _progress(None, "ingest") as tick:
            summary = ingest_into_store(settings, paths, published=published, source=source,
                                        store=store, pipeline=pipeline, progress=tick)
        for message in summary.failure_messages:
            click.echo(f"failed: {message}", err=True)
        if summary.documents and summary.unchanged + summary.duplicates == summary.documents \
                and not summary.failures:
            click.echo("Nothing changed: these documents are already in the store.", err=True)
        click.echo(f"{summary.line()} -> {settings.db}", err=True)
        new = store.events(EventQuery(doc_ids=tuple(summary.stored_ids)))
    finally:
        store.close()
    if new:
        click.echo(_table(new[:100]))
        if len(new) > 100:
            click.echo(f"... and {len(new) - 100} more: see 'eventlens events'")


def _actor_names(actor: str) -> tuple[str, ...]:
    """The actor, its aliases and its descendants' names (ISIS includes ISIS-K)."""
    from .resolve.actors import ActorKB

    kb = ActorKB.load()
    found = kb.by_name(actor) or kb.get(actor)
    if found is None:
        return (actor,)
    names = {found.name, found.id}
    for child in kb.descendants(found.id):
        names.update({child.name, child.id})
    return tuple(sorted(names))


@cli.command("events")
@click.option("--actor", help="Actor name, alias or id (child groups included).")
@click.option("--country", help="ISO 3166-1 alpha-2 code of the event's location.")
@click.option("--type", "etype", help="PLOVER event type, e.g. ASSAULT.")
@click.option("--since", callback=_parse_date, help="Events ending on or after (YYYY-MM-DD).")
@click.option("--until", callback=_parse_date, help="Events starting on or before.")
@click.option("--limit", type=int, default=None, help="At most this many events.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@db_option
@translate_errors
def events_cmd(actor, country, etype, since, until, limit, fmt, db) -> None:
    """List stored events."""
    from .store import EventQuery, EventStore

    settings = _settings(db)
    store = EventStore.open(settings.db)
    query = EventQuery(actor_names=_actor_names(actor) if actor else None, country=country,
                       type=etype, since=since, until=until, limit=limit)
    found = store.events(query)
    store.close()
    if fmt == "json":
        for ev in found:
            click.echo(json.dumps(ev.to_contract(), ensure_ascii=False))
    elif fmt == "csv":
        click.echo(_csv(found), nl=False)
    else:
        click.echo(_table(found) if found else "No events match.")


TABLE_COLUMNS = ("event_id", "date", "type", "mode", "modality", "source", "target", "location",
                 "killed", "acled")


def _row(ev: Event) -> dict[str, str]:
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
            "acled": ev.acled.sub_event_type if ev.acled else ""}


def _table(found: list[Event]) -> str:
    rows = [_row(ev) for ev in found]
    cols = list(rows[0])
    width = {c: min(32, max(len(c), *(len(r[c]) for r in rows))) for c in cols}
    lines = ["  ".join(c.ljust(width[c]) for c in cols)]
    lines.append("  ".join("-" * width[c] for c in cols))
    for r in rows:
        lines.append("  ".join(r[c][: width[c]].ljust(width[c]) for c in cols))
    return "\n".join(lines)


def _csv(found: list[Event]) -> str:
    buf = io.StringIO()
    rows = [_row(ev) for ev in found]
    fields = list(rows[0]) if rows else list(TABLE_COLUMNS)
    writer = csv.DictWriter(buf, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


@cli.command()
@click.argument("event_id")
@db_option
@translate_errors
def show(event_id: str, db: Optional[str]) -> None:
    """Print one event with its evidence sentence(s) highlighted."""
    from .store import EventStore

    store = EventStore.open(_settings(db).db)
    ev = store.event(event_id)
    if ev is None:
        raise click.ClickException(f"no event {event_id!r} in the store; list ids with "
                                   f"'eventlens events'")
    doc = store.document(ev.doc_id)
    store.close()
    click.echo(click.style(f"{ev.type} ({ev.modality})  {ev.event_id}", bold=True))
    for key, value in _row(ev).items():
        if value and key not in ("event_id",):
            click.echo(f"  {key:9} {value}")
    if ev.claimed_by:
        click.echo(f"  claimed   {', '.join(ev.claimed_by)}")
    if ev.location and ev.location.lat is not None:
        click.echo(f"  coords    {ev.location.lat:.4f}, {ev.location.lon:.4f} "
                   f"({ev.location.precision})")
    title = doc.title or doc.id if doc else ev.doc_id
    source = f" - {doc.source}" if doc and doc.source else ""
    click.echo(f"\n  Source: {title}{source}" + (f" ({doc.published})" if doc and
                                                 doc.published else ""))
    for e in ev.evidence:
        click.echo(f"  [{e.start}:{e.end}] " + click.style(e.sentence, fg="yellow", bold=True))


@cli.command()
@click.option("--input", "input_path", required=True, type=click.Path(path_type=Path,
              exists=True, dir_okay=False), help="Documents, contract JSONL.")
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path),
              help="Events JSONL to write ('-' for stdout).")
@translate_errors
def extract(input_path: Path, output_path: Path) -> None:
    """Machine contract: one JSON event per line, per document, before merging."""
    from .batch import extract_to_jsonl

    _run_contract(extract_to_jsonl, input_path, output_path, "extract")


@cli.command()
@click.option("--input", "input_path", required=True, type=click.Path(path_type=Path,
              exists=True, dir_okay=False), help="Documents, contract JSONL.")
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path),
              help="Place mentions JSONL to write ('-' for stdout).")
@translate_errors
def places(input_path: Path, output_path: Path) -> None:
    """Machine contract: one resolved place mention per line."""
    from .batch import places_to_jsonl

    _run_contract(places_to_jsonl, input_path, output_path, "places")


def _run_contract(job: Callable, input_path: Path, output_path: Path, label: str) -> None:
    settings = _settings()
    pipeline = _pipeline(settings)
    with _open_out(output_path) as out, _progress(None, label) as tick:
        summary = job(settings, input_path, out, pipeline=pipeline, progress=tick)
    click.echo(summary.line(), err=True)


@contextmanager
def _open_out(path: Path):
    if str(path) == "-":
        yield sys.stdout
        return
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            yield fh
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


@cli.command()
@translate_errors
def gazetteer() -> None:
    """Build (or check) the compiled gazetteer index in the data directory."""
    import time

    from .resolve.gazetteer import Gazetteer

    settings = _settings()
    started = time.perf_counter()
    gaz = Gazetteer.open(Path(settings.data_dir))
    click.echo(f"gazetteer ready at {gaz.path} ({time.perf_counter() - started:.1f} s)")


def _register_eval() -> None:
    from .cli_eval import eval_group

    cli.add_command(eval_group, "eval")


_register_eval()


def main() -> None:
    """Entry point of the ``eventlens`` console script."""
    cli(prog_name="eventlens")


if __name__ == "__main__":
    main()
