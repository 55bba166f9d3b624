"""``eventlens eval ...`` commands (registered on the main CLI group).

Each subcommand reads a labelled corpus, runs the relevant stage built from the settings (as
``pipeline.py`` does) and prints a small table of scores.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable, Optional

import click

from .errors import EventlensError

__all__ = ["eval_group"]


def _translate_errors(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except EventlensError as exc:
            raise click.ClickException(str(exc)) from exc
    return wrapper


@click.group("eval")
def eval_group() -> None:
    """Score eventlens on labelled data."""


@eval_group.command("places")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Score only the first N articles.")
@click.option("--demonyms/--no-demonyms", default=False, show_default=True,
              help="Count mentions recognised from adjectives ('Afghan') as predictions.")
@_translate_errors
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
