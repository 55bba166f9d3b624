"""nlp stage: the spaCy pipeline eventlens runs over every document."""

from .loader import build_nlp, load_nlp

__all__ = ["build_nlp", "load_nlp"]
