"""The whole migration as a library: one object, one call per step, typed results.

``Migration`` is what the ``portabilite`` command runs (each command is one call here plus
printing) and what other migration tools call::

    from portabilite import Migration

    with Migration("me.sqlite3") as move:
        move.import_archive("twitter-archive.zip")
        move.match(online=False)                       # the directory and the archive only
        plan = move.plan(networks=["bluesky"])         # a dry run: nothing is written
        report = move.follow(plan)                     # needs a login: portabilite login bluesky

Results are frozen dataclasses with ``to_json()`` (the CLI's ``--json`` contracts). Sentences
for people are rendered where they are shown, in the language passed per call (``lang``).
Every failure is a ``PortabiliteError`` (``portabilite.errors``).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from .errors import PortabiliteError
from .importer import ImportResult, archive_status
from .workspace import Workspace

if TYPE_CHECKING:
    from datetime import datetime

    from .accounts import Accounts
    from .follow import Plan
    from .hints import Followed, HintsReport
    from .matching import Match
    from .posting import Post, QueueReport

__all__ = [
    "Migration",
    "Status",
    "FollowReport",
    "ReserveReport",
    "Message",
    "NETWORKS",
]

#: the networks portabilite follows people on
NETWORKS = ("bluesky", "mastodon")
#: the reminder calendar's name, in the user's data folder unless ``reserve(calendar=...)``
CALENDAR_NAME = "portabilite-x-reminder.ics"


class _DataFolder:
    """``reserve(calendar=...)``'s default: the user's data folder (``data_folder()``)."""

    def __repr__(self) -> str:
        return "IN_DATA_FOLDER"


IN_DATA_FOLDER = _DataFolder()


@dataclass(frozen=True)
class Status:
    """Where a workspace stands (``status --json``)."""

    workspace: str
    account: dict[str, Any]
    counts: dict[str, int]
    archive: dict[str, Any]
    matches: dict[str, dict[str, int]]
    follows: dict[str, dict[str, int]]
    posts: dict[str, dict[str, int]]
    reserve: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "workspace": self.workspace,
            "account": self.account,
            "counts": self.counts,
            "archive": self.archive,
            "matches": self.matches,
            "follows": self.follows,
            "posts": self.posts,
            "reserve": self.reserve,
        }


@dataclass(frozen=True)
class FollowReport:
    """What a follow run did, per network, and why the failed ones failed."""

    networks: dict[str, dict[str, int]]
    failures: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: networks of the plan left alone, and why in a sentence (not logged in)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """True when nothing failed (a partial run exits 1 from the command line)."""
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        return {
            "networks": self.networks,
            "failures": {
                network: [{"reason": reason, "count": count} for reason, count in reasons]
                for network, reasons in self.failures.items()
            },
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class Message:
    """The redirect message, per network, fitted to each network's limit."""

    texts: dict[str, str]  # network -> text
    lang: str
    mastodon_limit: int  # the user's instance's limit (500 when unknown)

    def to_json(self) -> dict[str, Any]:
        return {"lang": self.lang, "texts": self.texts}


@dataclass(frozen=True)
class ReserveReport:
    """The steps that keep the X handle, as they were done."""

    x_handle: str
    bio: str
    bio_set: bool  # True: through the X API; False: printed for the person to paste
    post_id: int | None  # None: nothing to announce yet (no login, no address given)
    post_existed: bool
    backlink: bool  # the user agreed to the back-links
    backlinks: dict[str, bool]  # network -> added now (False: it was there already)
    calendar: str | None
    checklist: list[str]
    state: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return dict(self.state)


def _workspace_status(ws: Workspace) -> Status:
    """Each package says its own part: the archive, the matches, the journal, the posts and
    the reserve steps (the importer knows nothing of what comes after it)."""
    from .follow import journal_counts
    from .matching import match_counts
    from .posting import post_counts
    from .reserve import reserve_state

    base = archive_status(ws)
    return Status(
        workspace=base["workspace"],
        account=base["account"],
        counts=base["counts"],
        archive=base["archive"],
        matches=match_counts(ws),
        follows={network: journal_counts(ws, network) for network in NETWORKS},
        posts=post_counts(ws),
        reserve=reserve_state(ws),
    )


def status(workspace: Workspace) -> dict[str, Any]:
    """Where ``workspace`` stands, as ``status --json`` prints it."""
    return _workspace_status(workspace).to_json()


