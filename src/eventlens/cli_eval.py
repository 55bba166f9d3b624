"""``eventlens eval ...`` commands (registered on the main CLI group)."""

from __future__ import annotations

import click

__all__ = ["eval_group"]


@click.group("eval")
def eval_group() -> None:
    """Score eventlens on labelled data."""
