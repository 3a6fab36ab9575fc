"""The matcher: from numeric X ids to Bluesky and Mastodon accounts, with evidence.

Every run recomputes the candidates from what the workspace holds (the archive's handle hints,
the hydrated X profiles, the directories, and every look-up already cached with its date), then
asks the networks only what is not cached yet (online runs). Decisions the user took in review
are kept across runs. docs/matching.md says the rules in plain words.

A run goes in rounds, until a round finds nothing new:

1. *claims* from the X side: directory rows (by id; by handle, current or stale), what the
   person wrote in their X profile (handles, addresses, a bare ``user@host`` that WebFinger
   shows is a fediverse actor), their website (its domain, its ``rel="me"`` links, its
   ``/.well-known/atproto-did``), and the handles guessed from their X screen names;
2. the networks are asked about every claimed account (Bluesky profiles, WebFinger, the user's
   own instance), and each candidate is judged on its profile (back-links to the X account
   through a current or stale handle, display names, labels, moves, suspensions);
3. conflicts are settled (one account proven for two X ids, two accounts for one) and each X
   account's candidates are ranked (one confirmed, or at most three to review);
4. *cross-network proof*: a confirmed account that names the person's account on the other
   network (a Mastodon address in a Bluesky bio, a Bluesky link in a Mastodon field) is a claim
   for the next round.

Then, for the X accounts still without a confirmed account on a network, a name search
(Bluesky's ``searchActors``; the user's own Mastodon instance's account search), and rounds
again. Bridgy Fed mirrors are proposed last, from confirmed accounts only.

Only the X accounts with something to match on (a name, a profile, a directory entry by id)
are matched, ``CHUNK_SUBJECTS`` at a time: each account's rounds depend on its own claims
alone, except the settling of one account proven for two X ids, which a last pass redoes for
the X ids whose chunks could not see each other. The candidates of the whole run replace the
stored ones in one transaction at the end (``CandidateRun``): an interrupted run changes
nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..networks import HostGuard
from ..workspace import Workspace
from ._bluesky import BlueskyReader
from ._candidates import (
    MAX_PROBABLE,
    Candidate,
    Claim,
    Facts,
    back_link,
    bluesky_candidates,
    cross_claims,
    directory,
    guesses,
    mastodon_candidates,
    mastodon_text,
    mirrors,
    settle,
    x_side_claims,
)
from ._evidence import Evidence
from ._store import CandidateRun, decide, decisions, list_matches, match_counts
from ._subjects import Subject, fold, iter_subjects, names_alike

if TYPE_CHECKING:  # httpx is imported when a look-up runs, not with the package
    import httpx

__all__ = ["Candidate", "match_workspace", "list_matches", "decide", "match_counts", "MAX_PROBABLE"]

#: who is matched: the followings, the followers, and the people blocked or muted on X (so
#: that ``follow --blocks/--mutes`` can carry those over)
RELATIONS = ("following", "follower", "block", "mute")
#: rounds of cross-network proof before and after the searches (each needs a proven account
#: from the round before; people rarely chain more than two)
MAX_ROUNDS = 5
#: X accounts matched at a time: memory holds one chunk's subjects, claims, candidates and
#: profiles (a city's 200,000 followers found in a directory took 780 MB at once), and each
#: chunk's look-ups are still asked in large batches
CHUNK_SUBJECTS = 10_000


def match_workspace(
    ws: Workspace,
    *,
    bluesky: Any | None = None,
    refresh: bool = False,
    relations: Iterable[str] = RELATIONS,
    guess_domains: tuple[str, ...] = ("bsky.social",),
    fediverse: bool | None = None,
    mastodon: Any | None = None,
    guard: HostGuard | None = None,
    web_transport: httpx.AsyncBaseTransport | None = None,
    webfinger_transport: httpx.AsyncBaseTransport | None = None,
    search: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
    only: list[str] | None = None,
) -> dict[str, Any]:
    """Run the resolvers and store the candidates; returns ``match_counts(ws)``. ``only``:
    these X ids alone (the report's sample of followers).

    ``bluesky``: a client for online Bluesky look-ups (None: offline, from the archive, the
    directories and the cache only). ``fediverse``: WebFinger the Mastodon addresses, read the
    personal websites, look for Bridgy Fed mirrors (default: online when ``bluesky`` is
    given). ``mastodon``: the user's own instance, to search accounts it knows and to find
    suspended and moved ones. ``guard`` decides which hosts may be contacted (default: public
    hosts only); ``web_transport`` carries WebFinger and website requests (tests route them).
    ``search`` (default: when online): for the followed X accounts nothing has proven on a
    network, a name search there (Bluesky's and the user's own instance's; cached; weak
    evidence, unless the account found links back to the X account)."""
    from ._fediverse import resolve_many, webfinger_many
    from ._web import read_sites

    online = bluesky is not None if fediverse is None else fediverse
    home = _home_instance(ws, mastodon)
    search = (bluesky is not None or mastodon is not None) if search is None else search
    guard = guard or HostGuard(network="mastodon")
    transport = web_transport or webfinger_transport
    reader = BlueskyReader(ws, bluesky, refresh=refresh)
    decided = decisions(ws)
    # asked this run (a host that failed is not asked again); what a chunk needs that an
    # earlier one asked is read back from the cache
    fingered: set[str] = set()
    resolved: set[str] = set()
    host_meta: dict[str, str | None] = {}  # each host's host-meta, asked once this run
    dead_hosts: set[str] = set()  # hosts that failed: not asked again this run

    def match_chunk(
        subjects: list[Subject], shared: frozenset[tuple[str, str]] = frozenset()
    ) -> list[Candidate]:
        by_x_id = {s.x_id: s for s in subjects}
        by_id, by_handle = directory(ws, subjects)
        facts = Facts()
        sites = read_sites(
            ws,
            [s.website for s in subjects if s.website],
            online=online,
            refresh=refresh,
            guard=guard,
            transport=transport,
        )
        base_claims = {s.x_id: x_side_claims(s, by_id, by_handle, sites) for s in subjects}

        def fingers_for(addresses: list[str]) -> dict[str, Any]:
            wanted = [a for a in dict.fromkeys(addresses) if a not in facts.fingers]
            if wanted:
                again = [a for a in wanted if a in fingered]
                fresh = [a for a in wanted if a not in fingered]
                fingered.update(fresh)
                for group, ask in ((again, False), (fresh, online)):
                    if group:
                        facts.fingers.update(
                            webfinger_many(
                                ws,
                                group,
                                online=ask,
                                refresh=refresh and ask,
                                guard=guard,
                                transport=transport,
                                host_meta=host_meta,
                                dead=dead_hosts,
                            )
                        )
            return facts.fingers

        def resolve(addresses: list[str]) -> bool:
            """Ask the user's instance about accounts never looked at; True if it told us
            more."""
            wanted = [a for a in dict.fromkeys(addresses) if a not in facts.accounts]
            again = [a for a in wanted if a in resolved]
            fresh = [a for a in wanted if a not in resolved]
            resolved.update(fresh)
            answers = resolve_many(ws, fresh, mastodon, refresh=refresh, host=home)
            if again:
                answers.update(resolve_many(ws, again, None, refresh=False, host=home))
            facts.accounts.update(answers)
            return bool(answers)

        def one_round(claims: dict[str, list[Claim]]) -> list[Candidate]:
            actors = [c.account for cs in claims.values() for c in cs if c.network == "bluesky"]
            actors += [g for s in subjects for g, _, _ in guesses(s, guess_domains)]
            actors = [a for a in dict.fromkeys(actors) if a not in facts.profiles]
            if actors:
                for key, view in reader.profiles(actors, progress).items():
                    facts.profiles[key] = view
                    if view is not None:
                        facts.profiles.setdefault(view["did"], view)
            addresses = [c.account for cs in claims.values() for c in cs if c.network == "mastodon"]
            fingers_for(addresses)
            resolve([facts.fingers[a]["subject"] if facts.fingers.get(a) else a for a in addresses])
            while True:
                found = []
                for subject in subjects:
                    mine = claims[subject.x_id]
                    found += bluesky_candidates(subject, mine, facts, guess_domains)
                    found += mastodon_candidates(subject, mine, facts)
                # accounts reached through a move: judged on their own profile too
                if not resolve([c.account for c in found if c.network == "mastodon"]):
                    break
            for cand in found:  # what the person decided in review counts for everything else
                decision = decided.get((cand.x_id, cand.network, cand.account.lower()))
                if decision:
                    cand.add(Evidence.of(f"user_{decision}"))
            settle(found, shared)
            return found

        # Rounds until the cross-network claims stop changing (rebuilt from the accounts proven
        # in each round, so a proof withdrawn by a conflict withdraws what it vouched for), then
        # the name searches, then rounds again.
        cross: dict[str, list[Claim]] = {}
        previous: set[tuple[str, str, str, str]] = set()  # the claims the round was given
        candidates: list[Candidate] = []
        searched, rounds = False, 0
        while True:
            rounds += 1
            claims = base_claims
            if cross:
                claims = {x: base_claims[x] + cross.get(x, []) for x in base_claims}
            candidates = one_round(claims)
            cross = cross_claims(candidates, facts)
            keys = {
                (x, c.network, c.account, c.evidence.kind) for x, cs in cross.items() for c in cs
            }
            changed, previous = keys != previous, keys
            if changed and rounds < MAX_ROUNDS:
                continue
            if searched or not search:
                break
            searched, rounds = True, 0
            if not _search(ws, subjects, candidates, facts, reader, mastodon, refresh, home):
                break  # nothing found: the rounds again would find what they found
        if online:
            candidates += mirrors(by_x_id, candidates, facts, reader, fingers_for)
        return candidates

    # the run's candidates wait in a temporary table on disk, and the counts' distinct sets
    # too: not in memory (spilling)
    with ws.spilling():
        with CandidateRun(ws, only) as run:
            for subjects in iter_subjects(
                ws, relations, known_only=True, only=only, size=CHUNK_SUBJECTS
            ):
                run.add(match_chunk(subjects))
            # one account proven for X ids in different chunks: their chunks could not see
            # it; those X ids (rarely more than a few) are matched again, knowing it
            shared = run.shared_accounts()
            if shared:
                again = run.x_ids_on(shared)
                for subjects in iter_subjects(ws, relations, only=again, size=CHUNK_SUBJECTS):
                    run.replace([s.x_id for s in subjects], match_chunk(subjects, shared))
        return match_counts(ws)


def _home_instance(ws: Workspace, mastodon: Any | None) -> str:
    """The user's instance (its host names the cached answers, so an offline run still sees
    them), and its request budget: 300 per 5 minutes per account, kept in the workspace so it
    holds across runs and with ``follow``, unless the caller gave the client one. Who the user
    is there is asked once, then remembered."""
    from ..errors import PortabiliteError
    from ..networks.mastodon import mastodon_budgets
    from ..workspace import WorkspaceLedger
    from ._cache import CachedLookups

    remembered = CachedLookups(ws, "mastodon:home")
    if mastodon is None:
        return str((remembered.get_many(["instance"]).get("instance") or {}).get("host", ""))
    host = str(mastodon.host)
    known = remembered.get_many(["instance"]).get("instance") or {}
    if known.get("host") != host:
        known = {"host": host}
        remembered.put_many({"instance": known})
    if getattr(mastodon, "request_budget", False) is not None:
        return host  # the caller's own budget
    if not known.get("acct"):
        try:
            me = mastodon.me()
        except PortabiliteError:
            return host  # the instance will say so again at the first look-up
        known["acct"] = me.acct if "@" in me.acct else f"{me.acct}@{mastodon.local_domain}"
        remembered.put_many({"instance": known})
    mastodon.request_budget = mastodon_budgets(known["acct"], WorkspaceLedger(ws))[1]
    return host


def _search(
    ws: Workspace,
    subjects: list[Subject],
    candidates: list[Candidate],
    facts: Facts,
    reader: BlueskyReader,
    mastodon: Any | None,
    refresh: bool,
    home: str,
) -> bool:
    """Name searches for the followed X accounts with no confirmed account on a network: on
    Bluesky by display name and by current handle, on the user's instance by display name.
    A hit is kept only when its name or handle is alike, or it links back to the X account.
    True when one was kept (in ``facts``)."""
    from ._fediverse import search_home

    confirmed = {(c.x_id, c.network) for c in candidates if c.status == "confirmed"}

    def queries(subject: Subject) -> list[str]:
        return [q for q in (subject.display_name, subject.current) if q and q.strip()]

    # the accounts the user follows: those are followed, and there are at most a few thousand;
    # a city's hundreds of thousands of followers would take days of searching
    subjects = [s for s in subjects if s.relation == "following"]
    wanted_sky = {s.x_id: queries(s) for s in subjects if (s.x_id, "bluesky") not in confirmed}
    # one query per person on the user's instance, whose budget is small (300 requests per
    # 5 minutes): the display name, which its search matches against names and usernames
    wanted_fedi = {
        s.x_id: queries(s)[:1] for s in subjects if (s.x_id, "mastodon") not in confirmed
    }
    answers = reader.search([q for qs in wanted_sky.values() for q in qs])
    found_home = search_home(
        ws, mastodon, [q for qs in wanted_fedi.values() for q in qs], refresh=refresh, host=home
    )
    by_x_id = {s.x_id: s for s in subjects}
    for x_id, qs in wanted_sky.items():
        subject = by_x_id[x_id]
        hits = []
        for query in qs:
            for view in answers.get(query) or []:
                if _worth_keeping(
                    subject,
                    view.get("display_name"),
                    view.get("handle", ""),
                    " ".join(filter(None, [view.get("description")])),
                ):
                    hits.append((query, view))
                    facts.profiles.setdefault(view["did"], view)
        if hits:
            facts.bluesky_hits[x_id] = hits
    for x_id, qs in wanted_fedi.items():
        subject = by_x_id[x_id]
        hits = []
        for query in qs:
            for view in found_home.get(query) or []:
                if view.get("acct") and _worth_keeping(
                    subject,
                    view.get("display_name"),
                    view.get("username") or "",
                    mastodon_text(view),
                ):
                    hits.append((query, view))
                    facts.accounts.setdefault(view["acct"], view)
        if hits:
            facts.mastodon_hits[x_id] = hits
    return bool(facts.bluesky_hits or facts.mastodon_hits)


def _worth_keeping(subject: Subject, shown: str | None, handle: str, text: str) -> bool:
    label = handle.split(".", 1)[0].split("@", 1)[0]
    return (
        names_alike(subject.display_name, shown)
        or any(fold(label) == fold(n) for n in subject.names)
        or back_link(subject, text, "", shown) is not None
    )
