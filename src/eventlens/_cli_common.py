"""Pieces shared by the CLI modules: the one place library errors become click errors."""

from __future__ import annotations

import functools
import gc
from contextlib import contextmanager
from typing import Callable, Iterator

import click

from .errors import EventlensError

__all__ = ["settled_heap", "translate_errors"]


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
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
