"""The actor knowledge base: named actors from ``data/actors.yaml`` plus generic actor terms.

The knowledge base is read once, validated (unique ids, existing parents, known kinds, no parent
cycles) and then only queried. Name lookups ignore case, diacritics and the punctuation that news
spells inconsistently ("U.S." == "US", "ISIS-K" == "ISIS K").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import ValidationError

from ..errors import ResolutionError
from ..models import Actor, ActorKind

__all__ = ["ActorKB", "GenericLexicon", "name_key"]

_KINDS = frozenset(get_args(ActorKind))
_IGNORED = re.compile(r"[\s.\-‐‑‒–—_'’`]+")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_AREA = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


def name_key(name: str) -> str:
    """Normalise a name for lookups: case-folded, without diacritics, spaces, dots, dashes, quotes.

    name (str): an actor name or alias, e.g. ``"U.S."`` or ``"Türkiye"``.
    RETURNS (str): the lookup key, e.g. ``"us"`` or ``"turkiye"``.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _IGNORED.sub("", plain)


@dataclass(frozen=True, slots=True)
class GenericLexicon:
    """Generic actors with their terms, phrases that look like actors but are not, and acronyms
    that name different actors in different countries (their country needs support in the text)."""

    actors: tuple[Actor, ...]
    not_actors: tuple[str, ...]
    ambiguous: tuple[str, ...] = ()


