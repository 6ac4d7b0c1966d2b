"""What hassfest and the HACS action check, checked here first, from their published rules.

hassfest (home-assistant/actions/hassfest) runs home-assistant/core's script/hassfest plugins on
the integration: translations.py (strings.json and translations/en.json), icons.py, services.py,
manifest.py. The HACS action (hacs/action) runs hacs/integration's custom_components/hacs/validate
checks, with the schemas of custom_components/hacs/utils/validate.py. The rules are re-stated here
in our own code, some stricter than the originals (any `scheme://` counts as a URL, not only a
well-formed address; every translation file is held to strings.json's rules).

Plain pytest: no Home Assistant fixtures; only the selector validator comes from Home Assistant.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
import json
from pathlib import Path
import re
import string
from typing import Any

from homeassistant.const import Platform
from homeassistant.helpers import selector
import pytest
import yaml

ROOT = Path(__file__).parents[1]
DOMAIN = "sms_gateway"
COMPONENT = ROOT / "custom_components" / DOMAIN
TRANSLATION_FILES = sorted((COMPONENT / "translations").glob("*.json"))
ALL_STRING_FILES = [COMPONENT / "strings.json", *TRANSLATION_FILES]

# Which modules show the config flow's steps and which the options flow's.
CONFIG_FLOW_MODULES = (
    "config_flow.py",
    "gateway/flow.py",
    "accounts/flow.py",
    "accounts/login.py",
    "routes/flow.py",
)
OPTIONS_FLOW_MODULES = ("gateway/options_flow.py", "accounts/options_flow.py", "routes/flow.py")
REPAIRS_MODULE = "repairs.py"


def _load_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _load_yaml(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _leaves(tree: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every non-mapping value of a JSON tree, with its key path."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _leaves(value, (*path, key))
    else:
        yield path, tree


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _placeholders(text: str) -> list[str]:
    """The {names} a translation uses; `{{` and `}}` are literal braces."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _file_id(path: Path) -> str:
    return str(path.relative_to(COMPONENT))


# --- translations: hassfest translations.py -------------------------------------------------

# Any scheme followed by :// (http, https, ftp, mqtt, ...) or a www. host. hassfest looks for a
# scheme from its own list, or www., followed by a host name with a top-level domain; this is wider
# on purpose: an address with an IP host, or a bare scheme, is no more welcome.
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://|\bwww\.[a-z0-9]", re.IGNORECASE)
HTML_TAG = re.compile(r"<[a-z].*?>", re.IGNORECASE)
SINGLE_QUOTED_PLACEHOLDER = re.compile(r"'\{\w+\}'")
# A [%key:...%] reference has to be the whole string: one combined with text is refused.
COMBINED_REFERENCE = re.compile(r".\[%|%\].")
TRANSLATION_KEY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


def _is_translation_key(key: str) -> bool:
    """hassfest's translation key: [a-z0-9-_]+, no - or _ at either end, none doubled."""
    return (
        bool(key)
        and set(key) <= TRANSLATION_KEY_CHARACTERS
        and key[0] not in "-_"
        and key[-1] not in "-_"
        and not any(a in "-_" and b in "-_" for a, b in pairwise(key))
    )


