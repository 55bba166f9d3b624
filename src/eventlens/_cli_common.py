"""Pieces shared by the CLI modules: the one place library errors become click errors."""

from __future__ import annotations

import functools
from typing import Callable

import click

from .errors import EventlensError

__all__ = ["translate_errors"]


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
