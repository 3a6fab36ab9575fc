"""Write synthetic X archives, byte for byte in X's own formats.

For tests, benchmarks and the bundled example (here and in other migration tools): never real
people. ``ArchiveWriter`` holds an account's facts and writes them in any layout and
pretty-print style X has used, as a zip (optionally re-zipped the ways users do it: a wrapper
folder, backslashes, upper-case names) or a folder. Large lists are streamed to the zip, so a
1,000,000-follower archive does not need to fit in memory.

    writer = ArchiveWriter("1000000000000000001", "camille_exemple", "Camille Exemple")
    writer.following = ["2000000000000000001", ...]
    writer.add_tweet("3000000000000000001", "2024-05-01T10:00:00Z", "Bonjour @lea !",
                     mentions=[("2000000000000000001", "lea", "Léa")])
    writer.write_zip("archive.zip")
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

import orjson

__all__ = ["ArchiveWriter", "pretty"]

_RELATION_WRAPPERS = {
    "following": "following",
    "follower": "follower",
    "block": "blocking",
    "mute": "muting",
}
_FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _s(value: str) -> str:
    return orjson.dumps(value).decode()


def pretty(value: Any, style: str = "expanded", level: int = 0) -> str:
    """JSON the way X's Jackson printer writes it: ``"key" : value``, two-space indents.

    ``expanded`` (mid-2021 on) puts each array element on its own line; ``compact`` (2018 to
    mid-2021) opens arrays of objects inline: ``[ {`` ... ``}, {`` ... ``} ]``.
    """
    pad = "  " * level
    if isinstance(value, dict):
        if not value:
            return "{ }"
        inner = ",\n".join(
            f"{pad}  {_s(k)} : {pretty(v, style, level + 1)}" for k, v in value.items()
        )
        return "{\n" + inner + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[ ]"
        if style == "compact":
            if all(isinstance(v, dict) for v in value):
                return "[ " + ", ".join(pretty(v, style, level) for v in value) + " ]"
            return "[ " + ", ".join(pretty(v, style, level + 1) for v in value) + " ]"
        inner = ",\n".join(pad + "  " + pretty(v, style, level + 1) for v in value)
        return "[\n" + inner + "\n" + pad + "]"
    if isinstance(value, str):
        return _s(value)
    return orjson.dumps(value).decode()


def _iter_ytd(global_name: str, items: Iterable[Any], style: str) -> Iterator[str]:
    """A ``window.<global_name> = [...]`` file, element by element."""
    yield f"window.{global_name} = "
    first = True
    empty = True
    for item in items:
        empty = False
        if style == "compact":
            yield ("[ " if first else ", ") + pretty(item, style, 0)
        else:
            yield ("[\n  " if first else ",\n  ") + pretty(item, style, 1)
        first = False
    if empty:
        yield "[ ]"
    else:
        yield " ]" if style == "compact" else "\n]"


def _tweet_date(iso: str) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(timezone.utc)
    return moment.strftime("%a %b %d %H:%M:%S +0000 %Y")


@dataclass
class ArchiveWriter:
    account_id: str
    username: str
    display_name: str
    created_at: str = "2012-06-15T09:30:00.000Z"
    generated_at: str = "2026-10-01T08:00:00.000Z"
    bio: str = ""
    website: str = ""
    location: str = ""
    following: list[str] = field(default_factory=list)
    followers: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    mutes: list[str] = field(default_factory=list)
    lists_created: list[str] = field(default_factory=list)
    lists_member: list[str] = field(default_factory=list)
    lists_subscribed: list[str] = field(default_factory=list)
    screen_name_changes: list[tuple[str, str, str]] = field(default_factory=list)
    tweets: list[dict[str, Any]] = field(default_factory=list)

    # -- content ---------------------------------------------------------------------------
    def add_tweet(
        self,
        tweet_id: str,
        created_at: str,
        text: str,
        mentions: Iterable[tuple[str, str, str]] = (),
        reply_to: tuple[str, str] | None = None,
    ) -> dict[str, Any]:
        """A tweet as the 2022+ archive writes it; ``mentions`` are (id, screen name, name)."""
        tweet: dict[str, Any] = {
            "edit_info": {
                "initial": {
                    "editTweetIds": [tweet_id],
                    "editableUntil": created_at,
                    "editsRemaining": "5",
                    "isEditEligible": True,
                }
            },
            "retweeted": False,
            "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
            "entities": {
                "hashtags": [],
                "symbols": [],
                "urls": [],
                "user_mentions": [
                    {
                        "name": name,
                        "screen_name": screen,
                        "indices": ["0", str(len(screen) + 1)],
                        "id_str": x_id,
                        "id": x_id,
                    }
                    for x_id, screen, name in mentions
                ],
            },
            "display_text_range": ["0", str(len(text))],
            "favorite_count": "0",
            "id_str": tweet_id,
            "truncated": False,
            "retweet_count": "0",
            "id": tweet_id,
            "created_at": _tweet_date(created_at),
            "favorited": False,
            "full_text": text,
            "lang": "fr",
        }
        if reply_to is not None:
            tweet["in_reply_to_user_id"] = reply_to[0]
            tweet["in_reply_to_user_id_str"] = reply_to[0]
            tweet["in_reply_to_screen_name"] = reply_to[1]
        self.tweets.append(tweet)
        return tweet

    # -- files -----------------------------------------------------------------------------
    def _account_item(self, layout: str) -> dict[str, Any]:
        created = self.created_at
        if layout == "root-2018":
            moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
            created = str(int(moment.timestamp() * 1000))
        return {
            "account": {
                "email": "nobody@example.invalid",
                "createdVia": "web",
                "username": self.username,
                "accountId": self.account_id,
                "createdAt": created,
                "accountDisplayName": self.display_name,
            }
        }

    def _relation_items(self, kind: str, layout: str) -> Iterator[dict[str, Any]]:
        wrapper = _RELATION_WRAPPERS[kind]
        ids = {
            "following": self.following,
            "follower": self.followers,
            "block": self.blocks,
            "mute": self.mutes,
        }[kind]
        for x_id in ids:
            entry = {"accountId": x_id}
            if layout != "root-2018":
                entry["userLink"] = f"https://twitter.com/intent/user?user_id={x_id}"
            yield {wrapper: entry}

    def _list_items(self, urls: list[str], layout: str) -> list[dict[str, Any]]:
        if layout == "root-2018":
            return [{"userListInfo": {"urls": list(urls)}}]
        return [{"userListInfo": {"url": url}} for url in urls]

    def _screen_name_items(self, layout: str) -> list[dict[str, Any]]:
        items = []
        for changed_at, old, new in self.screen_name_changes:
            if layout == "root-2018":
                moment = datetime.fromisoformat(changed_at.replace("Z", "+00:00"))
                changed_at = str(int(moment.timestamp()))
            items.append(
                {
                    "screenNameChange": {
                        "accountId": self.account_id,
                        "screenNameChange": {
                            "changedAt": changed_at,
                            "changedFrom": old,
                            "changedTo": new,
                        },
                    }
                }
            )
        return items

    def files(
        self,
        layout: str = "data",
        style: str = "expanded",
        tweets_per_part: int | None = None,
        tweet_file: str = "tweets",
        manifest: bool = True,
    ) -> dict[str, Iterable[str]]:
        """Archive-relative file name -> the file's text in pieces, for ``layout`` ``data``
        (2019+, ``data/`` + manifest) or ``root-2018``."""
        prefix = "data/" if layout == "data" else ""
        out: dict[str, Iterable[str]] = {}
        counts: dict[str, tuple[str, list[tuple[str, str, int]]]] = {}

        def add(
            kind_key: str,
            base: str,
            global_base: str,
            items: list[Any] | Iterator[Any],
            count: int,
            part: int = 0,
        ) -> None:
            name = f"{prefix}{base}{'' if part == 0 else f'-part{part}'}.js"
            global_name = f"YTD.{global_base}.part{part}"
            out[name] = _iter_ytd(global_name, items, style)
            counts.setdefault(kind_key, (kind_key, []))[1].append((name, global_name, count))

        add("account", "account", "account", [self._account_item(layout)], 1)
        add(
            "profile",
            "profile",
            "profile",
            [
                {
                    "profile": {
                        "description": {
                            "bio": self.bio,
                            "website": self.website,
                            "location": self.location,
                        },
                        "avatarMediaUrl": "https://pbs.twimg.com/profile_images/1/avatar.png",
                    }
                }
            ],
            1,
        )
        add(
            "screenNameChange",
            "screen-name-change",
            "screen_name_change",
            self._screen_name_items(layout),
            len(self.screen_name_changes),
        )
        for kind, ids in (
            ("following", self.following),
            ("follower", self.followers),
            ("block", self.blocks),
            ("mute", self.mutes),
        ):
            add(kind, kind, kind, self._relation_items(kind, layout), len(ids))
        for key, base, urls in (
            ("listsCreated", "lists-created", self.lists_created),
            ("listsMember", "lists-member", self.lists_member),
            ("listsSubscribed", "lists-subscribed", self.lists_subscribed),
        ):
            items = self._list_items(urls, layout)
            add(key, base, base.replace("-", "_"), items, len(items))
        wrap = tweet_file == "tweets" or layout == "data"
        items_all = [{"tweet": t} if wrap else t for t in self.tweets]
        size = tweets_per_part or max(len(items_all), 1)
        for part, start in enumerate(range(0, max(len(items_all), 1), size)):
            chunk = items_all[start : start + size]
            add(tweet_file, tweet_file, tweet_file, chunk, len(chunk), part)
        if layout == "data" and manifest:
            data_types = {
                key: {
                    "files": [
                        {"fileName": n, "globalName": g, "count": str(c)} for n, g, c in files
                    ]
                }
                for key, (_, files) in counts.items()
            }
            config = {
                "userInfo": {
                    "accountId": self.account_id,
                    "userName": self.username,
                    "displayName": self.display_name,
                },
                "archiveInfo": {
                    "sizeBytes": "0",
                    "generationDate": self.generated_at,
                    "isPartialArchive": False,
                    "maxPartSizeBytes": "53687091200",
                },
                "readmeInfo": {
                    "fileName": "data/README.txt",
                    "directory": "data/",
                    "name": "README.txt",
                },
                "dataTypes": data_types,
            }
            out["data/manifest.js"] = ["window.__THAR_CONFIG = ", pretty(config, "compact")]
        return out

    # -- writing ---------------------------------------------------------------------------
    def write_zip(
        self,
        path: str | os.PathLike[str],
        *,
        wrapper: str | None = None,
        backslashes: bool = False,
        upper: bool = False,
        **file_options: Any,
    ) -> None:
        """Write a deterministic zip (fixed timestamps: the same facts give the same bytes)."""
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for name, pieces in self.files(**file_options).items():
                stored = (f"{wrapper}/" if wrapper else "") + name
                if upper:
                    stored = stored.upper()
                if backslashes:
                    stored = stored.replace("/", "\\")
                info = zipfile.ZipInfo(stored, date_time=_FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with zf.open(info, "w", force_zip64=True) as fp:
                    buffer: list[bytes] = []
                    size = 0
                    for piece in pieces:
                        data = piece.encode()
                        buffer.append(data)
                        size += len(data)
                        if size >= 1 << 20:
                            fp.write(b"".join(buffer))
                            buffer, size = [], 0
                    fp.write(b"".join(buffer))

    def write_folder(self, path: str | os.PathLike[str], **file_options: Any) -> None:
        for name, pieces in self.files(**file_options).items():
            target = os.path.join(os.fspath(path), *name.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="") as fp:
                for piece in pieces:
                    fp.write(piece)
