"""The eventlens exception tree.

Every error eventlens raises on purpose derives from :class:`EventlensError`, so callers can catch
one class. Messages name the input and say what to do about it. Third-party errors are wrapped
where they enter (``raise IngestError(...) from exc``) and translated only at the edges (the CLI
turns them into ``click.ClickException``).

    EventlensError
    ├── ConfigError        a setting or environment variable has an unusable value
    ├── IngestError        a document could not be read, decoded or parsed
    ├── NLPError           the spaCy model is missing or is not the one configured
    ├── ResolutionError    gazetteer or actor knowledge base could not be built or loaded
    ├── StoreError         the event store could not be opened, written or queried
    └── ExportError        events could not be written in the requested format
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "EventlensError",
    "ExportError",
    "IngestError",
    "NLPError",
    "ResolutionError",
    "StoreError",
]


class EventlensError(Exception):
    """Base class of every error eventlens raises deliberately."""


class ConfigError(EventlensError):
    """A setting has a value eventlens cannot use."""


class IngestError(EventlensError):
    """A document could not be read or parsed; the message names the document."""


class NLPError(EventlensError):
    """The configured spaCy model is missing or is not the expected model."""


class ResolutionError(EventlensError):
    """The gazetteer or the actor knowledge base could not be built or loaded."""


class StoreError(EventlensError):
    """The event store could not be opened, written or queried."""


class ExportError(EventlensError):
    """Events could not be written in the requested format."""
