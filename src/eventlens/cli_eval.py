"""``eventlens eval ...`` commands (registered on the main CLI group).

Each subcommand reads a labelled corpus, runs the relevant stage built from the settings (as
``pipeline.py`` does) and prints a small table of scores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from ._cli_common import settled_heap, translate_errors

__all__ = ["eval_group"]


@click.group("eval")
def eval_group() -> None:
    """Score eventlens on labelled data."""


@eval_group.command("places")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Score only the first N articles.")
@click.option("--demonyms/--no-demonyms", default=False, show_default=True,
              help="Count mentions recognised from adjectives ('Afghan') as predictions.")
@translate_errors
def places(file: Path, limit: Optional[int], demonyms: bool) -> None:
    """Score the geoparser on FILE (LGL/GeoVirus/TR-News or GeoWebNews XML)."""
    from .config import load_settings
    from .evaluate.places import predict_places, read_gold_xml, score_places
    from .nlp import build_nlp
    from .resolve.gazetteer import Gazetteer
    from .resolve.places import PlaceResolver

    settings = load_settings()
    articles = read_gold_xml(file, limit)
    nlp = build_nlp(settings.model, settings.model_meta)
    resolver = PlaceResolver(Gazetteer.open(Path(settings.data_dir)))
    with settled_heap():
        predicted = predict_places(articles, nlp, resolver, settings.batch_size)
    s = score_places(articles, predicted, include_demonyms=demonyms)
    rows = [
        ("documents", f"{s.documents}"),
        ("gold / predicted / matched", f"{s.gold} / {s.predicted} / {s.matched}"),
        ("recognition P / R / F1", f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}"),
        ("acc@161km (recognised)", f"{s.acc161:.3f}"),
        ("median / mean error km", f"{s.median_km:.1f} / {s.mean_km:.1f}"),
        ("acc@161km (all gold)", f"{s.acc161_all:.3f}"),
    ]
    click.echo(f"places: {file.name}")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        click.echo(f"  {name:<{width}}  {value}")


@eval_group.command("events")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Score only the first N cases.")
@click.option("--cameo-map", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="A PLOVER CAMEO2PLOVER file instead of the shipped table.")
@translate_errors
def events(file: Path, limit: Optional[int], cameo_map: Optional[Path]) -> None:
    """Score event extraction on FILE: ACLED CSV, PLOVER JSON, PETRARCH XML or gold JSONL."""
    from .config import load_settings
    from .evaluate.events import run_eval
    from .pipeline import Pipeline

    pipeline = Pipeline(load_settings())
    with settled_heap():
        scores = run_eval(file, pipeline, limit=limit, cameo_map=cameo_map)
    click.echo(scores.to_table())


@eval_group.command("merge")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--store/--in-memory", default=False, show_default=True,
              help="Merge through a temporary SQLite event store (the ingest path) instead of "
                   "the same rules in memory.")
@click.option("--groups", is_flag=True, default=False,
              help="Also list each gold incident with the predicted incidents of its reports.")
@translate_errors
def merge(file: Path, store: bool, groups: bool) -> None:
    """Score cross-document merging on FILE: contract JSONL with gold.incident on every line."""
    from .config import load_settings
    from .evaluate.merge import run_merge_eval
    from .pipeline import Pipeline

    pipeline = Pipeline(load_settings())
    with settled_heap():
        scores = run_merge_eval(file, pipeline, store=store)
    click.echo(scores.to_table())
    if groups:
        click.echo("gold incident -> predicted incidents (* shared with another gold incident)")
        click.echo(scores.to_groups())
