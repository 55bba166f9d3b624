"""eventlens: news reports in, geolocated PLOVER events out, fully offline."""

from .errors import (
    ConfigError,
    EventlensError,
    ExportError,
    IngestError,
    NLPError,
    ResolutionError,
    StoreError,
)
from .models import Document, DocumentFailure, Event, PlaceMention

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "Document",
    "DocumentFailure",
    "Event",
    "EventlensError",
    "ExportError",
    "IngestError",
    "NLPError",
    "PlaceMention",
    "ResolutionError",
    "StoreError",
    "__version__",
]
