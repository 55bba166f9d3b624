"""The actor knowledge base inside the store, and actor lookups for queries.

The store keeps a copy of the :class:`ActorKB` it was written with (``actors`` and
``actor_aliases``), so the database describes itself: "events by ISIS" follows the parent links
in SQL, with the hierarchy the events were merged under. The copy is replaced when the knowledge
base's version (a hash of its content) changes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterable

from sqlalchemy import Connection, delete, func, select

from ..resolve.actor_kb import ActorKB, name_key
from .schema import actor_aliases, actors, store_meta

__all__ = ["actor_family", "actor_labels", "kb_version", "sync_kb"]

_KB_VERSION = "kb_version"


def kb_version(kb: ActorKB) -> str:
    """A hash of the knowledge base's content (named and generic actors).

    kb (ActorKB): the knowledge base.
    RETURNS (str): 64 hex digits; equal for equal content.
    """
    digest = hashlib.sha256()
    for actor in (*kb, *kb.generic_actors()):
        digest.update(json.dumps(actor.model_dump(mode="json"), sort_keys=True).encode())
    return digest.hexdigest()


def sync_kb(conn: Connection, kb: ActorKB, version: str) -> bool:
    """Replace the stored knowledge base when its version differs (call in a write transaction).

    conn (Connection): a connection inside the store's write transaction.
    kb (ActorKB): the knowledge base to store.
    version (str): :func:`kb_version` of ``kb``.
    RETURNS (bool): True when the tables were rewritten.
    """
    stored = conn.execute(select(store_meta.c.value).where(
        store_meta.c.key == _KB_VERSION)).scalar()
    if stored == version:
        return False
    conn.execute(delete(actor_aliases))
    conn.execute(delete(actors))
    rows, alias_rows = [], []
    for actor, generic in [*((a, False) for a in kb), *((a, True) for a in kb.generic_actors())]:
        rows.append({"actor_id": actor.id, "name": actor.name, "kind": actor.kind,
                     "country": actor.country, "parent_id": actor.parent, "generic": generic,
                     "description": actor.description})
        for alias in dict.fromkeys((actor.name, *actor.aliases)):
            alias_rows.append({"actor_id": actor.id, "alias": alias,
                               "alias_key": name_key(alias)})
    if rows:  # an empty list would insert one row of defaults
        conn.execute(actors.insert(), rows)
    if alias_rows:
        conn.execute(actor_aliases.insert(), alias_rows)
    if stored is None:
        conn.execute(store_meta.insert().values(key=_KB_VERSION, value=version))
    else:
        conn.execute(store_meta.update().where(store_meta.c.key == _KB_VERSION).values(
            value=version))
    return True


def actor_family(conn: Connection, actor: str) -> tuple[str, ...]:
    """Ids of the actors a user's actor term means, with all their descendants.

    The term matches an actor id (any case) or a name or alias (ignoring case and punctuation,
    as :func:`name_key` does). When an alias belongs to several actors and only one spells it
    exactly so, that one is meant; otherwise all of them are.

    conn (Connection): a connection to the store.
    actor (str): e.g. ``"ISIS"``, ``"isis-k"`` or ``"iskp"``.
    RETURNS (tuple[str, ...]): sorted actor ids; empty when the stored KB does not know the term.
    """
    rows = conn.execute(select(actor_aliases.c.actor_id, actor_aliases.c.alias).where(
        actor_aliases.c.alias_key == name_key(actor))).all()
    roots = {r.actor_id for r in rows}
    exact = {r.actor_id for r in rows if r.alias == actor}
    if len(roots) > 1 and len(exact) == 1:
        roots = exact
    roots |= set(conn.execute(select(actors.c.actor_id).where(
        func.lower(actors.c.actor_id) == actor.lower())).scalars())
    if not roots:
        return ()
    family = select(actors.c.actor_id).where(actors.c.actor_id.in_(sorted(roots))).cte(
        "family", recursive=True)
    family = family.union(select(actors.c.actor_id).join(
        family, actors.c.parent_id == family.c.actor_id))
    return tuple(sorted(conn.execute(select(family.c.actor_id)).scalars()))


def actor_labels(conn: Connection, actor_ids: Iterable[str]) -> dict[str, str]:
    """Canonical names of stored actors.

    conn (Connection): a connection to the store.
    actor_ids (Iterable[str]): actor ids.
    RETURNS (dict[str, str]): id -> name, for the ids the stored KB knows.
    """
    wanted = sorted(set(actor_ids))
    if not wanted:
        return {}
    rows = conn.execute(select(actors.c.actor_id, actors.c.name).where(
        actors.c.actor_id.in_(wanted))).all()
    return {r.actor_id: r.name for r in rows}
