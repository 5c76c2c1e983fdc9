"""Declare components and their public interface in a TOML configuration, by editing text.

Conservative: every byte not about the components changed stays as it was (comments,
order, formatting), and the result is parsed back: it must say exactly what the file said
before plus the change, or :class:`ConfigEditError` says what to write by hand instead.

- a component not declared yet is appended as ``[<prefix>components.NAME]`` with
  ``modules`` and ``public``;
- a component declared as a table gets its ``public`` line set (replaced, or added after
  the table's last line);
- a component declared as ``NAME = [...]`` under ``[<prefix>components]`` keeps its value
  text, as ``NAME.modules = [...]``, followed by ``NAME.public = [...]`` (TOML dotted keys).

``prefix`` is ``"tool.seamfinder."`` in a pyproject.toml and ``""`` in a seamfinder.toml.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Sequence
from typing import Any

from seamfinder.config.settings import ComponentSpec
from seamfinder.core.errors import SeamfinderError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

PYPROJECT_PREFIX = "tool.seamfinder."
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_MAX_VALUE_LINES = 500
_LINE_LIMIT = 88


class ConfigEditError(SeamfinderError):
    """The configuration cannot be edited safely; the message says what to add by hand."""


def declare_components(text: str, prefix: str, specs: Sequence[ComponentSpec]) -> str:
    """``text`` with each of ``specs`` declared (modules, and public when it has some)."""

    data = _parse(text, "the configuration")
    expected = copy.deepcopy(data)
    for spec in specs:
        current = _components(data, prefix).get(spec.name)
        wanted: dict[str, Any] = {"modules": list(spec.modules)}
        if spec.public:
            wanted["public"] = list(spec.public)
        if _as_table(current) == wanted:
            continue
        if current is None:
            text = _append_table(text, prefix, spec)
        elif isinstance(current, dict) and list(current.get("modules", ())) == wanted["modules"]:
            text = _set_public(text, prefix, spec)
        elif isinstance(current, list) and current == wanted["modules"]:
            text = _split_list(text, prefix, spec)
        else:
            raise _by_hand(prefix, spec, "its modules differ from the ones declared")
        _components(expected, prefix, create=True)[spec.name] = {
            **_as_table(current),
            **wanted,
        }
    result = _parse(text, "the edited configuration")
    if result != expected:
        raise _by_hand(prefix, specs[0], "the edit would change more than the components")
    return text


def _parse(text: str, what: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        raise ConfigEditError(f"{what} is not valid TOML: {exc}") from None


def _components(data: dict[str, Any], prefix: str, create: bool = False) -> dict[str, Any]:
    node: Any = data
    for part in [*prefix.split(".")[:-1], "components"] if prefix else ["components"]:
        if not isinstance(node, dict):
            return {}
        if part not in node:
            if not create:
                return {}
            node[part] = {}
        node = node[part]
    return node if isinstance(node, dict) else {}


def _as_table(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        return {"modules": value}
    return dict(value) if isinstance(value, dict) else {}


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else json.dumps(name)


def _array(values: Sequence[str], indent: str = "") -> str:
    flat = "[" + ", ".join(json.dumps(v) for v in values) + "]"
    if len(indent) + len(flat) <= _LINE_LIMIT:
        return flat
    return "[\n" + "".join(f"{indent}    {json.dumps(v)},\n" for v in values) + f"{indent}]"


def _append_table(text: str, prefix: str, spec: ComponentSpec) -> str:
    block = [f"[{prefix}components.{_key(spec.name)}]", f"modules = {_array(spec.modules)}"]
    if spec.public:
        block.append(f"public = {_array(spec.public)}")
    lead = "" if not text.strip() else ("\n" if text.endswith("\n") else "\n\n")
    return text + lead + "\n".join(block) + "\n"


def _header(line: str) -> str | None:
    """``[a.b]`` -> ``a.b`` (spaces and comment dropped); None if not a table header."""

    code = line.split("#", 1)[0].strip()
    if code.startswith("[") and not code.startswith("[[") and code.endswith("]"):
        return "".join(code[1:-1].split())
    return None


def _table_span(lines: list[str], name: str) -> tuple[int, int] | None:
    """Lines [start, end) of the table ``name``'s body, after its header."""

    for index, line in enumerate(lines):
        if _header(line) == name:
            end = index + 1
            while end < len(lines) and _header(lines[end]) is None:
                end += 1
            return index + 1, end
    return None


def _value_end(lines: list[str], start: int) -> int:
    """The line after the key/value pair starting at ``start`` (which may span lines)."""

    for end in range(start + 1, min(len(lines), start + _MAX_VALUE_LINES) + 1):
        try:
            tomllib.loads("".join(lines[start:end]))
        except tomllib.TOMLDecodeError:
            continue
        return end
    raise ConfigEditError(f"cannot tell where the value on line {start + 1} ends")


def _find_key(lines: list[str], span: tuple[int, int], key: str) -> int | None:
    pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
    return next((i for i in range(*span) if pattern.match(lines[i])), None)


def _set_public(text: str, prefix: str, spec: ComponentSpec) -> str:
    lines = text.splitlines(keepends=True)
    span = _table_span(lines, f"{prefix}components.{_key(spec.name)}")
    if span is None:
        raise _by_hand(prefix, spec, "it is not declared as a table of its own")
    new = f"public = {_array(spec.public)}\n"
    at = _find_key(lines, span, "public")
    if at is not None:
        lines[at : _value_end(lines, at)] = [new]
    else:
        last = max(
            (i for i in range(*span) if lines[i].strip() and not lines[i].lstrip().startswith("#")),
            default=span[0] - 1,
        )
        if last >= 0 and not lines[last].endswith("\n"):
            lines[last] += "\n"
        lines.insert(last + 1, new)
    return "".join(lines)


def _split_list(text: str, prefix: str, spec: ComponentSpec) -> str:
    lines = text.splitlines(keepends=True)
    span = _table_span(lines, f"{prefix}components")
    key = _key(spec.name)
    at = _find_key(lines, span, key) if span is not None else None
    if at is None:
        raise _by_hand(prefix, spec, f"{key} = [...] is not found under [{prefix}components]")
    end = _value_end(lines, at)
    lines[at] = re.sub(rf"^(\s*){re.escape(key)}(\s*=)", rf"\g<1>{key}.modules\g<2>", lines[at])
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    if not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines.insert(end, f"{indent}{key}.public = {_array(spec.public)}\n")
    return "".join(lines)


def _by_hand(prefix: str, spec: ComponentSpec, why: str) -> ConfigEditError:
    return ConfigEditError(
        f"cannot declare {spec.name}'s public interface in the configuration ({why}); "
        f"add it by hand: [{prefix}components.{_key(spec.name)}] "
        f"modules = {_array(spec.modules)} public = {_array(spec.public)}"
    )