def import_archive(
    path: str | os.PathLike[str],
    workspace: Workspace | str | os.PathLike[str] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    require_follows: bool = False,
) -> ImportResult:
    """Read the X archive at ``path`` (zip or folder) into ``workspace`` (a ``Workspace`` or a
    path; default: ``default_workspace_path()``), in one transaction, and say what the
    workspace now holds, the matches made so far included (``import --json``)."""
    with Migration(workspace) as move:
        return move.import_archive(path, progress=progress, require_follows=require_follows)


class Migration:
    """One person's move off X: a workspace, and the accounts they are logged in to.

    ``workspace``: an open ``Workspace`` or a path (default: ``default_workspace_path()``);
    ``accounts``: an ``Accounts`` (the saved logins; default: this machine's). Network clients
    are opened when a step needs one and closed with the migration (``close()``, or ``with``).
    """

    def __init__(
        self,
        workspace: Workspace | str | os.PathLike[str] | None = None,
        accounts: Accounts | None = None,
        *,
        create: bool = True,
    ) -> None:
        self._given = workspace if isinstance(workspace, Workspace) else None
        self._path = None if isinstance(workspace, Workspace) else workspace
        self._create = create
        self._opened: Workspace | None = None
        self._accounts = accounts
        self._clients: dict[str, Any] = {}

    # -- plumbing -----------------------------------------------------------------------------
    @property
    def ws(self) -> Workspace:
        """The workspace (opened on first use: importing creates it, other steps need it)."""
        if self._given is not None:
            return self._given
        if self._opened is None:
            self._opened = Workspace.open(self._path, create=self._create)
        return self._opened

    @property
    def accounts(self) -> Accounts:
        if self._accounts is None:
            from .accounts import Accounts

            self._accounts = Accounts()
        return self._accounts

    def client(self, network: str) -> Any:
        """The logged-in client for ``network`` (``NotLoggedInError`` without a login)."""
        if network not in self._clients:
            self._clients[network] = getattr(self.accounts, network)()
        return self._clients[network]

    def clients(self, networks: tuple[str, ...] | list[str]) -> dict[str, Any]:
        """The clients of the networks the user is logged in to, among ``networks`` (one whose
        saved session no longer works counts as not logged in: the steps that need it say
        so)."""
        return self._logins(networks)[0]

    def _logins(
        self, networks: tuple[str, ...] | list[str]
    ) -> tuple[dict[str, Any], dict[str, PortabiliteError]]:
        """The client of each of ``networks`` logged in to, and why each other one is not."""
        found: dict[str, Any] = {}
        problems: dict[str, PortabiliteError] = {}
        for network in networks:
            try:
                found[network] = self.client(network)
            except PortabiliteError as exc:
                problems[network] = exc
        return found, problems

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()
        if self._opened is not None:
            self._opened.close()
            self._opened = None

    def __enter__(self) -> Migration:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- import and status ---------------------------------------------------------------------
    def import_archive(
        self,
        path: str | os.PathLike[str],
        *,
        progress: Callable[[int, int], None] | None = None,
        require_follows: bool = False,
    ) -> ImportResult:
        """Read an X archive (zip or folder) into the workspace: one transaction.
        ``require_follows``: refuse an archive without a list of the accounts followed (a
        pre-2018 archive, or one that lost data/following.js)."""
        from dataclasses import replace

        from . import importer
        from .matching import match_counts

        if self._given is None and self._opened is None:
            # the importer creates the workspace, or leaves nothing behind when it fails
            result = importer.import_archive(
                path, self._path, progress=progress, require_follows=require_follows
            )
        else:
            result = importer.import_archive(
                path, self.ws, progress=progress, require_follows=require_follows
            )
        return replace(result, matches=match_counts(self.ws))

    def status(self) -> Status:
        """Where the workspace stands (``NoArchiveImportedError`` before any import)."""
        return _workspace_status(self.ws)

    def report(self, daily_caps: dict[str, int] | None = None) -> dict[str, Any]:
        """How portable the audience is: where the accounts followed and the followers are,
        the portable share with its 95% interval, the follows left and the days they take,
        the posts and the reserve (``portabilite report --json``; see ``portabilite.report``)."""
        from .report import build_report

        archive_status(self.ws)  # an archive must be imported first
        return build_report(self.ws, daily_caps)

    def sample_cost(self, size: int) -> dict[str, Any]:
        """Draw ``size`` followers at random for the report (or keep the sample drawn before
        at that size) and say what reading it costs: ``sample``, ``to_read`` (X profiles not
        read yet) and X's price as ``estimate()`` gives it. Nothing is read."""
        from decimal import Decimal

        from .matching import estimate
        from .report import draw_sample, sample_to_read

        archive_status(self.ws)
        drawn = draw_sample(self.ws, size)
        to_read = len(sample_to_read(self.ws))
        price = estimate(self.ws)
        usd = (price["price"] * to_read).quantize(Decimal("0.01")) if price["price"] else None
        return {**price, "sample": len(drawn), "to_read": to_read, "accounts": to_read, "usd": usd}

    def read_sample(
        self,
        *,
        online: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, Any]:
        """Read the X profiles of the sample's followers not read yet (the X login is
        needed only when there are some: it costs money, ask first with ``sample_cost``),
        then look the sample up (``online``: as ``match`` does; otherwise the directory and
        the cache only). Returns ``read``, ``gone``, ``found`` and ``sample``."""
        from .matching import counts_among, read_profiles
        from .report import mark_gone, sample_members, sample_to_read

        drawn = sample_members(self.ws)
        wanted = sample_to_read(self.ws)
        read = gone = 0
        if wanted:
            answered = read_profiles(self.ws, self.client("x"), wanted, progress=progress)
            missing = [x_id for x_id in wanted if x_id not in answered]
            mark_gone(self.ws, missing)
            read, gone = len(answered), len(missing)
        self.match(online=online, only=drawn)
        return {
            "read": read,
            "gone": gone,
            "found": counts_among(self.ws, drawn)["confirmed"],
            "sample": len(drawn),
        }

    # -- directory servers (issue 15) -------------------------------------------------------------
    def look_up_directories(
        self, servers: list[str] | tuple[str, ...] = (), *, refresh: bool = False
    ) -> list[dict[str, Any]]:
        """Look every account followed and following up on ``servers`` and on those the
        workspace lists already, by range (only hash prefixes are sent), each answer checked
        against the server's pinned key; asked again after a week, or with ``refresh``."""
        from .directory_service.client import look_up_all

        archive_status(self.ws)
        return look_up_all(self.ws, list(servers), refresh=refresh)

    def register_directory(
        self,
        server: str,
        *,
        bluesky: bool = True,
        mastodon: str | None = None,
        mastodon_ready: Callable[[str], None] | None = None,
        x_post: Callable[[str], str | None] | None = None,
    ) -> dict[str, Any]:
        """Register this X account on the directory ``server``: the Bluesky account logged in
        to (proven by a record the session writes in the user's repository), ``mastodon``
        (proven by the code the user puts in a profile field: ``mastodon_ready(code)``), and
        the X side when ``x_post(code)`` gives a public post holding the code. Returns the
        signed entry."""
        from .directory_service.client import register

        archive_status(self.ws)
        client = self.client("bluesky") if bluesky else None
        return register(
            self.ws,
            server,
            bluesky=client,
            mastodon=mastodon,
            mastodon_ready=mastodon_ready,
            x_post=x_post,
        )

    def unregister_directory(
        self,
        server: str,
        *,
        mastodon_ready: Callable[[str], None] | None = None,
        x_post: Callable[[str], str | None] | None = None,
    ) -> dict[str, Any]:
        """Delete this X account's entry from ``server`` for good, proven by one of its
        accounts again. Returns the server's signed tombstone."""
        from .directory_service.client import unregister

        archive_status(self.ws)
        client = self.clients(["bluesky"]).get("bluesky")
        return unregister(
            self.ws, server, bluesky=client, mastodon_ready=mastodon_ready, x_post=x_post
        )

    # -- naming ---------------------------------------------------------------------------------
    def import_hints(self, path: str | os.PathLike[str]) -> HintsReport:
        """Record an id → handle file another tool wrote (twitter-archive-parser's
        following.txt, or CSV / JSON with x_id, handle, name): it names accounts the archive
        only numbers, below the archive's own word. Bad rows are reported, the good kept."""
        from .hints import import_hints

        archive_status(self.ws)  # an archive must be imported first
        return import_hints(self.ws, path)

    def following(self, *, followers: bool = False) -> list[Followed]:
        """Every account followed (or every follower): id, handle or None, every name seen
        and where, the link that opens it, its match status per network."""
        from .hints import following

        return following(self.ws, followers=followers)

    # -- matching -------------------------------------------------------------------------------
    def import_directory(
        self,
        path: str | os.PathLike[str],
        *,
        source: str | None = None,
        encoding: str = "utf-8",
        skip_bad_rows: bool = False,
    ) -> dict[str, Any]:
        """Load a community directory (CSV or JSON: ``x_id``, ``bluesky``, ``mastodon``...)
        into the workspace, streamed, in one transaction; returns its counts (and with
        ``skip_bad_rows`` the rows skipped)."""
        from .matching import import_directory

        return import_directory(
            self.ws, path, source, encoding=encoding, skip_bad_rows=skip_bad_rows
        )

    def match(
        self,
        *,
        online: bool = True,
        refresh: bool = False,
        search: bool = True,
        progress: Callable[[int, int], None] | None = None,
        only: list[str] | None = None,
    ) -> dict[str, Any]:
        """Find the followed accounts on Bluesky and Mastodon. Offline: from the directory and
        the archive only. Online: the public Bluesky AppView (a login is not needed), the
        user's Mastodon instance when logged in (moved and suspended accounts), WebFinger and
        personal websites. ``only``: these X ids alone. Returns the match counts per
        network."""
        from .matching import match_workspace

        archive_status(self.ws)  # an archive must be imported first
        bluesky = mastodon = guard = None
        opened = None
        if online:
            guard = self.accounts.guard("mastodon")
            try:
                bluesky = self.client("bluesky")
            except PortabiliteError:
                bluesky = opened = self.accounts.public_bluesky()
            try:
                mastodon = self.client("mastodon")
            except PortabiliteError:
                mastodon = None
        try:
            return match_workspace(
                self.ws,
                bluesky=bluesky,
                mastodon=mastodon,
                guard=guard,
                refresh=refresh,
                search=search,
                progress=progress,
                only=only,
            )
        finally:
            if opened is not None:
                opened.close()

    def matches(self, **filters: Any) -> list[Match]:
        """The candidates found (``matching.list_matches`` filters: network, status,
        relation)."""
        from .matching import list_matches

        return list_matches(self.ws, **filters)

    def matched(self) -> bool:
        """Whether any candidate was found yet (``plan`` matches offline first otherwise)."""
        from .matching import match_counts

        counts = match_counts(self.ws)
        return any(sum(counts[n].values()) for n in NETWORKS)

    def decide(self, match_id: int, decision: str) -> None:
        """Record the user's word on a candidate: ``accepted`` or ``rejected`` (kept across
        later matching runs)."""
        from .matching import decide

        decide(self.ws, match_id, decision)

    # -- following ------------------------------------------------------------------------------
    def owners(self, networks: tuple[str, ...] | list[str] = NETWORKS) -> dict[str, str]:
        """The journal's key of each account logged in to (a DID; ``user@instance``)."""
        from .follow._apply import mastodon_owner

        return {
            network: (client.did or "") if network == "bluesky" else mastodon_owner(client)
            for network, client in self.clients(networks).items()
        }

    def current_follows(
        self, networks: tuple[str, ...] | list[str] = NETWORKS
    ) -> tuple[dict[str, set[str]], dict[str, str]]:
        """Whom the user follows now on each network they are logged in to (read, never
        written), and the journal's key of each account: what a plan must know so that it
        does not list again what is already followed."""
        owners = self.owners(networks)
        current: dict[str, set[str]] = {}
        for network in owners:
            client = self.client(network)
            if network == "bluesky":
                current[network] = {str(r.value.get("subject")) for r in client.follows()}
            else:
                domain = client.local_domain
                current[network] = {
                    a.acct if "@" in a.acct else f"{a.acct}@{domain}"
                    for a in client.iter_following()
                }
        return current, owners

    def plan(
        self,
        *,
        networks: tuple[str, ...] | list[str] = NETWORKS,
        include_probable: bool = False,
        only_confirmed: bool = False,
        limit: int | None = None,
        daily_cap: int | None = None,
        blocks: bool = False,
        mutes: bool = False,
        lists: bool = False,
    ) -> Plan:
        """Who to follow on each network (a dry run: nothing is written). Matches offline
        first when nothing was matched yet, and reads the current follows of the networks
        logged in to, so nothing already followed is listed again."""
        from .follow import build_plan
        from .matching import match_workspace

        archive_status(self.ws)  # an archive must be imported first
        if not self.matched():
            match_workspace(self.ws)  # offline: the directory and the archive need no network
        current, owners = self.current_follows(networks)
        return build_plan(
            self.ws,
            networks=list(networks),
            include_probable=include_probable,
            only_confirmed=only_confirmed,
            limit=limit,
            daily_caps={n: daily_cap for n in networks} if daily_cap else None,
            current=current,
            owners=owners,
            blocks=blocks,
            mutes=mutes,
            lists=lists,
        )

    def follow(
        self,
        plan: Plan,
        *,
        wait: bool = False,
        margin: float = 0.1,
        retry_failed: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
        skip_not_logged_in: bool = False,
    ) -> FollowReport:
        """Apply ``plan`` on the networks logged in to (``NotLoggedInError`` for one that is
        not, unless ``skip_not_logged_in``: then it is left alone and named in the report's
        ``skipped``): journaled, exactly once, resumable after any interruption."""
        from dataclasses import replace

        from .errors import NotLoggedInError
        from .follow import apply_plan, failures
        from .follow import retry_failed as put_back

        clients = self.clients(list(plan.networks))
        missing = [network for network in plan.networks if network not in clients]
        if missing and not skip_not_logged_in:
            raise NotLoggedInError("network.not_logged_in", network=missing[0])
        skipped = {n: str(NotLoggedInError("network.not_logged_in", network=n)) for n in missing}
        if missing:
            plan = replace(plan, networks={n: p for n, p in plan.networks.items() if n in clients})
        if retry_failed:
            put_back(self.ws, list(plan.networks))
        result = apply_plan(
            self.ws,
            plan,
            clients,
            daily_caps=plan.daily_caps,
            wait=wait,
            margin=margin,
            progress=progress,
        )
        why = {
            name: failures(self.ws, name)
            for name, part in result["networks"].items()
            if part.get("failed")
        }
        return FollowReport(networks=result["networks"], failures=why, skipped=skipped)

    def made_follows(self, networks: tuple[str, ...] | list[str] = NETWORKS) -> dict[str, int]:
        """How many follows portabilite made (and ``undo`` would remove) on each network
        logged in to, from the journal: nothing is asked of the networks."""
        from .follow._apply import undoable
        from .follow._journal import Journal

        return {
            network: len(undoable(Journal(self.ws, network, owner), network))
            for network, owner in self.owners(networks).items()
        }

    def undo(self, networks: tuple[str, ...] | list[str] = NETWORKS) -> dict[str, int]:
        """Remove exactly the follows portabilite made, on the networks logged in to; returns
        how many per network."""
        from .follow import undo

        owners = self.owners(networks)  # undo reads the repository itself, once
        return {
            network: undo(self.ws, network, self.client(network), owners[network])
            for network in networks
            if network in owners
        }

    # -- posting --------------------------------------------------------------------------------
    def compose(
        self,
        *,
        lang: str | None = None,
        website: str | None = None,
        template: str | None = None,
        bluesky: str | None = None,
        mastodon: str | None = None,
    ) -> Message:
        """The redirect message for each network, fitted to its limit, in ``lang``. The new
        addresses are the saved accounts', or ``bluesky`` (a handle) and ``mastodon``
        (``user@instance``) when given: a message can be prepared before any login."""
        from .i18n import get_language
        from .posting import compose, load_template

        lang = lang or get_language()
        addresses = self._new_addresses(bluesky, mastodon)
        limit = 500
        if addresses["mastodon"] and mastodon is None:  # the account logged in to: its limit
            try:
                limit = self.client("mastodon").instance().max_characters or 500
            except PortabiliteError:
                pass
        texts = compose(
            load_template(lang, template),
            website=website,
            mastodon_limit=limit,
            x_handle=(self.ws.account() or {}).get("username"),
            **addresses,
        )
        return Message(texts=texts, lang=lang, mastodon_limit=limit)

    def _new_addresses(self, bluesky: str | None, mastodon: str | None) -> dict[str, str | None]:
        """The addresses to announce: the saved accounts', or the ones given (checked)."""
        from .matching import normalize_bluesky, normalize_mastodon
        from .posting import PostError

        addresses = self.accounts.addresses()
        if bluesky is not None:
            handle = normalize_bluesky(bluesky)
            if handle is None or handle.startswith("did:"):
                raise PostError("post.bad_bluesky", value=bluesky)
            addresses["bluesky"] = handle
        if mastodon is not None:
            address = normalize_mastodon(mastodon, strict=False)
            if address is None:
                raise PostError("post.bad_mastodon", value=mastodon)
            addresses["mastodon"] = address
        return addresses

    def login_problems(
        self, networks: tuple[str, ...] | list[str] = ("bluesky", "mastodon")
    ) -> dict[str, PortabiliteError]:
        """Why each of ``networks`` cannot be posted to now: not logged in, or the saved
        session is gone (each error says what to run). X is never in it: without an API login
        its posts are published by hand. Nothing is asked of the networks."""
        from .posting import LOGIN_NETWORKS

        return self._logins([n for n in networks if n in LOGIN_NETWORKS])[1]

    def queue(
        self,
        *,
        text: str | None = None,
        networks: tuple[str, ...] | list[str] | None = None,
        at: datetime | None = None,
        pin: bool = False,
        lang: str | None = None,
        website: str | None = None,
        template: str | None = None,
    ) -> QueueReport:
        """Queue a post for ``at`` (default: now) on the networks it can go to: the redirect
        message (``compose``; once: refused while another is queued or sent), or ``text``.

        ``networks`` None: every network (the redirect message: X, Bluesky, Mastodon; a text:
        Bluesky, Mastodon), leaving out each one not logged in, named with why in the report's
        ``skipped``; ``PostError`` when none is left. Networks named are wanted: one not
        logged in is refused (its ``NotLoggedInError``). X needs no login (by hand)."""
        from datetime import datetime, timezone

        from .posting import POST_NETWORKS, PostError, QueueReport, queue_post

        named = networks is not None
        wanted = list(dict.fromkeys(networks or ()))
        if not named:
            wanted = list(POST_NETWORKS) if text is None else ["bluesky", "mastodon"]
        for network in wanted:
            if network not in POST_NETWORKS:
                raise PostError("post.bad_network", value=network)
        problems = self.login_problems(wanted)
        if problems and named:
            raise next(iter(problems.values()))
        chosen = [network for network in wanted if network not in problems]
        if not chosen:
            raise PostError("post.nowhere_to_post")
        post_lang: str | None = lang
        if text is None:
            message = self.compose(lang=lang, website=website, template=template)
            texts, post_lang = {n: message.texts[n] for n in chosen}, message.lang
        else:
            texts = {n: text for n in chosen}
        due = at or datetime.now(timezone.utc)
        post_id = queue_post(
            self.ws, texts, due_at=due, pin=pin, lang=post_lang, redirect=text is None
        )
        return QueueReport(
            id=post_id,
            due_at=due,
            networks=chosen,
            skipped={network: str(exc) for network, exc in problems.items()},
        )

    def list_posts(self) -> list[Post]:
        """Every post, oldest first, each delivery marked ``waiting_for_login`` when it is
        still to send on a network not logged in to (``stuck_posts``)."""
        from .posting import LOGIN_NETWORKS, list_posts

        problems = self.login_problems()
        return list_posts(self.ws, [n for n in LOGIN_NETWORKS if n not in problems])

    def stuck_posts(self) -> dict[str, list[int]]:
        """The posts waiting for a login: network -> ids of the posts still to send on a
        network the user is not logged in to (never, or the session is gone), oldest first.
        Empty when nothing waits. ``portabilite post list`` and ``status`` say so."""
        from .posting import LOGIN_NETWORKS, stuck_posts

        problems = self.login_problems()
        return stuck_posts(self.ws, [n for n in LOGIN_NETWORKS if n not in problems])

    def send_posts(
        self,
        *,
        networks: tuple[str, ...] = ("bluesky", "mastodon", "x"),
        wait: bool = False,
        confirm_x: Callable[[str], bool] | None = None,
        on_sent: Callable[[list[dict[str, Any]]], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> list[dict[str, Any]]:
        """Send what is due on the networks logged in to (each delivery exactly once).
        ``confirm_x(text)``: asked before paying for an X post (no X post without it);
        ``wait``: stay until the last queued post is sent, telling ``on_sent`` what each round
        sent."""
        from datetime import datetime, timezone

        from ._waiting import wait as announced_wait
        from .posting import next_due, queued_texts, send_due

        clients = self.clients(networks)
        if "x" in clients:
            queued = queued_texts(self.ws, "x")
            if queued and (confirm_x is None or not confirm_x(queued[0])):
                clients.pop("x")
        reports = send_due(self.ws, clients)
        if on_sent is not None:
            on_sent(reports)
        while wait:
            due = next_due(self.ws)
            if due is None:
                break
            seconds = max((due - datetime.now(timezone.utc)).total_seconds(), 1)
            announced_wait("", seconds, "next_post", sleep)
            sent = send_due(self.ws, clients)
            if on_sent is not None:
                on_sent(sent)
            reports += sent
        return reports

    # -- keeping the X handle -------------------------------------------------------------------
    def reserve(
        self,
        *,
        set_bio: Callable[[str], bool] | bool = False,
        backlink: Callable[[str], bool] | bool = False,
        calendar: str | os.PathLike[str] | _DataFolder | None = IN_DATA_FOLDER,
        lang: str | None = None,
        website: str | None = None,
        template: str | None = None,
        bluesky: str | None = None,
        mastodon: str | None = None,
    ) -> ReserveReport:
        """Keep the X handle (never delete it: a deleted handle is taken): the bio pointing
        to the new accounts (set through the X API when logged in with OAuth 1.0a and
        ``set_bio`` says yes, else given to paste), the redirect post queued once and pinned,
        the "formerly on X" back-links (``backlink``: with the user's consent; a callable is
        asked with the X handle at that step), the reminder calendar (written readable by the
        user only) and the checklist. Before any login (and without ``bluesky`` or
        ``mastodon``), the bio has places to fill and the post waits (``post_id`` None)."""
        from . import reserve as r
        from ._files import write_private
        from .posting import queue_post, redirect_post

        addresses = self._new_addresses(bluesky, mastodon)
        identity = {**addresses, "x_handle": (self.ws.account() or {}).get("username")}
        x_handle = identity["x_handle"] or "?"
        bio = r.redirect_bio(identity, lang)
        bio_set = False
        try:
            x = self.client("x")
        except PortabiliteError:
            x = None
        if x is not None and x.auth_mode == "oauth1":
            if set_bio(bio) if callable(set_bio) else set_bio:
                x.update_profile(description=bio)
                bio_set = True
        r.mark_step(self.ws, "bio", "api" if bio_set else "printed")
        existing = redirect_post(self.ws)  # queued by `post queue`, or by an earlier reserve
        post_id: int | None = existing
        if existing is None and any(addresses.values()):
            message = self.compose(
                lang=lang, website=website, template=template, bluesky=bluesky, mastodon=mastodon
            )
            post_id = queue_post(self.ws, message.texts, pin=True, lang=message.lang, redirect=True)
        if post_id is not None:  # else: nothing to announce yet, the step waits for a login
            r.mark_step(self.ws, "post", str(post_id))
        backlinks: dict[str, bool] = {}
        agreed = bool(backlink(x_handle) if callable(backlink) else backlink)
        if agreed:
            adders = {"bluesky": r.add_backlink_bluesky, "mastodon": r.add_backlink_mastodon}
            for network, client in self.clients(NETWORKS).items():
                backlinks[network] = adders[network](client, x_handle, lang)
            r.mark_step(self.ws, "backlink")
        path = None
        if isinstance(calendar, _DataFolder):
            from .workspace import data_folder

            folder = data_folder()
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            calendar = folder / CALENDAR_NAME
        if calendar is not None:
            path = os.path.abspath(calendar)
            write_private(path, r.calendar(x_handle, lang=lang))
            r.mark_step(self.ws, "calendar", path)
        checklist = r.checklist(lang)
        r.mark_step(self.ws, "checklist")
        return ReserveReport(
            x_handle=x_handle,
            bio=bio,
            bio_set=bio_set,
            post_id=post_id,
            post_existed=existing is not None,
            backlink=agreed,
            backlinks=backlinks,
            calendar=path,
            checklist=checklist,
            state=r.reserve_state(self.ws),
        )

    def record_x_login(self) -> dict[str, Any]:
        """Note that the user logged in to X today (the handle is kept by logging in)."""
        from . import reserve as r

        r.record_login(self.ws)
        return r.reserve_state(self.ws)
