"""Demonyms and country adjectives ("Afghan", "Turkish") mapped to ISO 3166-1 alpha-2 codes.

Built from countryinfo's per-country ``demonym`` field plus ``data/demonyms_extra.yaml`` for the
adjectives it lacks. Used by the place resolver ("Afghan forces" -> AF) and the actor matcher.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path

import yaml

from ..errors import ResolutionError

__all__ = ["CURRENCY_WORDS", "load_demonyms"]

# "the US dollar", "Lebanese pounds": a currency's country is neither where anything happened
# nor a party to it.
CURRENCY_WORDS = frozenset({"dollar", "dollars", "pound", "pounds", "euro", "euros", "franc",
                            "francs", "rupee", "rupees", "yuan", "dinar", "dinars", "lira",
                            "peso", "pesos", "rand", "naira", "shilling", "shillings", "ruble",
                            "rubles", "rouble", "roubles", "riyal", "riyals", "yen"})


@functools.cache
def load_demonyms() -> dict[str, str]:
    """Return a mapping from lower-case demonym/adjective to ISO alpha-2 code.

    RETURNS (dict[str, str]): e.g. ``{"afghan": "AF", "turkish": "TR"}``; treat as read-only.
    RAISES ResolutionError: when the packaged data cannot be read.
    """
    table: dict[str, str] = {}
    try:
        import countryinfo

        data_dir = Path(countryinfo.__file__).parent / "data"
        for path in sorted(data_dir.glob("*.json")):
            info = json.loads(path.read_text(encoding="utf-8"))
            code = (info.get("ISO") or {}).get("alpha2")
            demonym = (info.get("demonym") or "").strip()
            if code and demonym and len(demonym) > 2:
                table.setdefault(demonym.lower(), code.upper())
        extra = resources.files("eventlens").joinpath("data/demonyms_extra.yaml").read_text("utf-8")
    except (OSError, ValueError, ImportError) as exc:
        raise ResolutionError(f"cannot read demonym data: {exc}; reinstall eventlens") from exc
    # Our curated list wins over countryinfo where they disagree (it is the reviewed one).
    table.update({k.lower(): v.upper() for k, v in yaml.safe_load(extra).items()})
    return table