def _is_slug(key: str) -> bool:
    """Home Assistant's slug for a key: lowercase letters, digits and single inner underscores."""
    return bool(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", key))


def _no_placeholders_allowed(path: tuple[str, ...]) -> bool:
    """Entity states, state attribute names and states, and units take no placeholders."""
    if path[0] != "entity":
        return False
    return "state" in path or "state_attributes" in path or path[-1] == "unit_of_measurement"


def value_problems(path: tuple[str, ...], value: Any) -> list[str]:
    """What hassfest's translation value validator would refuse in one string."""
    where = _dotted(path)
    if not isinstance(value, str):
        return [f"{where}: not a string"]
    problems = []
    if URL.search(value):
        problems.append(f"{where}: contains a URL; pass it as a description placeholder")
    if HTML_TAG.search(value):
        problems.append(f"{where}: contains HTML")
    if SINGLE_QUOTED_PLACEHOLDER.search(value):
        problems.append(f"{where}: placeholder inside single quotes")
    if COMBINED_REFERENCE.search(value):
        problems.append(f"{where}: a [%key:...%] reference combined with text")
    if value != value.strip():
        problems.append(f"{where}: leading or trailing whitespace")
    try:
        names = _placeholders(value)
    except ValueError as err:
        return [*problems, f"{where}: unbalanced braces ({err})"]
    problems += [
        f"{where}: placeholder {{{n}}} is not an identifier" for n in names if not n.isidentifier()
    ]
    if names and _no_placeholders_allowed(path):
        problems.append(f"{where}: placeholders are not allowed here")
    return problems


def url_problems(tree: dict[str, Any]) -> list[str]:
    return [
        f"{_dotted(path)}: {value!r}"
        for path, value in _leaves(tree)
        if isinstance(value, str) and URL.search(value)
    ]


STEP_KEYS = {
    "title",
    "description",
    "data",
    "data_description",
    "menu_options",
    "menu_option_descriptions",
    "submit",
    "sections",
}
SECTION_TRANSLATION_KEYS = {"name", "description", "data", "data_description"}
FLOW_KEYS = {"flow_title", "step", "error", "abort", "progress", "create_entry", "initiate_flow"}
TOP_LEVEL_KEYS = {
    "title",
    "config",
    "config_subentries",
    "options",
    "preview_features",
    "selector",
    "device_automation",
    "system_health",
    "config_panel",
    "application_credentials",
    "issues",
    "entity_component",
    "device",
    "entity",
    "exceptions",
    "services",
    "conditions",
    "triggers",
    "conversation",
    "common",
}
ENTITY_KEYS = {"name", "state", "state_attributes", "unit_of_measurement"}


def _flow_problems(section: str, flow: dict[str, Any]) -> list[str]:
    problems = [f"{section}.{key}: unknown key" for key in set(flow) - FLOW_KEYS]
    if "step" not in flow:
        problems.append(f"{section}: no step")
    for step_id, step in flow.get("step", {}).items():
        where = f"{section}.step.{step_id}"
        problems += [f"{where}.{key}: unknown key" for key in set(step) - STEP_KEYS]
        problems += _data_description_problems(where, step)
        for name, form_section in step.get("sections", {}).items():
            problems += [
                f"{where}.sections.{name}.{key}: unknown key"
                for key in set(form_section) - SECTION_TRANSLATION_KEYS
            ]
            problems += _data_description_problems(f"{where}.sections.{name}", form_section)
    return problems


def _data_description_problems(where: str, form: dict[str, Any]) -> list[str]:
    """hassfest: every data_description key is a key of data (we ask it of sections too)."""
    data = form.get("data", {})
    return [
        f"{where}.data_description.{key}: not in data"
        for key in form.get("data_description", {})
        if key not in data
    ]


def _entity_problems(entity: dict[str, Any]) -> list[str]:
    problems = []
    for platform, keys in entity.items():
        if not _is_slug(platform):
            problems.append(f"entity.{platform}: not a slug")
        for key, translation in keys.items():
            where = f"entity.{platform}.{key}"
            if not _is_translation_key(key):
                problems.append(f"{where}: invalid translation key")
            problems += [f"{where}.{k}: unknown key" for k in set(translation) - ENTITY_KEYS]
            problems += [
                f"{where}.state.{state}: invalid translation key"
                for state in translation.get("state", {})
                if not _is_translation_key(state)
            ]
            for attribute, attribute_translation in translation.get("state_attributes", {}).items():
                if not _is_translation_key(attribute):
                    problems.append(
                        f"{where}.state_attributes.{attribute}: invalid translation key"
                    )
                problems += [
                    f"{where}.state_attributes.{attribute}.state.{state}: invalid translation key"
                    for state in attribute_translation.get("state", {})
                    if not _is_translation_key(state)
                ]
    return problems


def _services_problems(services: dict[str, Any]) -> list[str]:
    problems = []
    for service, translation in services.items():
        where = f"services.{service}"
        if not _is_translation_key(service):
            problems.append(f"{where}: invalid translation key")
        problems += [
            f"{where}.{key}: missing" for key in ("name", "description") if key not in translation
        ]
        for name, field_translation in translation.get("fields", {}).items():
            if not _is_translation_key(name):
                problems.append(f"{where}.fields.{name}: invalid translation key")
            problems += [
                f"{where}.fields.{name}.{key}: missing"
                for key in ("name", "description")
                if key not in field_translation
            ]
    return problems


def structure_problems(tree: dict[str, Any]) -> list[str]:
    """The shape hassfest's strings schema gives strings.json (the parts this integration uses)."""
    problems = [f"{key}: unknown top-level key" for key in set(tree) - TOP_LEVEL_KEYS]
    for section in ("config", "options"):
        if section in tree:
            problems += _flow_problems(section, tree[section])
    problems += _entity_problems(tree.get("entity", {}))
    problems += _services_problems(tree.get("services", {}))
    for key, exception in tree.get("exceptions", {}).items():
        if not _is_slug(key):
            problems.append(f"exceptions.{key}: not a slug")
        problems += [f"exceptions.{key}.{k}: unknown key" for k in set(exception) - {"message"}]
    for key, issue in tree.get("issues", {}).items():
        if "title" not in issue:
            problems.append(f"issues.{key}: no title")
        if ("description" in issue) == ("fix_flow" in issue):
            problems.append(f"issues.{key}: needs exactly one of description and fix_flow")
    for key, translated in tree.get("selector", {}).items():
        problems += [
            f"selector.{key}.options.{option}: invalid translation key"
            for option in translated.get("options", {})
            if not _is_translation_key(option)
        ]
    return problems


@pytest.mark.parametrize("path", ALL_STRING_FILES, ids=_file_id)
def test_no_url_in_translation_strings(path: Path) -> None:
    """hassfest: "the string should not contain URLs, please use description placeholders"."""
    assert url_problems(_load_json(path)) == []


@pytest.mark.parametrize("path", ALL_STRING_FILES, ids=_file_id)
def test_translation_values_pass_hassfest(path: Path) -> None:
    tree = _load_json(path)
    assert [p for leaf in _leaves(tree) for p in value_problems(*leaf)] == []


@pytest.mark.parametrize("path", ALL_STRING_FILES, ids=_file_id)
def test_translation_structure_passes_hassfest(path: Path) -> None:
    assert structure_problems(_load_json(path)) == []


def test_english_is_a_literal_copy_of_strings() -> None:
    """Custom integrations load translations/en.json; hassfest validates it like strings.json."""
    english = COMPONENT / "translations" / "en.json"
    assert english.read_bytes() == (COMPONENT / "strings.json").read_bytes()


def key_and_placeholder_problems(source: dict[str, Any], translated: dict[str, Any]) -> list[str]:
    """Keys present in one file and not the other, and strings whose {placeholders} differ."""
    ours = dict(_leaves(source))
    theirs = dict(_leaves(translated))
    problems = [f"{_dotted(p)}: missing in the translation" for p in ours.keys() - theirs.keys()]
    problems += [f"{_dotted(p)}: not in strings.json" for p in theirs.keys() - ours.keys()]
    for path in ours.keys() & theirs.keys():
        want, got = ours[path], theirs[path]
        if not (isinstance(want, str) and isinstance(got, str)):
            continue
        try:
            if set(_placeholders(want)) != set(_placeholders(got)):
                problems.append(
                    f"{_dotted(path)}: placeholders {sorted(set(_placeholders(got)))}"
                    f" instead of {sorted(set(_placeholders(want)))}"
                )
        except ValueError as err:
            problems.append(f"{_dotted(path)}: unbalanced braces ({err})")
    return sorted(problems)


@pytest.mark.parametrize("path", TRANSLATION_FILES, ids=_file_id)
def test_translation_has_the_keys_and_placeholders_of_strings(path: Path) -> None:
    strings = _load_json(COMPONENT / "strings.json")
    assert key_and_placeholder_problems(strings, _load_json(path)) == []


def test_there_is_more_than_english() -> None:
    """The parametrised checks above must have a translation other than English to look at."""
    assert {p.name for p in TRANSLATION_FILES} >= {"en.json", "ro.json"}


# --- placeholders the code passes -----------------------------------------------------------


@dataclass
class Passed:
    """Placeholders some call passes; keys None when the code builds them in a way not followed."""

    target: str | re.Pattern[str] | None  # a step id, translation key, or pattern; None: unknown
    keys: set[str] | None
    where: str

    def matches(self, name: str) -> bool:
        if self.target is None:
            return True
        if isinstance(self.target, re.Pattern):
            return self.target.fullmatch(name) is not None
        return self.target == name


@dataclass
class CodePlaceholders:
    """Which placeholders the integration's code passes, per kind of call."""

    forms: dict[str, list[Passed]] = field(default_factory=dict)  # module -> show_form/menu
    aborts: dict[str, list[Passed]] = field(default_factory=dict)  # module -> async_abort
    raised: list[Passed] = field(default_factory=list)  # translation_placeholders, exceptions
    issues: list[Passed] = field(default_factory=list)  # async_create_issue


def _module_constants(trees: dict[str, ast.Module]) -> dict[str, str]:
    """Module-level NAME = "text" (with or without a type), from every module."""
    constants: dict[str, str] = {}
    for tree in trees.values():
        for node in tree.body:
            target = value = None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign):
                target, value = node.target, node.value
            if (
                isinstance(target, ast.Name)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                constants[target.id] = value.value
    return constants


def _literal_keys(node: ast.expr) -> set[str] | None:
    """The keys of a dict display or dict(...) call, if they are all plain strings."""
    if isinstance(node, ast.Dict):
        keys = set()
        for key in node.keys:
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return None  # ** unpacking or a computed key
            keys.add(key.value)
        return keys
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        if node.args or any(keyword.arg is None for keyword in node.keywords):
            return None
        return {str(keyword.arg) for keyword in node.keywords}
    if isinstance(node, ast.Constant) and node.value is None:
        return set()
    return None


def _keys_of_name(name: str, function: ast.AST) -> set[str] | None:
    """Keys a local dict gets in its function (dict display, item stores); None past that."""
    keys: set[str] = set()
    assigned = False
    for node in ast.walk(function):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id == name and node.value is not None:
                    found = _literal_keys(node.value)
                    if found is None:
                        return None
                    keys |= found
                    assigned = True
                elif (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == name
                ):
                    if not (
                        isinstance(target.slice, ast.Constant)
                        and isinstance(target.slice.value, str)
                    ):
                        return None
                    keys.add(target.slice.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
            and node.func.attr == "update"
        ):
            return None
    return keys if assigned else None


def _resolve_keys(node: ast.expr, function: ast.AST | None) -> set[str] | None:
    literal = _literal_keys(node)
    if literal is not None or function is None:
        return literal
    if isinstance(node, ast.Name):
        return _keys_of_name(node.id, function)
    return None


def _resolve_target(
    node: ast.expr | None, constants: dict[str, str]
) -> str | re.Pattern[str] | None:
    """A step id or translation key: a string, a constant's value, or an f-string pattern."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    if isinstance(node, ast.JoinedStr):
        pattern = "".join(
            re.escape(str(part.value)) if isinstance(part, ast.Constant) else "[a-z0-9_]+"
            for part in node.values
        )
        return re.compile(pattern)
    return None


def _functions_and_calls(tree: ast.Module) -> Iterator[tuple[ast.AST | None, ast.Call]]:
    """Every call with the innermost function around it (None at module level)."""

    def visit(node: ast.AST, function: ast.AST | None) -> Iterator[tuple[ast.AST | None, ast.Call]]:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Call):
                yield function, child
            yield from visit(child, inner)

    yield from visit(tree, None)


def code_placeholders(component: Path) -> CodePlaceholders:
    trees = {
        path.relative_to(component).as_posix(): ast.parse(
            path.read_text(encoding="utf-8"), filename=str(path)
        )
        for path in sorted(component.rglob("*.py"))
    }
    constants = _module_constants(trees)
    found = CodePlaceholders()
    for module, tree in trees.items():
        for function, call in _functions_and_calls(tree):
            name = call.func.attr if isinstance(call.func, ast.Attribute) else None
            if isinstance(call.func, ast.Name):
                name = call.func.id
            keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
            where = f"{module}:{call.lineno}"
            if name in {"async_show_form", "async_show_menu", "async_abort"}:
                passed = keywords.get("description_placeholders")
                keys = set() if passed is None else _resolve_keys(passed, function)
                target_node = keywords.get("reason" if name == "async_abort" else "step_id")
                entry = Passed(_resolve_target(target_node, constants), keys, where)
                kind = found.aborts if name == "async_abort" else found.forms
                kind.setdefault(module, []).append(entry)
            elif "translation_placeholders" in keywords or "translation_key" in keywords:
                passed = keywords.get("translation_placeholders")
                keys = set() if passed is None else _resolve_keys(passed, function)
                entry = Passed(
                    _resolve_target(keywords.get("translation_key"), constants), keys, where
                )
                (found.issues if name == "async_create_issue" else found.raised).append(entry)
    return found


def _needed(text: str) -> set[str]:
    return set(_placeholders(text))


def _check_against(name: str, needed: set[str], calls: list[Passed], what: str) -> list[str]:
    """needed must be covered by the calls that target name (any unfollowed call covers all)."""
    matching = [call for call in calls if call.matches(name)]
    if not needed:
        return []
    if not matching:
        return [f"{what}: uses {sorted(needed)} but no code shows it with placeholders"]
    if any(call.keys is None for call in matching):
        return []
    passed = set().union(*(call.keys or set() for call in matching))
    if missing := needed - passed:
        return [f"{what}: {sorted(missing)} never passed (calls: {[c.where for c in matching]})"]
    return []


def _flow_placeholder_problems(
    section: str, flow: dict[str, Any], forms: list[Passed], aborts: list[Passed]
) -> list[str]:
    problems = []
    for step_id, step in flow.get("step", {}).items():
        needed = {name for _, text in _leaves(step) for name in _needed(text)}
        problems += _check_against(step_id, needed, forms, f"{section}.step.{step_id}")
    # An error shows on whichever step's form has it, with that step's placeholders.
    every_form_key = set().union(*(c.keys or set() for c in forms)) if forms else set()
    unfollowed = any(c.keys is None for c in forms)
    for error, text in flow.get("error", {}).items():
        if (missing := _needed(text) - every_form_key) and not unfollowed:
            problems.append(f"{section}.error.{error}: {sorted(missing)} passed by no form")
    for reason, text in flow.get("abort", {}).items():
        problems += _check_against(reason, _needed(text), aborts, f"{section}.abort.{reason}")
    return problems


def placeholder_problems(strings: dict[str, Any], code: CodePlaceholders) -> list[str]:
    problems = []
    for section, modules in (("config", CONFIG_FLOW_MODULES), ("options", OPTIONS_FLOW_MODULES)):
        forms = [call for module in modules for call in code.forms.get(module, [])]
        aborts = [call for module in modules for call in code.aborts.get(module, [])]
        problems += _flow_placeholder_problems(section, strings.get(section, {}), forms, aborts)
    for key, exception in strings.get("exceptions", {}).items():
        needed = _needed(exception.get("message", ""))
        problems += _check_against(key, needed, code.raised, f"exceptions.{key}")
    # A fix flow's texts get the issue's placeholders (ConfirmRepairFlow) or its own form's.
    repair_forms = code.forms.get(REPAIRS_MODULE, [])
    for key, issue in strings.get("issues", {}).items():
        shown = {part: text for part, text in issue.items() if part != "fix_flow"}
        needed = {name for _, text in _leaves(shown) for name in _needed(text)}
        problems += _check_against(key, needed, code.issues, f"issues.{key}")
        for step, texts in issue.get("fix_flow", {}).get("step", {}).items():
            needed = {name for _, text in _leaves(texts) for name in _needed(text)}
            issue_calls = [call for call in code.issues if call.matches(key)]
            step_calls = [call for call in repair_forms if call.matches(step)]
            where = f"issues.{key}.fix_flow.step.{step}"
            passed = {name for call in (*issue_calls, *step_calls) for name in call.keys or ()}
            if needed - passed and not any(call.keys is None for call in step_calls):
                problems.append(f"{where}: {sorted(needed - passed)} never passed")
    return problems


def test_flow_modules_exist() -> None:
    """The module lists above still name the flow modules."""
    for module in (*CONFIG_FLOW_MODULES, *OPTIONS_FLOW_MODULES):
        assert (COMPONENT / module).is_file(), module


def test_every_placeholder_a_string_uses_is_passed_by_the_code() -> None:
    """A placeholder nobody passes shows up to the user as {name}."""
    strings = _load_json(COMPONENT / "strings.json")
    assert placeholder_problems(strings, code_placeholders(COMPONENT)) == []


def test_a_fix_flow_placeholder_nobody_passes_is_found() -> None:
    strings = _load_json(COMPONENT / "strings.json")
    step = strings["issues"]["push_not_configured"]["fix_flow"]["step"]["confirm"]
    step["description"] += " {nobody_passes_this}"

    problems = placeholder_problems(strings, code_placeholders(COMPONENT))

    assert problems == [
        "issues.push_not_configured.fix_flow.step.confirm: ['nobody_passes_this'] never passed"
    ]


def test_url_placeholders_are_passed_as_values() -> None:
    """The example addresses moved out of the strings arrive from the flow as placeholders."""
    code = code_placeholders(COMPONENT)
    passed = {key for calls in code.forms.values() for call in calls for key in call.keys or ()}
    assert {"example_host", "example_base_url"} <= passed


# --- icons.json: hassfest icons.py ----------------------------------------------------------


def icon_problems(icons: dict[str, Any]) -> list[str]:
    problems = [
        f"{key}: unknown top-level key"
        for key in set(icons) - {"entity", "services", "config", "options", "issues"}
    ]
    for path, value in _leaves(icons):
        if not (isinstance(value, str) and value.startswith("mdi:")):
            problems.append(f"{_dotted(path)}: {value!r} is not an mdi: icon")
    for platform, keys in icons.get("entity", {}).items():
        for key, icon in keys.items():
            where = f"entity.{platform}.{key}"
            if not _is_translation_key(key):
                problems.append(f"{where}: invalid translation key")
            problems += _state_icon_problems(where, icon)
            for attribute, attribute_icon in icon.get("state_attributes", {}).items():
                problems += _state_icon_problems(
                    f"{where}.state_attributes.{attribute}", attribute_icon
                )
    for service, icon in icons.get("services", {}).items():
        if not _is_translation_key(service):
            problems.append(f"services.{service}: invalid translation key")
        # The form Home Assistant's own icons.json files use: the action's icon under
        # "service", and optionally one per section under "sections".
        if not (
            isinstance(icon, dict) and "service" in icon and set(icon) <= {"service", "sections"}
        ):
            problems.append(f"services.{service}: want {{'service': 'mdi:...'}}")
    return problems


def _state_icon_problems(where: str, icon: dict[str, Any]) -> list[str]:
    """hassfest: a state icon equal to the default "is the same as the default icon"."""
    problems = [
        f"{where}.{key}: unknown key"
        for key in set(icon) - {"default", "state", "state_attributes", "range"}
    ]
    default = icon.get("default")
    for state, state_icon in icon.get("state", {}).items():
        if not _is_translation_key(state):
            problems.append(f"{where}.state.{state}: invalid translation key")
        if state_icon == default:
            problems.append(f"{where}.state.{state}: same icon as the default ({default})")
    return problems


def test_icons_pass_hassfest() -> None:
    assert icon_problems(_load_json(COMPONENT / "icons.json")) == []


def test_every_service_has_an_icon() -> None:
    """hassfest asks this of core integrations only; we keep to it too."""
    services = _load_yaml(COMPONENT / "services.yaml")
    icons = _load_json(COMPONENT / "icons.json").get("services", {})
    assert sorted(set(services) - set(icons)) == []
    assert sorted(set(icons) - set(services)) == []


# --- services.yaml: hassfest services.py ------------------------------------------------------

SERVICE_KEYS = {"name", "description", "target", "fields"}
FIELD_KEYS = {
    "name",
    "description",
    "example",
    "default",
    "required",
    "advanced",
    "selector",
    "filter",
}
SECTION_KEYS = {"name", "description", "collapsed", "fields"}


def _service_fields(service: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Fields, with those inside sections flattened (their keys are flat in strings.json)."""
    for name, value in (service.get("fields") or {}).items():
        if isinstance(value, dict) and "fields" in value:
            yield from value["fields"].items()
        else:
            yield name, value or {}


def services_problems(services: dict[str, Any], strings: dict[str, Any]) -> list[str]:
    problems = []
    translated = strings.get("services", {})
    for service, declared in services.items():
        where = f"services.yaml {service}"
        if not _is_slug(service):
            problems.append(f"{where}: not a slug")
        schema = declared or {}
        problems += [f"{where}.{key}: unknown key" for key in set(schema) - SERVICE_KEYS]
        translation = translated.get(service, {})
        problems += [
            f"{where}: no {key} in strings.json"
            for key in ("name", "description")
            if key not in schema and key not in translation
        ]
        names = [name for name, _ in _service_fields(schema)]
        if len(names) != len(set(names)):
            problems.append(f"{where}: a field used twice")
        for name, value in (schema.get("fields") or {}).items():
            if isinstance(value, dict) and "fields" in value:
                problems += [
                    f"{where}.{name}.{key}: unknown key" for key in set(value) - SECTION_KEYS
                ]
        for name, spec in _service_fields(schema):
            problems += _field_problems(f"{where}.{name}", spec, "target" in schema)
            field_translation = translation.get("fields", {}).get(name, {})
            problems += [
                f"{where}.{name}: no {key} in strings.json"
                for key in ("name", "description")
                if key not in spec and key not in field_translation
            ]
            problems += _selector_translation_problems(f"{where}.{name}", spec, strings)
        problems += [
            f"strings.json services.{service}.fields.{name}: not in services.yaml"
            for name in translation.get("fields", {})
            if name not in names
        ]
    problems += [
        f"strings.json services.{service}: not in services.yaml"
        for service in translated
        if service not in services
    ]
    return problems


def _field_problems(where: str, spec: dict[str, Any], targeted: bool) -> list[str]:
    problems = [f"{where}.{key}: unknown key" for key in set(spec) - FIELD_KEYS]
    if "filter" in spec and not targeted:
        problems.append(f"{where}.filter: only a service with a target may filter its fields")
    problems += [
        f"{where}.{key}: empty"
        for key in ("example", "default")
        if key in spec and spec[key] is None
    ]
    if "selector" in spec:
        try:
            selector.validate_selector(spec["selector"])
        except Exception as err:  # noqa: BLE001 - vol.Invalid or a selector's own complaint
            problems.append(f"{where}.selector: {err}")
    return problems


def _selector_translation_problems(
    where: str, spec: dict[str, Any], strings: dict[str, Any]
) -> list[str]:
    """A select selector with a translation_key needs strings.json's selector.<key>.options."""
    select = (spec.get("selector") or {}).get("select") or {}
    key = select.get("translation_key")
    if key is None:
        return []
    options = strings.get("selector", {}).get(key, {}).get("options")
    if options is None:
        return [f"{where}: selector translation key {key} not in strings.json"]
    values = [o["value"] if isinstance(o, dict) else o for o in select.get("options", [])]
    return [
        f"{where}: option {value} has no translation" for value in values if value not in options
    ]


def test_services_pass_hassfest() -> None:
    """Every action and field is named and described in strings.json, selectors are valid."""
    services = _load_yaml(COMPONENT / "services.yaml")
    # hassfest reads a custom integration's translations from translations/en.json.
    for strings in ("strings.json", "translations/en.json"):
        assert services_problems(services, _load_json(COMPONENT / strings)) == [], strings


# --- manifest.json: hassfest manifest.py, HACS integration_manifest -------------------------

IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
INTEGRATION_TYPES = {"device", "entity", "hardware", "helper", "hub", "service", "system"}


def manifest_order_problems(manifest: dict[str, Any]) -> list[str]:
    """hassfest: "Manifest keys are not sorted correctly: domain, name, then alphabetical order"."""
    keys = list(manifest)
    rest = [key for key in keys if key not in {"domain", "name"}]
    wanted = [key for key in ("domain", "name") if key in manifest] + sorted(rest)
    return [] if keys == wanted else [f"keys {keys}, want {wanted}"]


def manifest_problems(manifest: dict[str, Any]) -> list[str]:
    problems = manifest_order_problems(manifest)
    if manifest.get("domain") != COMPONENT.name:
        problems.append("domain does not match the directory name")
    # hassfest's custom integration schema and HACS's INTEGRATION_MANIFEST_JSON_SCHEMA.
    required = ("domain", "name", "codeowners", "documentation", "issue_tracker", "version")
    problems += [f"{key}: missing" for key in required if not manifest.get(key)]
    problems += [
        f"{key}: not an https URL"
        for key in ("documentation", "issue_tracker")
        if not str(manifest.get(key, "")).startswith("https://")
    ]
    if not re.fullmatch(r"\d+(\.\d+){1,3}([.-]?[a-z0-9]+)*", str(manifest.get("version", ""))):
        problems.append("version: not a version")
    if manifest.get("iot_class") not in IOT_CLASSES:
        problems.append("iot_class: missing or unknown")
    if manifest.get("integration_type", "hub") not in INTEGRATION_TYPES:
        problems.append("integration_type: unknown")
    lists = ("codeowners", "requirements", "dependencies", "after_dependencies", "loggers")
    problems += [
        f"{key}: not a list" for key in lists if not isinstance(manifest.get(key, []), list)
    ]
    if set(manifest.get("dependencies", [])) & set(manifest.get("after_dependencies", [])):
        problems.append("a domain in both dependencies and after_dependencies")
    return problems


def test_manifest_passes_hassfest_and_hacs() -> None:
    assert manifest_problems(_load_json(COMPONENT / "manifest.json")) == []


# --- Python modules: hassfest config_schema.py and dependencies.py --------------------------

# Components hassfest lets any integration use without naming them in the manifest (entity
# platforms aside, which come from Platform).
ALWAYS_ALLOWED_COMPONENTS = {
    "alert", "automation", "conversation", "default_config", "device_automation", "frontend",
    "group", "homeassistant", "input_boolean", "input_button", "input_datetime", "input_number",
    "input_select", "input_text", "media_source", "onboarding", "panel_custom",
    "persistent_notification", "person", "script", "shopping_list", "sun", "system_health",
    "system_log", "timer", "webhook", "websocket_api", "zone", "mjpeg", "stream",
}  # fmt: skip


def config_schema_problems(init: ast.Module) -> list[str]:
    """hassfest: an integration with async_setup or setup defines a CONFIG_SCHEMA."""
    names = {
        node.name for node in init.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    if not names & {"async_setup", "setup"}:
        return []
    schemas = {"CONFIG_SCHEMA", "PLATFORM_SCHEMA", "PLATFORM_SCHEMA_BASE"}
    for node in init.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in schemas for t in node.targets
        ):
            return []
        if (
            isinstance(node, ast.AnnAssign | ast.AugAssign)
            and getattr(node.target, "id", "") in schemas
        ):
            return []
        if isinstance(node, ast.Import | ast.ImportFrom) and any(
            (alias.asname or alias.name) in schemas for alias in node.names
        ):
            return []
    return ["__init__.py has async_setup but no CONFIG_SCHEMA"]


def _referenced_components(tree: ast.Module) -> set[str]:
    """Components a module imports, leaving out `if TYPE_CHECKING:` blocks."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and getattr(child.test, "id", None) == "TYPE_CHECKING":
                continue
            if isinstance(child, ast.ImportFrom) and child.module:
                if child.module == "homeassistant.components":
                    found.update(alias.name for alias in child.names)
                elif child.module.startswith("homeassistant.components."):
                    found.add(child.module.split(".")[2])
            elif isinstance(child, ast.Import):
                found.update(
                    alias.name.split(".")[2]
                    for alias in child.names
                    if alias.name.startswith("homeassistant.components.")
                )
            visit(child)

    visit(tree)
    return found


def dependency_problems(
    component: Path, manifest: dict[str, Any], platforms: set[str]
) -> list[str]:
    """hassfest: "Using component X but it's not in 'dependencies' or 'after_dependencies'"."""
    allowed = (
        platforms
        | ALWAYS_ALLOWED_COMPONENTS
        | set(manifest.get("dependencies", []))
        | set(manifest.get("after_dependencies", []))
        | {component.name}
    )
    problems = []
    for path in sorted(component.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for domain in sorted(_referenced_components(tree) - allowed):
            # A platform of that component in this integration (diagnostics.py, ...) is fine.
            if (component / f"{domain}.py").is_file() or (component / domain).is_dir():
                continue
            problems.append(f"{path.relative_to(component)}: uses {domain}, not in the manifest")
    return problems


def test_async_setup_has_a_config_schema() -> None:
    init = ast.parse((COMPONENT / "__init__.py").read_text(encoding="utf-8"))
    assert config_schema_problems(init) == []


def test_components_used_are_in_the_manifest() -> None:
    manifest = _load_json(COMPONENT / "manifest.json")
    platforms = {platform.value for platform in Platform}
    assert dependency_problems(COMPONENT, manifest, platforms) == []


# --- hacs.json and the repository: HACS action -----------------------------------------------

# hacs/integration custom_components/hacs/utils/validate.py, HACS_MANIFEST_JSON_SCHEMA: these
# keys and no others.
HACS_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "content_in_root": bool,
    "country": (str, list),
    "filename": str,
    "hacs": str,
    "hide_default_branch": bool,
    "homeassistant": str,
    "persistent_directory": str,
    "render_readme": bool,
    "zip_release": bool,
}


def hacs_json_problems(hacs: dict[str, Any]) -> list[str]:
    problems = [f"{key}: HACS refuses this key" for key in sorted(set(hacs) - set(HACS_JSON_TYPES))]
    if "name" not in hacs:
        problems.append("name: missing")
    problems += [
        f"{key}: not {expected}"
        for key, expected in HACS_JSON_TYPES.items()
        if key in hacs and not isinstance(hacs[key], expected)
    ]
    if hacs.get("zip_release") and not hacs.get("filename"):
        problems.append("zip_release is true, but filename is not set")
    if "homeassistant" in hacs and not re.fullmatch(
        r"\d{4}\.\d{1,2}\.\d+", str(hacs["homeassistant"])
    ):
        problems.append("homeassistant: not a Home Assistant version")
    return problems


def test_hacs_json_has_only_keys_hacs_accepts() -> None:
    assert hacs_json_problems(_load_json(ROOT / "hacs.json")) == []


def test_repository_layout_passes_hacs() -> None:
    """One integration under custom_components, an information file, and a brand icon.

    HACS's brands check accepts brand/icon.png inside the integration (Home Assistant 2026.3
    serves it) as well as an entry in home-assistant/brands.
    """
    integrations = [
        p.name for p in (ROOT / "custom_components").iterdir() if (p / "manifest.json").is_file()
    ]
    assert integrations == [DOMAIN]
    assert any((ROOT / name).is_file() for name in ("README.md", "readme.md", "README", "info.md"))
    assert (COMPONENT / "brand" / "icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- quality_scale.yaml: hassfest quality_scale.py --------------------------------------------

QUALITY_SCALE_RULES = {
    # Bronze
    "action-setup", "appropriate-polling", "brands", "common-modules", "config-flow",
    "config-flow-test-coverage", "dependency-transparency", "docs-actions",
    "docs-high-level-description", "docs-installation-instructions", "docs-removal-instructions",
    "entity-event-setup", "entity-unique-id", "has-entity-name", "runtime-data",
    "test-before-configure", "test-before-setup", "unique-config-entry",
    # Silver
    "action-exceptions", "config-entry-unloading", "docs-configuration-parameters",
    "docs-installation-parameters", "entity-unavailable", "integration-owner",
    "log-when-unavailable", "parallel-updates", "reauthentication-flow", "test-coverage",
    # Gold
    "devices", "diagnostics", "discovery", "discovery-update-info", "docs-data-update",
    "docs-examples", "docs-known-limitations", "docs-supported-devices",
    "docs-supported-functions", "docs-troubleshooting", "docs-use-cases", "dynamic-devices",
    "entity-category", "entity-device-class", "entity-disabled-by-default",
    "entity-translations", "exception-translations", "icon-translations",
    "reconfiguration-flow", "repair-issues", "stale-devices",
    # Platinum
    "async-dependency", "inject-websession", "strict-typing",
}  # fmt: skip


def quality_scale_problems(scale: dict[str, Any]) -> list[str]:
    """hassfest only checks this file for core integrations; we hold ours to the same schema."""
    problems = [f"{key}: unknown top-level key" for key in set(scale) - {"rules"}]
    rules = scale.get("rules") or {}
    problems += [f"{rule}: not a quality scale rule" for rule in set(rules) - QUALITY_SCALE_RULES]
    problems += [f"{rule}: missing" for rule in QUALITY_SCALE_RULES - set(rules)]
    for rule, value in rules.items():
        if isinstance(value, dict):
            status = value.get("status")
            if set(value) - {"status", "comment"}:
                problems.append(f"{rule}: unknown key")
            if status == "exempt" and not value.get("comment"):
                problems.append(f"{rule}: exempt without a comment")
            if status not in {"todo", "done", "exempt"}:
                problems.append(f"{rule}: status {status!r}")
        elif value not in {"todo", "done"}:
            problems.append(f"{rule}: {value!r} (exempt needs status and comment)")
    return sorted(problems)


def test_quality_scale_is_well_formed() -> None:
    assert quality_scale_problems(_load_yaml(COMPONENT / "quality_scale.yaml")) == []
