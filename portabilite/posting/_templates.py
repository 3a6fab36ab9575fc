"""The redirect message: templates in French and English, fitted to each network's limit.

A template is lines of text with ``{bluesky}``, ``{mastodon}``, ``{website}``, ``{x_handle}``
placeholders. A line whose placeholder has no value is left out (no Mastodon account: no
Mastodon line). Lines marked ``?`` at the start are optional: they go first when the text is too
long for a network. Users edit the templates as files (``portabilite post compose --template``,
or ``templates/redirect.<lang>.txt`` in the config folder).
"""

from __future__ import annotations

import os
import string
from pathlib import Path

from .._reasons import because
from ..errors import PortabiliteError
from ._text import BLUESKY_LIMIT, X_LIMIT, bluesky_length, mastodon_length, x_length

__all__ = ["DEFAULT_TEMPLATES", "PLACEHOLDERS", "load_template", "compose", "PostError"]

PLACEHOLDERS = ("bluesky", "mastodon", "website", "x_handle")

DEFAULT_TEMPLATES = {
    "en": "\n".join(
        [
            "I am moving: from now on you will find me here.",
            "Bluesky: @{bluesky}",
            "Mastodon: @{mastodon}",
            "?Website: {website}",
            "?This account (@{x_handle}) stays open only to point the way.",
        ]
    ),
    "fr": "\n".join(
        [
            "Je déménage : désormais, retrouvez-moi ici.",
            "Bluesky : @{bluesky}",
            "Mastodon : @{mastodon}",
            "?Site : {website}",
            "?Ce compte (@{x_handle}) reste ouvert seulement pour indiquer le chemin.",
        ]
    ),
}


class PostError(PortabiliteError):
    """A post cannot be made as asked (too long, nothing to say, unknown id)."""


def _config_dir() -> Path:
    env = os.environ.get("PORTABILITE_CONFIG_DIR")
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_config_path("portabilite")


def load_template(lang: str, path: str | os.PathLike[str] | None = None) -> str:
    """The template to use: ``path``, else the user's own file for ``lang``, else ours."""
    candidates = [Path(path)] if path else [_config_dir() / "templates" / f"redirect.{lang}.txt"]
    for candidate in candidates:
        try:
            return candidate.read_text(encoding="utf-8").rstrip("\n")
        except FileNotFoundError:
            if path:
                raise PostError("post.template_missing", file=str(candidate)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PostError(
                "post.template_unreadable", file=str(candidate), reason=because(exc)
            ) from None
    return DEFAULT_TEMPLATES[lang]


def _fields(line: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(line) if name}


def _render(template: str, values: dict[str, str | None], keep_optional: int) -> str:
    lines = []
    optional_seen = 0
    for line in template.splitlines():
        optional = line.startswith("?")
        text = line[1:] if optional else line
        if any(not values.get(name) for name in _fields(text)):
            continue
        if optional:
            optional_seen += 1
            if optional_seen > keep_optional:  # the last optional lines go first
                continue
        lines.append(text.format(**{k: v or "" for k, v in values.items()}))
    return "\n".join(lines).strip()


def compose(
    template: str,
    *,
    bluesky: str | None,
    mastodon: str | None,
    website: str | None = None,
    x_handle: str | None = None,
    mastodon_limit: int = 500,
) -> dict[str, str]:
    """The message for each network, each within its limit (dropping optional lines, last
    first, where needed). Raises ``PostError`` if even the shortest form is too long."""
    unknown = _fields(template.replace("?", "")) - set(PLACEHOLDERS)
    if unknown:
        raise PostError(
            "post.template_placeholder", name=sorted(unknown)[0], known=", ".join(PLACEHOLDERS)
        )
    if not bluesky and not mastodon:
        raise PostError("post.nothing_to_say")
    values = {
        "bluesky": bluesky.lstrip("@") if bluesky else None,
        "mastodon": mastodon.lstrip("@") if mastodon else None,
        "website": website,
        "x_handle": x_handle.lstrip("@") if x_handle else None,
    }
    optional = sum(1 for line in template.splitlines() if line.startswith("?"))
    limits = {
        "x": (x_length, X_LIMIT),
        "bluesky": (bluesky_length, BLUESKY_LIMIT),
        "mastodon": (mastodon_length, mastodon_limit),
    }
    out = {}
    for network, (measure, limit) in limits.items():
        for keep in range(optional, -1, -1):
            text = _render(template, values, keep)
            if measure(text) <= limit:
                out[network] = text
                break
        else:
            raise PostError(
                "post.too_long",
                network=network,
                limit=limit,
                length=measure(_render(template, values, 0)),
            )
    return out
