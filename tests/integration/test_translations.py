"""Translation files stay in step with strings.json.

Custom integrations load translations/<lang>.json as they are, so a key missing from a
translation, a renamed placeholder or an unresolved `[%key:...%]` reference shows up to users.
"""

from collections.abc import Iterator
import json
from pathlib import Path
import re
from typing import Any

import pytest

COMPONENT = Path(__file__).parents[2] / "custom_components" / "sms_gateway"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
CEDILLA_LETTERS = "şţŞŢ"


def load(relative: str) -> dict[str, Any]:
    tree: dict[str, Any] = json.loads((COMPONENT / relative).read_text(encoding="utf-8"))
    return tree


def leaves(tree: dict[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """Every string value with its dotted key path."""
    for key, value in tree.items():
        path = (*prefix, key)
        if isinstance(value, dict):
            yield from leaves(value, path)
        else:
            assert isinstance(value, str), f"{'.'.join(path)} is not a string"
            yield ".".join(path), value


STRINGS = dict(leaves(load("strings.json")))


def test_english_equals_strings() -> None:
    assert load("translations/en.json") == load("strings.json")


@pytest.mark.parametrize("language", ["ro"])
def test_same_key_paths(language: str) -> None:
    translated = dict(leaves(load(f"translations/{language}.json")))
    assert sorted(set(STRINGS) - set(translated)) == [], "missing in translation"
    assert sorted(set(translated) - set(STRINGS)) == [], "not in strings.json"


@pytest.mark.parametrize("language", ["en", "ro"])
def test_placeholders_match(language: str) -> None:
    translated = dict(leaves(load(f"translations/{language}.json")))
    wrong = {
        path: (sorted(PLACEHOLDER.findall(text)), sorted(PLACEHOLDER.findall(STRINGS[path])))
        for path, text in translated.items()
        if path in STRINGS
        and set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(STRINGS[path]))
    }
    assert wrong == {}


@pytest.mark.parametrize(
    "relative", ["strings.json", "translations/en.json", "translations/ro.json"]
)
def test_no_key_references_and_no_empty_values(relative: str) -> None:
    values = dict(leaves(load(relative)))
    assert [path for path, text in values.items() if "[%key:" in text] == []
    assert [path for path, text in values.items() if not text.strip()] == []


def test_romanian_uses_comma_below() -> None:
    values = dict(leaves(load("translations/ro.json")))
    assert [path for path, text in values.items() if set(text) & set(CEDILLA_LETTERS)] == []


def test_each_service_form_names_only_its_own_service() -> None:
    """A gateway's errors never mention SMSLink or Plasgate, and each account's only its own."""
    strings = load("strings.json")
    errors = {**strings["config"]["error"], **strings["options"]["error"]}
    others = {"smslink": ("Plasgate",), "plasgate": ("SMSLink",), "cloud": (), "": ("SMSLink",)}
    assert {"smslink_invalid_auth", "plasgate_invalid_auth", "cloud_cannot_connect"} <= set(errors)
    for key, text in errors.items():
        owner = key.split("_", 1)[0] if key.startswith(("smslink_", "plasgate_", "cloud_")) else ""
        for other in (*others[owner], *(("Plasgate",) if owner == "" else ())):
            assert other not in text, f"{key} names {other}: {text}"
