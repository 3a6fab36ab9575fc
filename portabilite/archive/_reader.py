"""An X archive, whatever its era: find its files, then read what portabilite needs.

Layouts (``XArchive.layout``):

* ``"data"``: 2019 onwards. ``data/manifest.js`` (``window.__THAR_CONFIG``) lists, per data type,
  its files (``fileName``, ``globalName``, ``count``); it is the authority, and files it does not
  list (or lists but lack) are looked for by name (``following.js``, ``following-part1.js``...).
* ``"root-2018"``: the GDPR-era export, every ``.js`` at the root and no manifest; dates in epoch
  milliseconds (account) or seconds (screen-name changes); follow lists without ``userLink``.
* ``"grailbird"``: the pre-2018 "Your Twitter archive" (``data/js/user_details.js``, monthly tweet
  files, ``tweets.csv``). It has tweets but no follow lists: the user is told so.

A re-zipped archive (one wrapper folder, backslashes, upper-case names) is found wherever its
root is. Reading is lazy and streaming: the iterators read one file at a time.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
from typing import Any, BinaryIO, Callable, Iterator

from .._time import iso_from_any, tweet_date_iso
from ..errors import ArchiveParseError, NotAnArchiveError, UnsafeArchiveError
from ._container import Container, Member, open_container
from ._js import iter_chunks, iter_items, load_js
from ._model import Account, HandleHint, Profile, ScreenNameChange, Warning, XList

__all__ = ["XArchive", "open_archive", "DATA_TYPES", "RELATIONS"]

# kind -> (manifest dataType keys, file base names), newest names first
DATA_TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "account": (("account",), ("account",)),
    "profile": (("profile",), ("profile",)),
    "screen_name_change": (("screenNameChange",), ("screen-name-change",)),
    "following": (("following",), ("following",)),
    "follower": (("follower",), ("follower",)),
    "block": (("block",), ("block",)),
    "mute": (("mute",), ("mute",)),
    "lists_created": (("listsCreated",), ("lists-created",)),
    "lists_member": (("listsMember",), ("lists-member",)),
    "lists_subscribed": (("listsSubscribed",), ("lists-subscribed",)),
    "tweets": (("tweets", "tweet"), ("tweets", "tweet")),
    "deleted_tweets": (("deletedTweets", "deletedTweet"), ("deleted-tweets", "deleted-tweet")),
    "community_tweets": (("communityTweet",), ("community-tweet",)),
    "note_tweets": (("noteTweet",), ("note-tweet",)),
}
#: relation kind -> the key wrapping each item
RELATIONS = {
    "following": "following",
    "follower": "follower",
    "block": "blocking",
    "mute": "muting",
}
#: tweet-like kinds read for handle hints
TWEET_KINDS = ("tweets", "deleted_tweets", "community_tweets", "note_tweets")
_LIST_KINDS = {
    "lists_created": "created",
    "lists_member": "member",
    "lists_subscribed": "subscribed",
}
_LIST_URL = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([^/?#]+)/lists/([^/?#]+)")
_PART = re.compile(r"^(?P<base>[a-z-]+?)(?:-part(?P<n>\d+))?\.js$")
#: X splits a data type into parts of tens of MiB; the heaviest accounts have a few dozen. Each
#: part is opened, so thousands of them are a denial of service, not an archive.
MAX_PARTS = 1000
REQUEST_ARCHIVE_URL = "https://x.com/settings/download_your_data"


def _is_data_dir(prefix: str) -> bool:
    return prefix == "data/" or prefix.endswith("/data/")


def _id(value: Any) -> str | None:
    """An X id as a string of digits, or None. Ints (from edited archives) are kept exact."""
    if isinstance(value, str):
        value = value.strip()
        return value if value.isdigit() and value.isascii() else None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return None


def _count(value: Any) -> int | None:
    """A count from the manifest, when it is one (an edited manifest may say anything: a
    number of thousands of digits is none)."""
    digits = _id(value)
    return int(digits) if digits is not None and len(digits) <= 15 else None


def _part_number(digits: str | None) -> int:
    """The N of ``tweets-partN.js``, for ordering: a huge N sorts last, never overflows."""
    return int(digits) if digits and len(digits) <= 9 else (10**9 if digits else 0)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class XArchive:
    """An opened X archive. Use ``open_archive(path)``; close it (or use ``with``) when done."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.warnings: list[Warning] = []
        self.manifest: dict[str, Any] | None = None
        self.on_bytes: Callable[[int], None] | None = None
        self.layout, self.root, self.data_dir = self._detect()
        self.generated_at: str | None = None
        self._files: dict[str, list[tuple[Member, int | None]]] = {}
        if self.layout == "data":
            self._read_manifest()
        elif self.layout == "grailbird":
            self._warn("archive.grailbird_no_follows", url=REQUEST_ARCHIVE_URL)
            payload = self.root + "data/js/payload_details.js"
            if payload in self.container.members:
                try:
                    info = load_js(
                        self.container.read(payload), self.container.members[payload].name
                    )
                    self.generated_at = iso_from_any(_obj(info).get("created_at"))
                except ArchiveParseError:
                    pass

    # -- lifecycle --------------------------------------------------------------------------
    def close(self) -> None:
        self.container.close()

    def __enter__(self) -> "XArchive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fingerprint(self) -> str:
        return self.container.fingerprint()

    def _warn(self, code: str, **params: Any) -> None:
        warning = Warning(code, params)
        if warning not in self.warnings:
            self.warnings.append(warning)

    # -- layout -----------------------------------------------------------------------------
    def _detect(self) -> tuple[str, str, str]:
        best: tuple[int, int, str, str, str] | None = None
        for key in self.container.members:
            directory, base = posixpath.split(key)
            prefix = directory + "/" if directory else ""
            if base == "manifest.js":
                root = prefix[: -len("data/")] if _is_data_dir(prefix) else prefix
                cand = (prefix.count("/"), 0, "data", root, prefix)
            elif key.endswith("data/js/user_details.js") or key.endswith("data/js/tweet_index.js"):
                root = key[: key.rindex("data/js/")]
                cand = (root.count("/"), 2, "grailbird", root, root + "data/js/")
            elif base == "account.js":
                if _is_data_dir(prefix):
                    cand = (prefix.count("/"), 1, "data", prefix[: -len("data/")], prefix)
                else:
                    cand = (prefix.count("/"), 1, "root-2018", prefix, prefix)
            elif base in ("following.js", "follower.js", "tweets.js", "tweet.js") and _is_data_dir(
                prefix
            ):
                cand = (prefix.count("/"), 3, "data", prefix[: -len("data/")], prefix)
            elif base == "tweets.csv":
                cand = (prefix.count("/"), 4, "grailbird", prefix, prefix + "data/js/")
            else:
                continue
            if best is None or cand[:2] < best[:2]:
                best = cand
        if best is None:
            raise NotAnArchiveError("archive.not_x_archive", path=self.container.path)
        _, _, layout, root, data_dir = best
        return layout, root, data_dir

    def _read_manifest(self) -> None:
        key = self.data_dir + "manifest.js"
        if key not in self.container.members:
            self._warn("archive.manifest_missing")
            return
        try:
            manifest = load_js(self.container.read(key), self.container.members[key].name)
        except ArchiveParseError as exc:
            self._warn("archive.manifest_unreadable", reason=exc.message())
            return
        if not isinstance(manifest, dict):
            self._warn("archive.manifest_unreadable", reason="not an object")
            return
        self.manifest = manifest
        self.generated_at = iso_from_any(_obj(manifest.get("archiveInfo")).get("generationDate"))
        if _obj(manifest.get("archiveInfo")).get("isPartialArchive") is True:
            self._warn("archive.partial")

    def _resolve(self, file_name: str) -> str | None:
        name = file_name.replace("\\", "/").lower()
        for key in (self.root + name, self.data_dir + posixpath.basename(name)):
            if key in self.container.members:
                return key
        return None

    def files(self, kind: str) -> list[tuple[Member, int | None]]:
        """The files holding data type ``kind``, in part order, with the manifest's count."""
        if kind in self._files:
            return self._files[kind]
        manifest_keys, bases = DATA_TYPES[kind]
        found: dict[str, tuple[Member, int | None]] = {}
        if self.layout == "grailbird":
            self._files[kind] = self._grailbird_files(kind)
            return self._files[kind]
        data_types = _obj(self.manifest.get("dataTypes")) if self.manifest else {}
        for manifest_key in manifest_keys:
            files = _obj(data_types.get(manifest_key)).get("files")
            for entry in files if isinstance(files, list) else []:
                entry = _obj(entry)
                file_name = _text(entry.get("fileName"))
                if not file_name:
                    continue
                count = _count(entry.get("count"))
                key = self._resolve(file_name)
                if key is None:
                    if count:
                        self._warn("archive.file_missing", file=file_name, count=count)
                    continue
                found.setdefault(key, (self.container.members[key], count))
        # Files the manifest does not list (edited manifest, or none at all): found by name.
        globbed: list[tuple[int, int, str]] = []
        for key in self.container.members:
            directory, base = posixpath.split(key)
            if (directory + "/" if directory else "") != self.data_dir:
                continue
            m = _PART.match(base)
            if m and m.group("base") in bases and key not in found:
                globbed.append((bases.index(m.group("base")), _part_number(m.group("n")), key))
        for _, _, key in sorted(globbed):
            if self.manifest is not None:
                self._warn("archive.file_unlisted", file=self.container.members[key].name)
            found[key] = (self.container.members[key], None)
        if len(found) > MAX_PARTS:
            raise UnsafeArchiveError(
                "archive.too_many_parts", file=f"{bases[0]}.js", count=len(found)
            )
        ordered = sorted(found.values(), key=lambda mc: self._part_order(mc[0].key, bases))
        self._files[kind] = ordered
        return ordered

    @staticmethod
    def _part_order(key: str, bases: tuple[str, ...]) -> tuple[int, int, str]:
        m = _PART.match(posixpath.basename(key))
        if m and m.group("base") in bases:
            return (bases.index(m.group("base")), _part_number(m.group("n")), key)
        return (len(bases), 0, key)

    def _grailbird_files(self, kind: str) -> list[tuple[Member, int | None]]:
        if kind != "tweets":
            return []
        prefix = self.root + "data/js/tweets/"
        keys = sorted(
            k for k in self.container.members if k.startswith(prefix) and k.endswith(".js")
        )
        if len(keys) > MAX_PARTS:  # one file a month: 1,000 is 83 years
            raise UnsafeArchiveError(
                "archive.too_many_parts", file="data/js/tweets/", count=len(keys)
            )
        return [(self.container.members[k], None) for k in keys]

    def declared_count(self, kind: str) -> int | None:
        """The manifest's count for ``kind`` over the files present, or None if it gives none."""
        counts = [count for _, count in self.files(kind)]
        if not counts or any(c is None for c in counts):
            return None
        return sum(c for c in counts if c is not None)

    def expected_counts(self) -> dict[str, tuple[int, list[str]]]:
        """What the archive announces, per kind: ``kind -> (count, files missing)``, from the
        manifest's counts (every file it lists, present or not) or Grailbird's
        ``tweet_index.js``. Kinds it announces nothing for are left out."""
        expected: dict[str, tuple[int, list[str]]] = {}
        if self.layout == "grailbird":
            key = self.root + "data/js/tweet_index.js"
            if key not in self.container.members:
                return expected
            try:
                index = load_js(self.container.read(key), self.container.members[key].name)
            except ArchiveParseError:
                return expected
            total, missing = 0, []
            for month in index if isinstance(index, list) else []:
                month = _obj(month)
                count = _count(month.get("tweet_count"))
                name = _text(month.get("file_name"))
                if count is None:
                    continue
                total += count
                if count and name and self._resolve(name) is None:
                    missing.append(name)
            return {"tweets": (total, missing)} if index else expected
        data_types = _obj(self.manifest.get("dataTypes")) if self.manifest else {}
        for kind, (manifest_keys, _) in DATA_TYPES.items():
            total, missing, known = 0, [], False
            for manifest_key in manifest_keys:
                files = _obj(data_types.get(manifest_key)).get("files")
                for entry in files if isinstance(files, list) else []:
                    entry = _obj(entry)
                    count = _count(entry.get("count"))
                    if count is None:
                        continue
                    known = True
                    total += count
                    name = _text(entry.get("fileName"))
                    if count and name and self._resolve(name) is None:
                        missing.append(name)
            if known:
                expected[kind] = (total, missing)
        return expected

    def planned_bytes(self) -> int:
        kinds = [k for k in DATA_TYPES if k not in ("account", "profile")]
        return sum(member.size for kind in kinds for member, _ in self.files(kind))

    # -- reading ----------------------------------------------------------------------------
    def _opener(self, member: Member) -> Callable[[], BinaryIO]:
        """Opens ``member`` afresh each time it is called (the stream reader may open twice)."""
        return functools.partial(self.container.open, member.key, self.on_bytes)

    def _items(self, member: Member) -> Iterator[Any]:
        return iter_items(self._opener(member), member.name)

    def _first_item(self, kind: str, wrapper: str) -> dict[str, Any] | None:
        for member, _ in self.files(kind):
            for item in self._items(member):
                return _obj(_obj(item).get(wrapper))
        return None

    def _grailbird_details(self) -> dict[str, Any]:
        key = self.root + "data/js/user_details.js"
        if key not in self.container.members:
            return {}
        return _obj(load_js(self.container.read(key), self.container.members[key].name))

    def account(self) -> Account:
        """The archive owner's account (account.js, else the manifest's userInfo)."""
        if self.layout == "grailbird":
            details = self._grailbird_details()
            x_id, username = _id(details.get("id")), _text(details.get("screen_name"))
            if x_id and username:
                return Account(
                    x_id,
                    username,
                    _text(details.get("full_name")),
                    iso_from_any(details.get("created_at")),
                )
            raise ArchiveParseError("archive.no_account", file="data/js/user_details.js")
        account = self._first_item("account", "account")
        if account and _id(account.get("accountId")) and _text(account.get("username")):
            return Account(
                id=_id(account.get("accountId")) or "",
                username=_text(account.get("username")) or "",
                display_name=_text(account.get("accountDisplayName")),
                created_at=iso_from_any(account.get("createdAt")),
            )
        info = _obj(self.manifest.get("userInfo")) if self.manifest else {}
        if _id(info.get("accountId")) and _text(info.get("userName")):
            self._warn("archive.account_from_manifest")
            return Account(
                _id(info.get("accountId")) or "",
                _text(info.get("userName")) or "",
                _text(info.get("displayName")),
                None,
            )
        raise ArchiveParseError("archive.no_account", file="account.js")

    def profile(self) -> Profile | None:
        if self.layout == "grailbird":
            details = self._grailbird_details()
            return Profile(_text(details.get("bio")), None, _text(details.get("location")))
        profile = self._first_item("profile", "profile")
        if profile is None:
            return None
        description = _obj(profile.get("description"))
        return Profile(
            _text(description.get("bio")),
            _text(description.get("website")),
            _text(description.get("location")),
        )

    def screen_name_changes(self) -> list[ScreenNameChange]:
        changes = []
        for member, _ in self.files("screen_name_change"):
            for item in self._items(member):
                change = _obj(_obj(_obj(item).get("screenNameChange")).get("screenNameChange"))
                if change:
                    changes.append(
                        ScreenNameChange(
                            iso_from_any(change.get("changedAt")),
                            _text(change.get("changedFrom")),
                            _text(change.get("changedTo")),
                        )
                    )
        return changes

    def iter_ids(self, kind: str) -> Iterator[str]:
        """The X ids of a relation: ``following``, ``follower``, ``block`` or ``mute``."""
        for chunk in self.iter_id_chunks(kind):
            yield from chunk

    def iter_id_chunks(self, kind: str) -> Iterator[list[str]]:
        """The same ids a list at a time (about 4 MiB of the file each): the fast way in bulk."""
        wrapper = RELATIONS[kind]
        for member, _ in self.files(kind):
            index = 0
            for chunk in iter_chunks(self._opener(member), member.name):
                ids: list[str] = []
                for item in chunk:
                    try:
                        x_id = item[wrapper]["accountId"]
                    except (KeyError, TypeError, IndexError):
                        x_id = None
                    if type(x_id) is not str or not x_id.isdigit() or not x_id.isascii():
                        x_id = _id(x_id)
                        if x_id is None:
                            raise ArchiveParseError(
                                "archive.bad_item",
                                file=member.name,
                                index=index + len(ids),
                                expected=f'{{"{wrapper}": {{"accountId": "..."}}}}',
                            )
                    ids.append(x_id)
                index += len(ids)
                yield ids

    def lists(self) -> list[XList]:
        """The lists the user created, is a member of, and subscribes to (URLs only)."""
        result: list[XList] = []
        seen: set[tuple[str, str]] = set()
        for kind, short in _LIST_KINDS.items():
            for member, _ in self.files(kind):
                for item in self._items(member):
                    info = _obj(_obj(item).get("userListInfo"))
                    listed = info.get("urls")
                    urls: list[Any] = listed if isinstance(listed, list) else [info.get("url")]
                    for url in urls:
                        if isinstance(url, str) and url and (short, url) not in seen:
                            seen.add((short, url))
                            m = _LIST_URL.match(url)
                            result.append(
                                XList(
                                    short, url, m.group(1) if m else None, m.group(2) if m else None
                                )
                            )
        return result

    def iter_tweets(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """``(kind, file name, tweet)`` for every tweet-like item, unwrapped."""
        for kind, member, chunk in self._tweet_chunks():
            for item in chunk:
                yield kind, member.name, _unwrap(item)

    def _tweet_chunks(self) -> Iterator[tuple[str, Member, list[Any]]]:
        for kind in TWEET_KINDS:
            for member, _ in self.files(kind):
                for chunk in iter_chunks(self._opener(member), member.name):
                    yield kind, member, chunk

    def count_and_hints(self, owner_id: str | None) -> tuple[dict[str, int], dict[str, HandleHint]]:
        """Count tweet-like items per kind and collect handle hints from them in one pass."""
        counts = {kind: 0 for kind in TWEET_KINDS}
        hints: dict[str, HandleHint] = {}
        for kind, member, chunk in self._tweet_chunks():
            counts[kind] += len(chunk)
            if kind == "note_tweets":
                continue  # note mentions carry a screen name but no id
            base = posixpath.basename(member.name)
            for item in chunk:
                _collect_hints(hints, _unwrap(item), base, owner_id)
        return counts, hints


def _unwrap(item: Any) -> dict[str, Any]:
    if isinstance(item, dict):
        inner = item.get("tweet", item.get("noteTweet", item))
        return inner if isinstance(inner, dict) else {}
    return {}


def _note(
    hints: dict[str, HandleHint],
    x_id: str | None,
    screen_name: Any,
    display_name: Any,
    when: str | None,
    file: str,
    tweet_id: Any,
) -> None:
    if not x_id or type(screen_name) is not str or not screen_name:
        return
    if type(display_name) is not str or not display_name:
        display_name = None
    hint = hints.get(x_id)
    if hint is None:
        hints[x_id] = HandleHint(
            x_id,
            screen_name,
            display_name,
            when,
            f"{file}#{tweet_id}",
            {screen_name.lower(): (screen_name, when, when)},
        )
        return
    if when is not None and (hint.last_seen is None or when > hint.last_seen):
        hint.screen_name, hint.last_seen, hint.source = screen_name, when, f"{file}#{tweet_id}"
        if display_name:
            hint.display_name = display_name
    elif hint.display_name is None and display_name:
        hint.display_name = display_name
    lower = screen_name.lower()
    previous = hint.names.get(lower)
    if previous is None:
        hint.names[lower] = (screen_name, when, when)
    elif when is not None:
        name, first, last = previous
        if first is None or when < first or last is None or when > last:
            hint.names[lower] = (
                name,
                when if first is None or when < first else first,
                when if last is None or when > last else last,
            )


def _collect_hints(
    hints: dict[str, HandleHint], tweet: dict[str, Any], file: str, owner_id: str | None
) -> None:
    """Note every account a tweet names: mentions, the replied-to account, a retweet's author."""
    entities = tweet.get("entities")
    mentions = entities.get("user_mentions") if type(entities) is dict else None
    reply_id = tweet.get("in_reply_to_user_id_str") or tweet.get("in_reply_to_user_id")
    retweeted = tweet.get("retweeted_status")  # Grailbird keeps the retweeted author in full
    if not mentions and not reply_id and not retweeted:
        return
    when = tweet_date_iso(tweet.get("created_at"))
    tweet_id = tweet.get("id_str") or tweet.get("id") or "?"
    if type(mentions) is list:
        for mention in mentions:
            if type(mention) is dict:
                x_id = _id(mention.get("id_str") or mention.get("id"))
                if x_id != owner_id:  # "-1" (unresolved accounts) is not a digit string: None
                    _note(
                        hints,
                        x_id,
                        mention.get("screen_name"),
                        mention.get("name"),
                        when,
                        file,
                        tweet_id,
                    )
    if reply_id:
        reply_id = _id(reply_id)
        if reply_id != owner_id:
            _note(hints, reply_id, tweet.get("in_reply_to_screen_name"), None, when, file, tweet_id)
    if type(retweeted) is dict:
        user = _obj(retweeted.get("user"))
        x_id = _id(user.get("id_str") or user.get("id"))
        if x_id != owner_id:
            _note(
                hints,
                x_id,
                user.get("screen_name"),
                user.get("name"),
                tweet_date_iso(retweeted.get("created_at")) or when,
                file,
                tweet_id,
            )


def open_archive(path: str | os.PathLike[str]) -> XArchive:
    """Open an X archive (a ``.zip`` or an unzipped folder) for reading."""
    container = open_container(path)
    try:
        return XArchive(container)
    except BaseException:
        container.close()
        raise
