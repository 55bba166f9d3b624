"""analyze stage: summaries of stored incidents (trends over time)."""

from .trends import period_of, trends

__all__ = ["period_of", "trends"]
