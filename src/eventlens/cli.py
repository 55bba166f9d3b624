"""The ``eventlens`` command line: a thin click layer over library functions.

Errors from the library (``EventlensError``) are translated to ``click.ClickException`` here and
nowhere else.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

import click

from . import __version__
from .config import Settings, load_settings
from ._cli_common import settled_heap, translate_errors
from .cli_store import db_option, event_table, parse_date

__all__ = ["main"]


def setup_logging(verbose: bool) -> None:
    """Configure logging for the command line (libraries never do this themselves)."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="eventlens")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def cli(verbose: bool) -> None:
    """eventlens: news reports about political violence in, geolocated PLOVER events out."""
    setup_logging(verbose)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--published", callback=parse_date, help="Publication date (YYYY-MM-DD) for "
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
    store = EventStore.open(settings.db)  # first: a bad --db fails before the model loads
    try:
        pipeline = _pipeline(settings)
        store = store.with_kb(pipeline.kb)  # merge with the actors the pipeline resolved
        with settled_heap(), _progress(None, "ingest") as tick:
            summary = ingest_into_store(settings, paths, published=published, source=source,
                                        store=store, pipeline=pipeline, progress=tick)
        for message in summary.failure_messages:
            click.echo(f"failed: {message}", err=True)
        if summary.documents and summary.unchanged + summary.duplicates == summary.documents \
                and not summary.failures:
            click.echo("Nothing changed: these documents are already in the store.", err=True)
        click.echo(f"{summary.line()} -> {settings.db}", err=True)
        new = store.events(EventQuery(doc_ids=tuple(summary.stored_ids)))
        counts = store.source_counts(ev.event_id for ev in new[:100])
    finally:
        store.close()
    if new:
        click.echo(event_table(new[:100], counts))
        if len(new) > 100:
            click.echo(f"... and {len(new) - 100} more: see 'eventlens events'")


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
    with settled_heap(), _open_out(output_path) as out, _progress(None, label) as tick:
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


def _register() -> None:
    from .cli_eval import eval_group
    from .cli_store import db_group, events_cmd, show, split, trends_cmd

    cli.add_command(eval_group, "eval")
    for command in (events_cmd, show, split, trends_cmd, db_group):
        cli.add_command(command)


_register()


def main() -> None:
    """Entry point of the ``eventlens`` console script."""
    cli(prog_name="eventlens")


if __name__ == "__main__":
    main()
