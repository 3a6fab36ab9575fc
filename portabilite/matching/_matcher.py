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
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import httpx
import orjson

from .._time import now_iso
from ..errors import MatchError
from ..networks import HostGuard
from ..workspace import Workspace
from ._addresses import (bluesky_handle_guesses, bridged_bluesky_handle,
                         bridged_mastodon_address, find_bare_addresses, find_bluesky,
                         find_mastodon, html_text, mentions_x_account, normalize_bluesky,
                         normalize_mastodon)
from ._bluesky import BlueskyReader
from ._evidence import ALTERNATIVE_AT, Evidence, score, status_of
from ._subjects import Subject, fold, load_subjects, names_alike, names_compatible

__all__ = ["Candidate", "match_workspace", "list_matches", "decide", "match_counts",
           "MAX_PROBABLE"]

#: who is matched: the followings, the followers, and the people blocked or muted on X (so
#: that ``follow --blocks/--mutes`` can carry those over)
RELATIONS = ("following", "follower", "block", "mute")
#: candidates a person is asked to review per X account and network: more is a chore, and
#: the right one, when it is there at all, is nearly always among the first three
MAX_PROBABLE = 3
#: rounds of cross-network proof (each needs a proven account from the round before)
MAX_ROUNDS = 4
#: evidence only the X account's owner could have given (their directory entry, their bio,
#: their website): it outranks what anyone can write on their own profile (a back-link)
X_SIDE = {"directory_x_id", "bio_handle", "same_domain", "rel_me"}
_UNKNOWN = object()


@dataclass
class Candidate:
    x_id: str
    relation: str
    network: str
    account: str  # Bluesky DID (or handle when unresolved); Mastodon user@host
    handle: str | None = None
    display_name: str | None = None
    bridged: bool = False
    evidence: list[Evidence] = field(default_factory=list)

    def add(self, evidence: Evidence) -> None:
        if evidence not in self.evidence:
            self.evidence.append(evidence)

    @property
    def status(self) -> str:
        return status_of(self.evidence)[1]

    @property
    def score(self) -> float:
        return score(self.evidence)


@dataclass(frozen=True)
class Claim:
    """Someone says X account ``x_id`` is ``account`` on ``network``, for ``evidence``.
    ``verify``: a bare ``user@host`` that counts only when WebFinger shows an actor."""

    network: str
    account: str
    evidence: Evidence
    verify: bool = False


# -- claims from the X side ----------------------------------------------------------------

def _directory(ws: Workspace) -> tuple[dict[str, list[tuple]], dict[str, list[tuple]]]:
    by_id: dict[str, list[tuple]] = {}
    by_handle: dict[str, list[tuple]] = {}
    for x_id, x_handle, network, account, source, dated in ws.conn.execute(
            "SELECT x_id, x_handle, network, account, source, dated FROM directory_entry"):
        row = (network, account, source, dated, x_handle)
        if x_id:
            by_id.setdefault(x_id, []).append(row)
        elif x_handle:
            by_handle.setdefault(x_handle.lower(), []).append(row)
    return by_id, by_handle


def _site_claims(site: dict[str, Any] | None, host: str | None) -> list[Claim]:
    claims: list[Claim] = []
    if not site:
        return claims
    if site.get("did"):
        claims.append(Claim("bluesky", site["did"], Evidence.of("same_domain", domain=host)))
    for link in site.get("rel_me") or []:
        bluesky = normalize_bluesky(link) if "bsky.app/profile/" in link else None
        if bluesky:
            claims.append(Claim("bluesky", bluesky, Evidence.of("rel_me", site=host, link=link)))
            continue
        address = normalize_mastodon(link)
        if address:
            claims.append(Claim("mastodon", address,
                                Evidence.of("rel_me", site=host, link=link)))
    return claims