class ActorKB:
    """Named and generic actors, with lookups by id, name, country and hierarchy."""

    def __init__(self, actors: list[Actor], generic: GenericLexicon) -> None:
        """Index validated actors. Use :meth:`load` to read and validate YAML files.

        actors (list[Actor]): the named actors, in file order (earlier wins ties).
        generic (GenericLexicon): generic actors (terms in ``aliases``) and non-actor phrases.
        RAISES ResolutionError: on a duplicate id, a missing parent or a parent cycle.
        """
        self._actors: dict[str, Actor] = {}
        for actor in actors:
            if actor.id in self._actors:
                raise ResolutionError(f"duplicate actor id {actor.id!r} in the knowledge base")
            self._actors[actor.id] = actor
        self._generic = {a.id: a for a in generic.actors}
        self.not_actors: tuple[str, ...] = generic.not_actors
        self.ambiguous: frozenset[str] = frozenset(generic.ambiguous)
        self._children: dict[str, list[str]] = {}
        for actor in actors:
            if actor.parent is not None:
                if actor.parent not in self._actors:
                    raise ResolutionError(
                        f"actor {actor.id!r} has parent {actor.parent!r}, which is not in the "
                        "actor knowledge base; add it or fix the parent id"
                    )
                self._children.setdefault(actor.parent, []).append(actor.id)
        for actor in actors:
            self.ancestors(actor.id)  # raises on a cycle
        self._by_key: dict[str, list[str]] = {}
        for actor in actors:
            for surface in (actor.name, *actor.aliases):
                ids = self._by_key.setdefault(name_key(surface), [])
                if actor.id not in ids:
                    ids.append(actor.id)
        self._by_term = {
            " ".join(term.split()): actor for actor in generic.actors for term in actor.aliases
        }
        self._national: dict[tuple[str, str], Actor] = {}
        # The conventional ids (state-xx, mil-xx, pol-xx, gov-xx) win over other national actors.
        for actor in sorted(actors, key=lambda a: not _is_conventional(a)):
            parent = self._actors.get(actor.parent or "")
            national = actor.kind == "state" or (parent is not None and parent.kind == "state")
            if national and actor.country is not None:
                self._national.setdefault((actor.country, actor.kind), actor)

    @classmethod
    def load(cls, path: Path | None = None, generic_path: Path | None = None) -> ActorKB:
        """Read and validate the knowledge base.

        path (Path | None): actors YAML (a list of actors); default: the packaged ``actors.yaml``.
        generic_path (Path | None): generic actors YAML; default: packaged ``generic_actors.yaml``.
        RETURNS (ActorKB): the validated knowledge base.
        RAISES ResolutionError: when a file cannot be read or parsed, or an entry is invalid; the
            message names the file and the offending actor id.
        """
        raw = _read_yaml(path, "actors.yaml")
        if not isinstance(raw, list):
            raise ResolutionError(f"{path or 'actors.yaml'}: expected a list of actors")
        actors = [_parse_actor(entry, path or "actors.yaml") for entry in raw]
        generic = _parse_generic(_read_yaml(generic_path, "generic_actors.yaml"), generic_path)
        return cls(actors, generic)

    def __len__(self) -> int:
        """RETURNS (int): the number of named (non-generic) actors."""
        return len(self._actors)

    def __iter__(self) -> Iterator[Actor]:
        """RETURNS (Iterator[Actor]): the named actors in file order."""
        return iter(self._actors.values())

    def get(self, actor_id: str) -> Actor | None:
        """Look an actor up by id.

        actor_id (str): e.g. ``"iskp"`` or ``"generic:military"``.
        RETURNS (Actor | None): the actor, or None when the id is unknown.
        """
        return self._actors.get(actor_id) or self._generic.get(actor_id)

    def by_name(self, name: str) -> Actor | None:
        """Look a named actor up by canonical name or alias, ignoring case and punctuation.

        name (str): e.g. ``"ISIS-K"``, ``"u.s."``, ``"Collective Security Treaty Organisation"``.
        RETURNS (Actor | None): the actor, or None when unknown or ambiguous (several actors).
        """
        ids = self._by_key.get(name_key(name), [])
        if len(ids) == 1:
            return self._actors[ids[0]]
        exact = [i for i in ids if name in (self._actors[i].name, *self._actors[i].aliases)]
        return self._actors[exact[0]] if len(exact) == 1 else None

    def ancestors(self, actor_id: str) -> list[Actor]:
        """The parent chain of an actor, nearest first.

        actor_id (str): the actor's id.
        RETURNS (list[Actor]): parent, grandparent, ...; empty for a root or an unknown id.
        RAISES ResolutionError: when the parent chain loops.
        """
        chain: list[Actor] = []
        seen = {actor_id}
        actor = self._actors.get(actor_id)
        while actor is not None and actor.parent is not None:
            if actor.parent in seen:
                raise ResolutionError(
                    f"actor {actor_id!r} is its own ancestor via {actor.parent!r}; fix the parents"
                )
            seen.add(actor.parent)
            actor = self._actors.get(actor.parent)
            if actor is not None:
                chain.append(actor)
        return chain

    def descendants(self, actor_id: str) -> list[Actor]:
        """All actors below an actor in the hierarchy (children, grandchildren, ...).

        actor_id (str): the actor's id.
        RETURNS (list[Actor]): breadth-first; empty for a leaf or an unknown id.
        """
        found: list[Actor] = []
        queue = list(self._children.get(actor_id, []))
        while queue:
            child = queue.pop(0)
            found.append(self._actors[child])
            queue.extend(self._children.get(child, []))
        return found

    def state_for_country(self, cc: str) -> Actor | None:
        """The ``state`` actor of a country.

        cc (str): ISO 3166-1 alpha-2 code, any case.
        RETURNS (Actor | None): e.g. ``state-tr`` for ``"TR"``; None when not in the KB.
        """
        return self.national(cc, "state")

    def national(self, cc: str, kind: str) -> Actor | None:
        """The country's own actor of a kind: its state, or a military/police/government child.

        cc (str): ISO 3166-1 alpha-2 code, any case.
        kind (str): an actor kind, e.g. ``"military"``.
        RETURNS (Actor | None): e.g. ``mil-pk`` for ``("PK", "military")``; None if there is none.
        """
        return self._national.get((cc.upper(), kind))

    def generic(self, term: str) -> Actor | None:
        """The generic actor a term refers to.

        term (str): e.g. ``"Gunmen"`` or ``"police officers"``; case and spacing are ignored.
        RETURNS (Actor | None): e.g. the ``generic:armed-group`` actor; None for an unknown term.
        """
        return self._by_term.get(" ".join(term.lower().split()))

    def generic_actors(self) -> tuple[Actor, ...]:
        """RETURNS (tuple[Actor, ...]): the generic actors; their ``aliases`` are their terms."""
        return tuple(self._generic.values())


