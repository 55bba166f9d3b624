"""Pieces shared by the CLI modules: the one place library errors become click errors."""

from __future__ import annotations

import functools
import gc
from contextlib import contextmanager
from typing import Callable, Iterator

import click

from .errors import EventlensError

__all__ = ["settled_heap", "translate_errors"]

# Allocations between young-generation collections during a batch (CPython's default: 700).
_YOUNG_THRESHOLD = 10_000


def translate_errors(fn: Callable) -> Callable:
    """Wrap a click command so that an ``EventlensError`` exits with its message.

    fn (Callable): the command function.
    RETURNS (Callable): the wrapped function.
    """
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except EventlensError as exc:
            raise click.ClickException(str(exc)) from exc
    return wrapper


@contextmanager
def settled_heap() -> Iterator[None]:
    """Run a batch with what loading left on the heap out of the garbage collector's way.

    Loading the spaCy pipeline, the lexicons and the gazetteer leaves some 100,000 objects
    that live as long as the process. A batch keeps adding long-lived objects (lookup memos),
    which sets off full collections every few seconds; each walked all of those objects again
    (50 to 120 ms on a 2-core machine, about a tenth of place resolution's time). Frozen after
    a first collection, they are skipped; the heap is unfrozen afterwards, so a caller that
    goes on (a test, a notebook) keeps normal collection.

    The batch also collects its youngest objects less often: a document's work allocates
    tens of thousands of short-lived objects, and at the default threshold of 700 the young
    collections (and the older ones they set off) took some 5% of place resolution's time
    in a first pass. The previous thresholds come back afterwards.
    """
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(_YOUNG_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
