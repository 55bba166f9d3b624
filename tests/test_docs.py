"""The README documents every setting and every CLI command (datasette's test_docs idea)."""

from pathlib import Path

import pytest

from eventlens.cli import cli
from eventlens.config import SETTINGS, Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_settings_are_documented(setting):
    assert f"| `{setting.name}` |" in README


def test_settings_table_matches_dataclass():
    assert {s.name for s in SETTINGS} == set(Settings.__dataclass_fields__)
    for s in SETTINGS:
        assert getattr(Settings(), s.name) == s.default


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_commands_are_documented(command):
    assert f"`eventlens {command}" in README