def _is_conventional(actor: Actor) -> bool:
    prefix = {"state": "state", "military": "mil", "police": "pol", "government": "gov"}
    cc = (actor.country or "").lower()
    return actor.id == f"{prefix.get(actor.kind, '')}-{cc}"


def _read_yaml(path: Path | None, packaged: str) -> Any:
    try:
        if path is None:
            text = resources.files("eventlens").joinpath(f"data/{packaged}").read_text("utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ResolutionError(f"cannot read actor data {path or packaged}: {exc}") from exc


def _parse_actor(entry: Any, source: Path | str) -> Actor:
    if not isinstance(entry, dict):
        raise ResolutionError(f"{source}: every actor must be a mapping, got {entry!r}")
    actor_id = entry.get("id")
    if not isinstance(actor_id, str) or not actor_id:
        raise ResolutionError(f"{source}: actor without a string id: {entry!r}")
    if entry.get("kind") not in _KINDS:
        raise ResolutionError(
            f"{source}: actor {actor_id!r} has kind {entry.get('kind')!r}; "
            f"use one of {sorted(_KINDS)}"
        )
    country = entry.get("country")
    if country is not None and not (isinstance(country, str) and _COUNTRY.match(country)):
        raise ResolutionError(
            f"{source}: actor {actor_id!r} has country {country!r}; use a quoted ISO alpha-2 code"
        )
    areas = entry.get("areas") or []
    # The provinces of one country: the actor's own, or the one a force intervenes in (the
    # Saudi-led coalition fights in Yemen).
    if not isinstance(areas, list) or not all(
            isinstance(a, str) and _AREA.match(a) for a in areas) or \
            len({a[:2] for a in areas}) > 1:
        raise ResolutionError(
            f"{source}: actor {actor_id!r} has areas {areas!r}; use a list of ISO 3166-2 codes "
            "of one country, such as ['NG-BO', 'NG-YO']")
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ResolutionError(f"{source}: actor {actor_id!r} needs aliases as a list of strings")
    try:
        return Actor(**{**entry, "aliases": tuple(aliases), "areas": tuple(areas)})
    except (ValidationError, TypeError) as exc:
        raise ResolutionError(f"{source}: actor {actor_id!r} is invalid: {exc}") from exc


def _parse_generic(raw: Any, source: Path | None) -> GenericLexicon:
    where = source or "generic_actors.yaml"
    if not isinstance(raw, dict) or not isinstance(raw.get("generic"), list):
        raise ResolutionError(f"{where}: expected a mapping with a 'generic' list")
    actors = []
    for entry in raw["generic"]:
        if not isinstance(entry, dict):
            raise ResolutionError(f"{where}: every generic actor must be a mapping, got {entry!r}")
        terms = entry.get("terms") or []
        if not all(isinstance(t, str) and t == t.lower() for t in terms):
            raise ResolutionError(
                f"{where}: generic actor {entry.get('id')!r} needs a list of lower-case terms"
            )
        fields = {k: v for k, v in entry.items() if k != "terms"}
        actors.append(_parse_actor({**fields, "aliases": terms}, where))
    not_actors = raw.get("not_actors") or []
    if not all(isinstance(p, str) for p in not_actors):
        raise ResolutionError(f"{where}: 'not_actors' must be a list of strings")
    ambiguous = raw.get("ambiguous_acronyms") or []
    if not all(isinstance(a, str) and a.strip() for a in ambiguous):
        raise ResolutionError(f"{where}: 'ambiguous_acronyms' must be a list of strings")
    return GenericLexicon(actors=tuple(actors), not_actors=tuple(not_actors),
                          ambiguous=tuple(ambiguous))