def _x_side_claims(subject: Subject, by_id: dict[str, list[tuple]],
                   by_handle: dict[str, list[tuple]], sites: dict[str, Any]) -> list[Claim]:
    from ._web import site_key

    claims = [Claim(network, account, Evidence.of("directory_x_id", source=source,
                                                  dated=(dated or "")[:10]))
              for network, account, source, dated, _ in by_id.get(subject.x_id, [])]
    for name in subject.names:
        for network, account, source, _, x_handle in by_handle.get(name.lower(), []):
            claims.append(Claim(network, account, Evidence.through(
                "directory_x_handle", x_handle or name, subject.is_current(name), source=source)))
    text = " ".join(filter(None, [subject.bio, subject.website]))
    for handle in find_bluesky(text):
        claims.append(Claim("bluesky", handle, Evidence.of("bio_handle", account=handle,
                                                           where="bio")))
    for address in find_mastodon(text):
        claims.append(Claim("mastodon", address, Evidence.of("bio_handle", account=f"@{address}",
                                                             where="bio")))
    for address in find_bare_addresses(subject.bio):
        claims.append(Claim("mastodon", address, Evidence.of("bio_handle", account=address,
                                                             where="bio"), verify=True))
    key = site_key(subject.website)
    if key:
        host = key.split("/")[2]
        host = host[4:] if host.startswith("www.") else host
        domain = normalize_bluesky(host)
        if domain and not domain.endswith(("bsky.social", "x.com", "twitter.com", "t.co")) \
                and domain not in {c.account for c in claims}:
            claims.append(Claim("bluesky", domain, Evidence.of("same_domain", domain=domain)))
        claims += _site_claims(sites.get(key), host)
    return claims


def _guesses(subject: Subject, domains: tuple[str, ...]) -> list[tuple[str, str, bool]]:
    """(guessed handle, from X name, the name is current)."""
    out = []
    for name in subject.names:
        for guess in bluesky_handle_guesses(name, domains):
            out.append((guess, name, subject.is_current(name)))
    return out


# -- judging a profile ----------------------------------------------------------------------

def _back_link(subject: Subject, text: str, network: str, shown: str | None) -> Evidence | None:
    """The profile names the X account: through its current handle first, else a stale one.

    From the archive alone, the "current" handle is only the newest one the user's tweets
    show: the account may have renamed since, and someone else taken it. Such a back-link is
    trusted only when the profile's display name is compatible with the X one."""
    trusted = subject.hydrated or names_compatible(subject.display_name, shown)
    for name in subject.names:
        if mentions_x_account(text, [name]):
            return Evidence.through("back_link", name, subject.is_current(name) and trusted,
                                    network=network)
    return None


def _judge_names(cand: Candidate, subject: Subject, shown: str | None) -> None:
    if not subject.display_name or not shown:
        return
    if names_alike(subject.display_name, shown):
        cand.add(Evidence.of("name_match", name=shown))
    elif not names_compatible(subject.display_name, shown):
        cand.add(Evidence.of("name_mismatch", name=shown, x_name=subject.display_name))


def _judge_bluesky(cand: Candidate, subject: Subject, view: dict[str, Any]) -> None:
    text = " ".join(filter(None, [view.get("description"), view.get("display_name")]))
    linked = _back_link(subject, text, "Bluesky", view.get("display_name"))
    if linked:
        cand.add(linked)
    _judge_names(cand, subject, view.get("display_name"))
    labels = set(view.get("labels") or ())
    if "impersonation" in labels:
        cand.add(Evidence.of("impersonation_label"))
    if view.get("handle") == "handle.invalid" or labels & {"!takedown", "!suspend"}:
        cand.add(Evidence.of("account_unavailable", reason=view.get("handle")))


def _mastodon_text(view: dict[str, Any]) -> str:
    parts = [html_text(view.get("note") or "")]
    for name, value in view.get("fields") or []:
        parts.append(f"{html_text(str(name))}: {html_text(str(value))}")
    return "\n".join(parts + [view.get("display_name") or ""])


def _judge_mastodon(cand: Candidate, subject: Subject, view: dict[str, Any]) -> None:
    linked = _back_link(subject, _mastodon_text(view), "Mastodon", view.get("display_name"))
    if linked:
        cand.add(linked)
    _judge_names(cand, subject, view.get("display_name"))
    if view.get("suspended"):
        cand.add(Evidence.of("account_unavailable", reason="suspended"))


