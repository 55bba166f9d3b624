"""Typed records that flow between pipeline stages.

ingest -> :class:`Document` (or :class:`DocumentFailure`)
nlp + resolve -> :class:`PlaceMention`, :class:`ActorMention`, :class:`DateSpan`
extract -> :class:`Event` (one per event per document, before cross-document merging)
store -> reads and writes :class:`Document` and :class:`Event`; merges reports of one incident
    across documents into an :class:`Incident` whose :class:`Source` entries say why
analyze -> :class:`TrendCount`

The JSON form of :class:`Event` and :class:`PlaceMention` is the machine contract
(``docs/contract.md``): field names here are that contract and must not be renamed.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Actor",
    "ActorKind",
    "ActorMention",
    "ActorRef",
    "AcledCategory",
    "DatePrecision",
    "DateSpan",
    "Document",
    "DocumentFailure",
    "Event",
    "EventDate",
    "Evidence",
    "GtdCategory",
    "Incident",
    "Location",
    "LocationPrecision",
    "Modality",
    "PlaceFeature",
    "PlaceMention",
    "Source",
    "TrendCount",
]

ActorKind = Literal[
    "group", "state", "government", "military", "police", "igo", "person", "civilians", "other"
]
Modality = Literal["occurred", "alleged", "planned", "threatened", "denied", "hypothetical"]
DatePrecision = Literal["day", "week", "month", "year", "unknown"]
LocationPrecision = Literal["point", "city", "admin2", "admin1", "country", "region"]
PlaceFeature = Literal["country", "admin1", "admin2", "city", "other"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Document(_Frozen):
    """One news article, as ingested.

    ``id`` is the caller's id when one is given (JSONL ``id``), else derived from the content
    hash, so re-ingesting the same text yields the same id.
    """

    id: str
    text: str
    title: Optional[str] = None
    published: Optional[dt.date] = None
    url: Optional[str] = None
    source: Optional[str] = None
    language: Optional[str] = None
    content_hash: str = Field(description="sha256 of the normalised text")
    origin: Optional[str] = Field(default=None, description="file path (and entry) it came from")


class DocumentFailure(_Frozen):
    """A document that could not be ingested or processed; the batch goes on without it."""

    doc_id: str
    error: str
    origin: Optional[str] = None


class Actor(_Frozen):
    """An entry of the actor knowledge base (``data/actors.yaml``)."""

    id: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    country: Optional[str] = Field(default=None, description="ISO 3166-1 alpha-2")
    parent: Optional[str] = Field(default=None, description="id of the parent actor")
    areas: tuple[str, ...] = Field(
        default=(), description="ISO 3166-2 codes of the first-level subdivisions it mainly "
                                "operates in, primary first (Boko Haram: NG-BO), all in one "
                                "country: its own, or the one it intervenes in")
    description: Optional[str] = None

    @property
    def operating_country(self) -> Optional[str]:
        """The country the actor mainly acts in: that of its areas, else its own."""
        return self.areas[0][:2] if self.areas else self.country


class ActorMention(_Frozen):
    """A span of a document that names an actor (from the KB, or a generic actor)."""

    start: int = Field(description="character offset into the document text")
    end: int
    text: str
    actor: Actor
    generic: bool = Field(default=False, description="a generic actor such as 'gunmen'")


class DateSpan(_Frozen):
    """A date expression found in text and resolved to an interval."""

    start_char: int
    end_char: int
    text: str
    start: Optional[dt.date]
    end: Optional[dt.date]
    precision: DatePrecision
    anchor: Literal["published", "text", "none"]


class PlaceMention(_Frozen):
    """A recognised and resolved place mention; JSON form is the ``places`` contract line."""

    doc_id: str
    start: int
    end: int
    text: str
    name: str
    country: Optional[str]
    admin1: Optional[str] = None
    lat: float
    lon: float
    feature: PlaceFeature
    geonames_id: Optional[int] = None
    demonym: bool = Field(default=False, description="recognised from an adjective ('Afghan')")
    score: float = Field(default=1.0, description="resolver confidence 0..1")


class ActorRef(_Frozen):
    """An actor taking part in an event (contract ``actors`` item)."""

    role: Literal["source", "target", "participant"]
    text: Optional[str]
    name: str
    id: Optional[str] = None
    kind: ActorKind = "other"
    country: Optional[str] = None
    aliases: list[str] = Field(default_factory=list)


class EventDate(_Frozen):
    """When an event happened (contract ``date``)."""

    text: Optional[str] = None
    start: Optional[dt.date] = None
    end: Optional[dt.date] = None
    precision: DatePrecision = "unknown"
    anchor: Literal["published", "text", "none"] = "none"


class Location(_Frozen):
    """Where an event happened (contract ``location``)."""

    text: Optional[str]
    name: str
    country: Optional[str]
    admin1: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    precision: LocationPrecision = "country"
    geonames_id: Optional[int] = None


class Evidence(_Frozen):
    """A sentence that supports an event, with character offsets into the document text."""

    sentence: str
    start: int
    end: int


class AcledCategory(_Frozen):
    event_type: str
    sub_event_type: str


class GtdCategory(_Frozen):
    attack_type: str


class Event(_Frozen):
    """One event extracted from one document (the ``extract`` contract line)."""

    doc_id: str
    event_id: str
    type: str
    mode: list[str] = Field(default_factory=list)
    modality: Modality = "occurred"
    actors: list[ActorRef] = Field(default_factory=list)
    date: EventDate = Field(default_factory=EventDate)
    location: Optional[Location] = None
    killed: Optional[int] = None
    injured: Optional[int] = None
    arrested: Optional[int] = None
    claimed_by: list[str] = Field(default_factory=list)
    acled: Optional[AcledCategory] = None
    gtd: Optional[GtdCategory] = None
    evidence: list[Evidence]
    confidence: float = Field(ge=0.0, le=1.0)

    def to_contract(self) -> dict:
        """Return the JSON-ready dict of the ``extract`` contract.

        RETURNS (dict): plain JSON types only (dates as ISO strings).
        """
        return self.model_dump(mode="json")


class Source(_Frozen):
    """One report of an incident: the document it came from and why it was merged."""

    report_id: str = Field(description="the extractor's event_id of this report")
    doc_id: str
    title: Optional[str] = None
    source: Optional[str] = None
    url: Optional[str] = None
    published: Optional[dt.date] = None
    evidence: list[Evidence] = Field(default_factory=list)
    merge_reasons: list[str] = Field(
        default_factory=list, description="why it joined the incident; empty for its founder")
    merge_conflicts: list[str] = Field(
        default_factory=list, description="where it disagreed with the incident when merged")
    merge_score: Optional[float] = Field(default=None, description="None for the founder")
    killed: Optional[int] = Field(default=None, description="the toll this report gave")
    pinned: bool = Field(default=False, description="split off by a user; never merged again")
    split_from: Optional[str] = Field(default=None, description="incident it was split from")


class Incident(_Frozen):
    """A stored incident: the merged event, its reconciled toll and every source."""

    event: Event = Field(description="the merged view; event_id is the incident id")
    killed_low: Optional[int] = Field(default=None, description="lowest toll reported")
    killed_high: Optional[int] = Field(default=None, description="highest toll reported")
    n_sources: int = Field(ge=1, description="number of distinct documents")
    sources: list[Source]


class TrendCount(_Frozen):
    """Number of incidents in one period (and group, when counts are grouped)."""

    period: str = Field(description="'2024-06' for a month, '2024-W23' for an ISO week")
    key: Optional[str] = Field(default=None, description="country code or actor id")
    label: Optional[str] = Field(default=None, description="readable name of the key")
    count: int
