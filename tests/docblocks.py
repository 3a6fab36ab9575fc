"""Run the code of a Markdown page as it is written: its ```python blocks, in order, in one
namespace. A block's info string says when it runs: ``setup`` (paths the reader adapts; the
test gives its own afterwards), nothing (offline), ``online`` (needs a login)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

BLOCK = re.compile(r"^```python(?P<kind>[ \w]*)\n(?P<code>.*?)^```", re.M | re.S)


def blocks(page: Path) -> list[tuple[str, str]]:
    return [(m.group("kind").strip(), m.group("code")) for m in BLOCK.finditer(page.read_text())]


def run(page: Path, kinds: set[str], overrides: dict[str, Any]) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "docs"}
    found = blocks(page)
    assert found, f"no code in {page}"
    for kind, code in found:
        if kind == "setup":
            exec(compile(code, f"{page.name}:setup", "exec"), namespace)
            namespace.update(overrides)
        elif kind in kinds:
            exec(compile(code, f"{page.name}:{kind or 'offline'}", "exec"), namespace)
    return namespace