def _bluesky_named_by(view: dict[str, Any]) -> list[str]:
    """Bluesky accounts a Mastodon profile names (links, ``*.bsky.social``, a "Bluesky" field)."""
    found = find_bluesky(_mastodon_text(view))
    for name, value in view.get("fields") or []:
        if "bluesky" in str(name).lower() or "bsky" in str(name).lower():
            handle = normalize_bluesky(html_text(str(value)).strip())
            if handle and handle not in found:
                found.append(handle)
    return found


def _mastodon_named_by(view: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(addresses, bare ``user@host`` to verify) a Bluesky profile names."""
    text = view.get("description") or ""
    return find_mastodon(text), find_bare_addresses(text)


# -- one round -----------------------------------------------------------------------------

@dataclass
class _Facts:
    """What the networks said, gathered over the rounds."""

    profiles: dict[str, Any] = field(default_factory=dict)  # Bluesky actor -> view | None
    fingers: dict[str, Any] = field(default_factory=dict)  # address -> WebFinger | None
    accounts: dict[str, Any] = field(default_factory=dict)  # address -> instance view | None
    bluesky_hits: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    mastodon_hits: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)


def _bluesky_candidates(subject: Subject, claims: list[Claim], facts: _Facts,
                        domains: tuple[str, ...]) -> list[Candidate]:
    found: dict[str, Candidate] = {}

    def candidate_for(view: dict[str, Any]) -> Candidate:
        did = view["did"]
        if did not in found:
            found[did] = Candidate(subject.x_id, subject.relation, "bluesky", did,
                                   view["handle"], view.get("display_name"))
        return found[did]

    views: dict[str, dict[str, Any]] = {}
    for claim in claims:
        if claim.network != "bluesky":
            continue
        view = facts.profiles.get(claim.account)
        if view is not None:
            candidate_for(view).add(claim.evidence)
            views[view["did"]] = view
            continue
        if claim.evidence.kind in ("same_domain", "rel_me"):
            continue  # the domain is no Bluesky handle: no candidate at all
        # not looked up yet (offline): keep the word given, unresolved; looked up and not
        # found: keep it, marked unavailable
        key = claim.account
        found.setdefault(key, Candidate(subject.x_id, subject.relation, "bluesky", key,
                                        key if not key.startswith("did:") else None))
        found[key].add(claim.evidence)
        if key in facts.profiles:
            found[key].add(Evidence.of("account_unavailable", reason="not found on Bluesky"))
    for guess, name, current in _guesses(subject, domains):
        view = facts.profiles.get(guess)
        if view is not None:
            candidate_for(view).add(Evidence.through("handle_guess", name, current,
                                                     handle=guess))
            views[view["did"]] = view
    for query, view in facts.bluesky_hits.get(subject.x_id, []):
        cand = candidate_for(view)
        if not any(e.kind == "search_hit" for e in cand.evidence):  # found is found, once
            cand.add(Evidence.of("search_hit", query=query))
        views[view["did"]] = view
        label = (view.get("handle") or "").split(".", 1)[0]
        for name in subject.names:
            if fold(label) == fold(name):
                cand.add(Evidence.through("handle_guess", name, subject.is_current(name),
                                          handle=view.get("handle")))
                break
    for did, view in views.items():
        _judge_bluesky(found[did], subject, view)
    return list(found.values())


def _mastodon_candidates(subject: Subject, claims: list[Claim],
                         facts: _Facts) -> list[Candidate]:
    found: dict[str, Candidate] = {}
    views: dict[str, dict[str, Any]] = {}

    def candidate_for(address: str) -> Candidate:
        key = address.lower()
        if key not in found:
            found[key] = Candidate(subject.x_id, subject.relation, "mastodon", address, address)
        return found[key]

    for claim in claims:
        if claim.network != "mastodon":
            continue
        finger = facts.fingers.get(claim.account, _UNKNOWN)
        if claim.verify and (finger is _UNKNOWN or finger is None
                             or not finger.get("actor_url")):
            continue  # an e-mail, as far as anyone can tell
        address = claim.account
        cand = candidate_for(address)
        cand.add(claim.evidence)
        if finger is None:
            cand.add(Evidence.of("account_unavailable", reason="WebFinger: no such account"))
        elif finger is not _UNKNOWN and finger["subject"].lower() != address.lower():
            found.pop(address.lower())
            canonical = candidate_for(finger["subject"])
            for evidence in cand.evidence:
                canonical.add(evidence)
            cand, address = canonical, finger["subject"]
        view = facts.accounts.get(address) or facts.accounts.get(claim.account)
        if view:
            views[address.lower()] = view
    for query, view in facts.mastodon_hits.get(subject.x_id, []):
        address = view["acct"]
        cand = candidate_for(address)
        if not any(e.kind == "search_hit" for e in cand.evidence):
            cand.add(Evidence.of("search_hit", query=query))
        views[address.lower()] = view
        for name in subject.names:
            if fold(view.get("username") or address.split("@")[0]) == fold(name):
                cand.add(Evidence.through("handle_guess", name, subject.is_current(name),
                                          handle=f"@{address}"))
                break
    result = []
    for key, cand in list(found.items()):
        view = views.get(key)
        if view:
            cand.display_name = view.get("display_name") or cand.display_name
            _judge_mastodon(cand, subject, view)
            moved = view.get("moved_to")
            if moved:
                cand.add(Evidence.of("account_unavailable", reason=f"moved to {moved}"))
                successor = Candidate(cand.x_id, cand.relation, "mastodon", moved, moved,
                                      cand.display_name)
                for evidence in cand.evidence:
                    if evidence.weight > 0:
                        successor.add(evidence)
                successor.add(Evidence.of("moved_from", previous=cand.account))
                result.append(successor)
        result.append(cand)
    return result


def _settle(candidates: list[Candidate]) -> None:
    """Conflicts and ranks: one account proven for two X ids, or two accounts proven for one
    X id on one network, go to review (unless only one of them is backed from the X side);
    beside a confirmed account, or past the first ``MAX_PROBABLE``, candidates are outranked."""
    def proven(c: Candidate) -> bool:
        return not c.bridged and c.status == "confirmed"

    per_subject: dict[tuple[str, str], list[Candidate]] = {}
    for cand in candidates:
        if not cand.bridged:
            per_subject.setdefault((cand.x_id, cand.network), []).append(cand)
    for (x_id, network), group in per_subject.items():
        strong = [c for c in group if proven(c)]
        if len(strong) > 1:
            backed = [c for c in strong if any(e.kind in X_SIDE for e in c.evidence)]
            losers = strong if len(backed) != 1 else [c for c in strong if c is not backed[0]]
            for cand in losers:
                cand.add(Evidence.of("conflict"))
    per_account: dict[tuple[str, str], list[Candidate]] = {}
    for cand in candidates:
        if proven(cand):
            per_account.setdefault((cand.network, cand.account.lower()), []).append(cand)
    for group in per_account.values():
        if len({c.x_id for c in group}) > 1:
            for cand in group:
                cand.add(Evidence.of("shared_account"))
    for group in per_subject.values():
        if any(c.status == "probable" for c in group):  # a person looks at this one anyway:
            for cand in group:  # show the plausible alternatives beside it
                if cand.status == "rejected" and cand.score >= ALTERNATIVE_AT:
                    cand.add(Evidence.of("alternative"))
        confirmed = [c for c in group if c.status == "confirmed"]
        waiting = sorted((c for c in group if c.status == "probable"),
                         key=lambda c: -c.score)
        losers = waiting if confirmed else waiting[MAX_PROBABLE:]
        for cand in losers:
            cand.add(Evidence.of("outranked"))


def _worth_a_look(cand: Candidate) -> bool:
    """A candidate whose word is worth following up: not disqualified nor outranked (a weak
    one may still name the person's account elsewhere, which will have to prove itself)."""
    kinds = {e.kind for e in cand.evidence}
    return cand.status != "rejected" or (
        "outranked" not in kinds and all(e.weight > -1 for e in cand.evidence)
        and any(e.weight > 0 for e in cand.evidence))


def _cross_claims(candidates: list[Candidate], facts: _Facts) -> dict[str, list[Claim]]:
    """What the candidates say about the other network: a confirmed account's word is proof
    (``cross_link``); another's only a lead (``linked_from``), for the account named there to
    prove itself (its own back-link to X)."""
    out: dict[str, list[Claim]] = {}
    for cand in candidates:
        if cand.bridged or not _worth_a_look(cand):
            continue
        kind = "cross_link" if cand.status == "confirmed" else "linked_from"
        if cand.network == "bluesky":
            view = facts.profiles.get(cand.account) or {}
            addresses, bare = _mastodon_named_by(view)
            evidence = Evidence.of(kind, network="Bluesky", account=f"@{cand.handle}")
            out.setdefault(cand.x_id, []).extend(
                [Claim("mastodon", a, evidence) for a in addresses] +
                [Claim("mastodon", a, evidence, verify=True) for a in bare])
        else:
            view = facts.accounts.get(cand.account) or {}
            evidence = Evidence.of(kind, network="Mastodon", account=f"@{cand.account}")
            out.setdefault(cand.x_id, []).extend(
                Claim("bluesky", h, evidence) for h in _bluesky_named_by(view))
    return out


def _mirrors(subjects: dict[str, Subject], candidates: list[Candidate], facts: _Facts,
             reader: BlueskyReader, fingers: Callable[[list[str]], dict[str, Any]]
             ) -> list[Candidate]:
    """Bridgy Fed mirrors for people proven on one network and not found on the other."""
    per: dict[str, dict[str, list[Candidate]]] = {}
    for cand in candidates:
        per.setdefault(cand.x_id, {}).setdefault(cand.network, []).append(cand)

    def best_confirmed(x_id: str, network: str) -> Candidate | None:
        group = per.get(x_id, {})
        if any(c.status != "rejected" for c in group.get(_other(network), [])):
            return None  # the person has (or may have) a native account there
        native = [c for c in group.get(network, []) if c.status == "confirmed" and c.handle]
        return max(native, key=lambda c: c.score) if native else None

    mirrors: list[Candidate] = []
    wanted_fedi = {}
    wanted_sky = {}
    for x_id in per:
        sky = best_confirmed(x_id, "bluesky")
        if sky is not None:
            wanted_fedi[bridged_mastodon_address(sky.handle or "")] = sky
        fedi = best_confirmed(x_id, "mastodon")
        if fedi is not None:
            wanted_sky[bridged_bluesky_handle(fedi.account)] = fedi
    answers = fingers(list(wanted_fedi))
    for address, native in wanted_fedi.items():
        if not answers.get(address):
            continue  # not bridged (or unknown yet)
        mirror = Candidate(native.x_id, native.relation, "mastodon", address, address,
                           native.display_name, bridged=True)
        for evidence in native.evidence:
            mirror.add(evidence)
        mirrors.append(mirror)
    views = reader.profiles(list(wanted_sky)) if wanted_sky else {}
    for handle, native in wanted_sky.items():
        view = views.get(handle)
        if not view:
            continue
        mirror = Candidate(native.x_id, native.relation, "bluesky", view["did"], view["handle"],
                           view.get("display_name"), bridged=True)
        for evidence in native.evidence:
            mirror.add(evidence)
        mirrors.append(mirror)
    return mirrors


def _other(network: str) -> str:
    return "mastodon" if network == "bluesky" else "bluesky"


def match_workspace(ws: Workspace, *, bluesky: Any | None = None, refresh: bool = False,
                    relations: Iterable[str] = RELATIONS,
                    guess_domains: tuple[str, ...] = ("bsky.social",),
                    fediverse: bool | None = None, mastodon: Any | None = None,
                    guard: HostGuard | None = None,
                    web_transport: httpx.AsyncBaseTransport | None = None,
                    webfinger_transport: httpx.AsyncBaseTransport | None = None,
                    search: bool | None = None,
                    progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Run the resolvers and store the candidates; returns ``match_counts(ws)``.

    ``bluesky``: a client for online Bluesky look-ups (None: offline, from the archive, the
    directories and the cache only). ``fediverse``: WebFinger the Mastodon addresses, read the
    personal websites, look for Bridgy Fed mirrors (default: online when ``bluesky`` is
    given). ``mastodon``: the user's own instance, to search accounts it knows and to find
    suspended and moved ones. ``guard`` decides which hosts may be contacted (default: public
    hosts only); ``web_transport`` carries WebFinger and website requests (tests route them).
    ``search`` (default: when online): for the followed X accounts nothing has proven on a
    network, a name search there (Bluesky's and the user's own instance's; cached; weak evidence, unless
    the account found links back to the X account)."""
    from ._fediverse import resolve_many, search_home, webfinger_many
    from ._web import read_sites

    online = bluesky is not None if fediverse is None else fediverse
    if mastodon is not None:
        _pace_instance(ws, mastodon)
    search = (bluesky is not None or mastodon is not None) if search is None else search
    guard = guard or HostGuard(network="mastodon")
    transport = web_transport or webfinger_transport
    subjects = load_subjects(ws, relations)
    by_x_id = {s.x_id: s for s in subjects}
    by_id, by_handle = _directory(ws)
    reader = BlueskyReader(ws, bluesky, refresh=refresh)
    facts = _Facts()
    sites = read_sites(ws, [s.website for s in subjects if s.website], online=online,
                       refresh=refresh, guard=guard, transport=transport)
    base_claims = {s.x_id: _x_side_claims(s, by_id, by_handle, sites) for s in subjects}
    cross: dict[str, list[Claim]] = {}
    searched = False
    first_round = True

    fingered: set[str] = set()  # asked this run (a host that failed is not asked again)
    host_meta: dict[str, str | None] = {}  # each host's host-meta, asked once this run

    def fingers_for(addresses: list[str]) -> dict[str, Any]:
        wanted = [a for a in dict.fromkeys(addresses) if a not in fingered]
        fingered.update(wanted)
        if wanted:
            facts.fingers.update(webfinger_many(ws, wanted, online=online, refresh=refresh,
                                                guard=guard, transport=transport,
                                                host_meta=host_meta))
        return facts.fingers

    candidates: list[Candidate] = []
    for _ in range(2 * MAX_ROUNDS + 1):
        claims = {x: base_claims[x] + cross.get(x, []) for x in base_claims}
        actors = [c.account for cs in claims.values() for c in cs if c.network == "bluesky"]
        actors += [g for s in subjects for g, _, _ in _guesses(s, guess_domains)]
        actors = [a for a in dict.fromkeys(actors) if a not in facts.profiles]
        if actors:
            for key, view in reader.profiles(actors, progress if first_round else None).items():
                facts.profiles[key] = view
                if view is not None:
                    facts.profiles.setdefault(view["did"], view)
        first_round = False
        addresses = [c.account for cs in claims.values() for c in cs if c.network == "mastodon"]
        fingers_for(addresses)
        canonical = [facts.fingers[a]["subject"] if facts.fingers.get(a) else a
                     for a in addresses]
        unseen = [a for a in dict.fromkeys(canonical) if a not in facts.accounts]
        facts.accounts.update(resolve_many(ws, unseen, mastodon, refresh=refresh))
        candidates = []
        for subject in subjects:
            mine = claims[subject.x_id]
            candidates += _bluesky_candidates(subject, mine, facts, guess_domains)
            candidates += _mastodon_candidates(subject, mine, facts)
        _settle(candidates)
        fresh = _cross_claims(candidates, facts)
        known = {(x, c.network, c.account, c.evidence.kind) for x, cs in claims.items()
                 for c in cs}
        new = {x: [c for c in cs if (x, c.network, c.account, c.evidence.kind) not in known]
               for x, cs in fresh.items()}
        new = {x: cs for x, cs in new.items() if cs}
        for x, cs in new.items():
            cross.setdefault(x, []).extend(cs)
        if new:
            continue
        if searched or not search:
            break
        searched = True
        _search(ws, subjects, candidates, facts, reader, mastodon, refresh,
                online=bluesky is not None)
    candidates += _mirrors(by_x_id, candidates, facts, reader, fingers_for) if online else []
    _store(ws, candidates)
    return match_counts(ws)


def _pace_instance(ws: Workspace, mastodon: Any) -> None:
    """The instance's request budget (300 per 5 minutes per account, kept in the workspace so
    it holds across runs and with ``follow``), unless the caller gave the client one."""
    from ..errors import PortabiliteError
    from ..networks.mastodon import mastodon_budgets
    from ..workspace import WorkspaceLedger

    if getattr(mastodon, "request_budget", False) is not None:
        return
    try:
        me = mastodon.me()
    except PortabiliteError:
        return  # the instance will say so again at the first look-up
    acct = me.acct if "@" in me.acct else f"{me.acct}@{mastodon.local_domain}"
    mastodon.request_budget = mastodon_budgets(acct, WorkspaceLedger(ws))[1]


def _search(ws: Workspace, subjects: list[Subject], candidates: list[Candidate],
            facts: _Facts, reader: BlueskyReader, mastodon: Any | None, refresh: bool, *,
            online: bool) -> None:
    """Name searches for the followed X accounts with no confirmed account on a network: on
    Bluesky by display name and by current handle, on the user's instance by display name. A hit is kept only when its name or handle is alike, or it
    links back to the X account."""
    from ._fediverse import account_view, search_home

    confirmed = {(c.x_id, c.network) for c in candidates if c.status == "confirmed"}

    def queries(subject: Subject) -> list[str]:
        return [q for q in (subject.display_name, subject.current) if q and q.strip()]

    # the accounts the user follows: those are followed, and there are at most a few thousand;
    # a city's hundreds of thousands of followers would take days of searching
    subjects = [s for s in subjects if s.relation == "following"]
    wanted_sky = {s.x_id: queries(s) for s in subjects if (s.x_id, "bluesky") not in confirmed}
    # one query per person on the user's instance, whose budget is small (300 requests per
    # 5 minutes): the display name, which its search matches against names and usernames
    wanted_fedi = {s.x_id: queries(s)[:1] for s in subjects
                   if (s.x_id, "mastodon") not in confirmed}
    answers = reader.search([q for qs in wanted_sky.values() for q in qs])
    home = search_home(ws, mastodon, [q for qs in wanted_fedi.values() for q in qs],
                       refresh=refresh)
    by_x_id = {s.x_id: s for s in subjects}
    for x_id, qs in wanted_sky.items():
        subject = by_x_id[x_id]
        hits = []
        for query in qs:
            for view in answers.get(query) or []:
                if _worth_keeping(subject, view.get("display_name"), view.get("handle", ""),
                                  " ".join(filter(None, [view.get("description")]))):
                    hits.append((query, view))
                    facts.profiles.setdefault(view["did"], view)
        if hits:
            facts.bluesky_hits[x_id] = hits
    for x_id, qs in wanted_fedi.items():
        subject = by_x_id[x_id]
        hits = []
        for query in qs:
            for view in home.get(query) or []:
                if view.get("acct") and _worth_keeping(
                        subject, view.get("display_name"), view.get("username") or "",
                        _mastodon_text(view)):
                    hits.append((query, view))
                    facts.accounts.setdefault(view["acct"], view)
        if hits:
            facts.mastodon_hits[x_id] = hits


def _worth_keeping(subject: Subject, shown: str | None, handle: str, text: str) -> bool:
    label = handle.split(".", 1)[0].split("@", 1)[0]
    return (names_alike(subject.display_name, shown)
            or any(fold(label) == fold(n) for n in subject.names)
            or _back_link(subject, text, "", shown) is not None)


def _store(ws: Workspace, candidates: list[Candidate]) -> None:
    now = now_iso()
    with ws.transaction() as db:
        db.execute("CREATE TEMP TABLE IF NOT EXISTS seen_match (id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM temp.seen_match")
        for cand in candidates:
            value, status = status_of(cand.evidence)
            row = db.execute(
                "INSERT INTO match (x_id, relation, network, account, handle, display_name,"
                " bridged, score, status, evidence, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?) ON CONFLICT (x_id, network, account) DO UPDATE SET"
                " handle = excluded.handle, display_name = excluded.display_name,"
                " bridged = excluded.bridged, score = excluded.score, status = excluded.status,"
                " evidence = excluded.evidence, updated_at = excluded.updated_at RETURNING id",
                (cand.x_id, cand.relation, cand.network, cand.account, cand.handle,
                 cand.display_name, int(cand.bridged), value, status,
                 orjson.dumps([e.to_record() for e in cand.evidence]).decode(), now)).fetchone()
            db.execute("INSERT OR IGNORE INTO temp.seen_match (id) VALUES (?)", (row[0],))
        # what no resolver produces any more goes, unless the user decided about it
        db.execute("DELETE FROM match WHERE decision IS NULL AND id NOT IN"
                   " (SELECT id FROM temp.seen_match)")
        db.execute("DROP TABLE temp.seen_match")


_IN_RELATION = ("EXISTS (SELECT 1 FROM relation r WHERE r.x_id = m.x_id AND r.kind = ?"
                " AND r.removed_import IS NULL)")
_EFFECTIVE = ("CASE m.decision WHEN 'accepted' THEN 'confirmed' WHEN 'rejected' THEN 'rejected'"
              " ELSE m.status END")


def match_counts(ws: Workspace) -> dict[str, Any]:
    """``{"bluesky": {"confirmed": n, "probable": n, "rejected": n}, "mastodon": {...},
    "followers": {...same...}}``: following first, followers reported separately."""
    counts: dict[str, Any] = {}
    for relation, key in (("following", None), ("follower", "followers")):
        target = counts if key is None else counts.setdefault(key, {})
        for network in ("bluesky", "mastodon"):
            per = {"confirmed": 0, "probable": 0, "rejected": 0}
            for status, n in ws.conn.execute(
                    f"SELECT {_EFFECTIVE}, count(DISTINCT m.x_id) FROM match m"
                    f" WHERE m.network = ? AND {_IN_RELATION} GROUP BY 1", (network, relation)):
                per[status] = n
            target[network] = per
    return counts


def list_matches(ws: Workspace, *, network: str | None = None, status: str | None = None,
                 relation: str | None = "following") -> list[dict[str, Any]]:
    """``relation``: "following" (default), "follower", or None for both."""
    where, params = [], []
    if network:
        where.append("m.network = ?")
        params.append(network)
    if relation:
        where.append(_IN_RELATION)
        params.append(relation)
    if status:
        where.append(f"{_EFFECTIVE} = ?")
        params.append(status)
    sql = (f"SELECT m.id, m.x_id, COALESCE(p.screen_name, h.screen_name), m.relation, m.network, m.account, m.handle,"
           f" m.display_name, m.bridged, {_EFFECTIVE}, m.score, m.evidence, m.decision"
           f" FROM match m LEFT JOIN handle_hint h ON h.x_id = m.x_id"
           f" LEFT JOIN x_profile p ON p.x_id = m.x_id"
           + (f" WHERE {' AND '.join(where)}" if where else "")
           + " ORDER BY m.network, m.score DESC, m.x_id")
    out = []
    for (id_, x_id, x_handle, relation_, network_, account, handle, display_name, bridged,
         status_, score_, evidence, decision) in ws.conn.execute(sql, params):
        if network_ == "bluesky":
            account_json: dict[str, Any] = {"handle": handle,
                                            "did": account if account.startswith("did:") else None}
        else:
            account_json = {"address": account}
        out.append({"id": id_, "x_id": x_id, "x_handle": x_handle, "relation": relation_,
                    "network": network_, "account": account_json, "display_name": display_name,
                    "bridged": bool(bridged), "status": status_, "score": score_,
                    "evidence": [Evidence.from_record(e).to_json() for e in orjson.loads(evidence)],
                    "decision": decision})
    return out


def decide(ws: Workspace, match_id: int, decision: str) -> None:
    """Record the user's review decision (``accepted`` or ``rejected``); re-runs keep it."""
    if decision not in ("accepted", "rejected"):
        raise ValueError(decision)
    with ws.transaction() as db:
        changed = db.execute("UPDATE match SET decision = ?, decided_at = ? WHERE id = ?",
                             (decision, now_iso(), match_id)).rowcount
    if not changed:
        raise MatchError("match.unknown_id", id=match_id)
