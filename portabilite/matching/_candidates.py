"""Candidates and how they are judged: the claims the X side makes (directories, the X
profile, the website, guessed handles), each candidate's evidence from its profile, the
settling of conflicts and ranks, what a candidate says of the other network, and Bridgy Fed
mirrors. Pure functions of what the networks said (``Facts``): ``_matcher`` asks, this judges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import orjson

from ..workspace import Workspace
from ._addresses import (
    bluesky_handle_guesses,
    bridged_bluesky_handle,
    bridged_mastodon_address,
    find_bare_addresses,
    find_bluesky,
    find_mastodon,
    html_text,
    mentions_x_account,
    normalize_bluesky,
    normalize_mastodon,
)
from ._bluesky import BlueskyReader
from ._evidence import ALTERNATIVE_AT, Evidence, status_of
from ._subjects import Subject, fold, names_alike, names_compatible

#: candidates a person is asked to review per X account and network: more is a chore, and
#: the right one, when it is there at all, is nearly always among the first three
MAX_PROBABLE = 3
#: evidence only the X account's owner could have given (their directory entry, their bio,
#: their website): it outranks what anyone can write on their own profile (a back-link)
X_SIDE = {
    "directory_x_id",
    "directory_x_post",
    "directory_x_post_stale",
    "directory_self_declared",
    "bio_handle",
    "same_domain",
    "rel_me",
}
_UNKNOWN = object()

__all__ = [
    "Candidate",
    "Claim",
    "Facts",
    "MAX_PROBABLE",
    "X_SIDE",
    "directory",
    "x_side_claims",
    "guesses",
    "back_link",
    "mastodon_text",
    "bluesky_candidates",
    "mastodon_candidates",
    "settle",
    "cross_claims",
    "mirrors",
]


@dataclass(slots=True)
class Candidate:
    x_id: str
    relation: str
    network: str
    account: str  # Bluesky DID (or handle when unresolved); Mastodon user@host
    handle: str | None = None
    display_name: str | None = None
    bridged: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    # (score, status), judged again only when evidence is added: settling and the rounds ask
    # each candidate's status many times, and a large account has hundreds of thousands
    _judged: tuple[float, str] | None = field(default=None, repr=False, compare=False)
    #: confirmed before accounts shared between X ids were looked for (``settle`` says)
    proven: bool = field(default=False, compare=False)

    def add(self, evidence: Evidence) -> None:
        if evidence not in self.evidence:
            self.evidence.append(evidence)
            self._judged = None

    @property
    def judged(self) -> tuple[float, str]:
        if self._judged is None:
            self._judged = status_of(self.evidence)
        return self._judged

    @property
    def status(self) -> str:
        return self.judged[1]

    @property
    def score(self) -> float:
        return self.judged[0]


@dataclass(frozen=True, slots=True)
class Claim:
    """Someone says X account ``x_id`` is ``account`` on ``network``, for ``evidence``.
    ``verify``: a bare ``user@host`` that counts only when WebFinger shows an actor."""

    network: str
    account: str
    evidence: Evidence
    verify: bool = False


# -- claims from the X side ----------------------------------------------------------------


def directory(
    ws: Workspace, subjects: list[Subject]
) -> tuple[dict[str, list[Claim]], dict[str, list[tuple]]]:
    """The directory entries about ``subjects``: by X id (as claims), and (for entries that
    give no id) by lower-cased X handle (as rows: the evidence depends on whether the handle
    is the subject's current one). Read through the directory's indexes for these accounts
    only: a community directory can hold ten million rows."""
    by_id: dict[str, list[Claim]] = {}
    evidence: dict[tuple[str, str, str], Evidence] = {}  # one per source, date, kind: shared
    by_handle: dict[str, list[tuple]] = {}
    # the wanted keys as one JSON list: SQLite then looks each up through the index (with a
    # temporary table of them, its planner scans the whole directory instead)
    ids = orjson.dumps([s.x_id for s in subjects]).decode()
    names = orjson.dumps(list({n.lower() for s in subjects for n in s.names})).decode()
    current = {s.x_id: s for s in subjects}
    for x_id, network, account, source, dated, proof, x_handle in ws.conn.execute(
        "SELECT x_id, network, account, source, dated, x_proof, x_handle FROM directory_entry"
        " WHERE x_id IN (SELECT value FROM json_each(?))",
        (ids,),
    ):
        day = (dated or "")[:10]
        if proof == "post":
            # a directory server saw a post of this handle on X: the X id is the person's
            # only if that handle is the account's current one (handles change hands)
            subject = current.get(x_id)
            fresh = subject is not None and subject.is_current(x_handle or "")
            kind = "directory_x_post" if fresh else "directory_x_post_stale"
            said = Evidence.of(kind, source=source, dated=day, x_handle=x_handle or "?")
        else:
            kind = "directory_self_declared" if proof == "self" else "directory_x_id"
            shared = evidence.get((source, day, kind))
            if shared is None:
                shared = evidence[source, day, kind] = Evidence.of(kind, source=source, dated=day)
            said = shared
        by_id.setdefault(x_id, []).append(Claim(network, account, said))
    for x_handle, network, account, source, dated in ws.conn.execute(
        "SELECT x_handle, network, account, source, dated FROM directory_entry"
        " WHERE lower(x_handle) IN (SELECT value FROM json_each(?))"
        " AND +x_id IS NULL",  # (+: through the handle index, not the id one)
        (names,),
    ):
        row = (network, account, source, dated, x_handle)
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
            claims.append(Claim("mastodon", address, Evidence.of("rel_me", site=host, link=link)))
    return claims


def x_side_claims(
    subject: Subject,
    by_id: dict[str, list[Claim]],
    by_handle: dict[str, list[tuple]],
    sites: dict[str, Any],
) -> list[Claim]:
    from ._web import site_key

    claims = list(by_id.get(subject.x_id, ()))
    if not (subject.names or subject.bio or subject.website):
        return claims  # known by its id only (most of a large account's followers)
    for name in subject.names:
        for network, account, source, _, x_handle in by_handle.get(name.lower(), []):
            claims.append(
                Claim(
                    network,
                    account,
                    Evidence.through(
                        "directory_x_handle",
                        x_handle or name,
                        subject.is_current(name),
                        source=source,
                    ),
                )
            )
    text = " ".join(filter(None, [subject.bio, subject.website]))
    for handle in find_bluesky(text):
        claims.append(
            Claim("bluesky", handle, Evidence.of("bio_handle", account=handle, where="bio"))
        )
    for address in find_mastodon(text):
        claims.append(
            Claim(
                "mastodon", address, Evidence.of("bio_handle", account=f"@{address}", where="bio")
            )
        )
    for address in find_bare_addresses(subject.bio):
        claims.append(
            Claim(
                "mastodon",
                address,
                Evidence.of("bio_handle", account=address, where="bio"),
                verify=True,
            )
        )
    key = site_key(subject.website)
    if key:
        host = key.split("/")[2]
        host = host[4:] if host.startswith("www.") else host
        domain = normalize_bluesky(host)
        if domain and domain not in {c.account for c in claims}:
            claims.append(Claim("bluesky", domain, Evidence.of("same_domain", domain=domain)))
        claims += _site_claims(sites.get(key), host)
    return claims


def guesses(subject: Subject, domains: tuple[str, ...]) -> list[tuple[str, str, bool]]:
    """(guessed handle, from X name, the name is current)."""
    out = []
    for name in subject.names:
        for guess in bluesky_handle_guesses(name, domains):
            out.append((guess, name, subject.is_current(name)))
    return out


# -- judging a profile ----------------------------------------------------------------------


def back_link(subject: Subject, text: str, network: str, shown: str | None) -> Evidence | None:
    """The profile names the X account: through its current handle first, else a stale one.

    From the archive alone, the "current" handle is only the newest one the user's tweets
    show: the account may have renamed since, and someone else taken it. Such a back-link is
    trusted only when the profile's display name is compatible with the X one."""
    trusted = subject.hydrated or names_compatible(subject.display_name, shown)
    for name in subject.names:
        if mentions_x_account(text, [name]):
            return Evidence.through(
                "back_link", name, subject.is_current(name) and trusted, network=network
            )
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
    linked = back_link(subject, text, "Bluesky", view.get("display_name"))
    if linked:
        cand.add(linked)
    _judge_names(cand, subject, view.get("display_name"))
    labels = set(view.get("labels") or ())
    if "impersonation" in labels:
        cand.add(Evidence.of("impersonation_label"))
    if view.get("handle") == "handle.invalid" or labels & {"!takedown", "!suspend"}:
        taken_down = bool(labels & {"!takedown", "!suspend"})
        reason = "taken_down" if taken_down else "handle_invalid"
        cand.add(Evidence.of("account_unavailable", reason=reason))


def mastodon_text(view: dict[str, Any]) -> str:
    parts = [html_text(view.get("note") or "")]
    for name, value in view.get("fields") or []:
        parts.append(f"{html_text(str(name))}: {html_text(str(value))}")
    return "\n".join(parts + [view.get("display_name") or ""])


def _judge_mastodon(cand: Candidate, subject: Subject, view: dict[str, Any]) -> None:
    linked = back_link(subject, mastodon_text(view), "Mastodon", view.get("display_name"))
    if linked:
        cand.add(linked)
    _judge_names(cand, subject, view.get("display_name"))
    if view.get("suspended"):
        cand.add(Evidence.of("account_unavailable", reason="suspended"))


def _bluesky_named_by(view: dict[str, Any]) -> list[str]:
    """Bluesky accounts a Mastodon profile names (links, ``*.bsky.social``, a "Bluesky" field)."""
    found = find_bluesky(mastodon_text(view))
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
class Facts:
    """What the networks said, gathered over the rounds."""

    profiles: dict[str, Any] = field(default_factory=dict)  # Bluesky actor -> view | None
    fingers: dict[str, Any] = field(default_factory=dict)  # address -> WebFinger | None
    accounts: dict[str, Any] = field(default_factory=dict)  # address -> instance view | None
    bluesky_hits: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    mastodon_hits: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)


def bluesky_candidates(
    subject: Subject, claims: list[Claim], facts: Facts, domains: tuple[str, ...]
) -> list[Candidate]:
    found: dict[str, Candidate] = {}

    def candidate_for(view: dict[str, Any]) -> Candidate:
        did = view["did"]
        if did not in found:
            found[did] = Candidate(
                subject.x_id,
                subject.relation,
                "bluesky",
                did,
                view["handle"],
                view.get("display_name"),
            )
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
        found.setdefault(
            key,
            Candidate(
                subject.x_id,
                subject.relation,
                "bluesky",
                key,
                key if not key.startswith("did:") else None,
            ),
        )
        found[key].add(claim.evidence)
        if key in facts.profiles:
            found[key].add(Evidence.of("account_unavailable", reason="not_found_bluesky"))
    for guess, name, current in guesses(subject, domains):
        view = facts.profiles.get(guess)
        if view is not None:
            candidate_for(view).add(Evidence.through("handle_guess", name, current, handle=guess))
            views[view["did"]] = view
    for query, view in facts.bluesky_hits.get(subject.x_id, []):
        cand = candidate_for(view)
        if not any(e.kind == "search_hit" for e in cand.evidence):  # found is found, once
            cand.add(Evidence.of("search_hit", query=query))
        views[view["did"]] = view
        label = (view.get("handle") or "").split(".", 1)[0]
        for name in subject.names:
            if fold(label) == fold(name):
                cand.add(
                    Evidence.through(
                        "handle_guess", name, subject.is_current(name), handle=view.get("handle")
                    )
                )
                break
    for did, view in views.items():
        _judge_bluesky(found[did], subject, view)
    return list(found.values())


def mastodon_candidates(subject: Subject, claims: list[Claim], facts: Facts) -> list[Candidate]:
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
        if claim.verify and (finger is _UNKNOWN or finger is None or not finger.get("actor_url")):
            continue  # an e-mail, as far as anyone can tell
        address = claim.account
        cand = candidate_for(address)
        cand.add(claim.evidence)
        if finger is None:
            cand.add(Evidence.of("account_unavailable", reason="no_such_account"))
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
                cand.add(
                    Evidence.through(
                        "handle_guess", name, subject.is_current(name), handle=f"@{address}"
                    )
                )
                break
    # each account judged on its own profile; an account that moved hands its positive
    # evidence to the one it moved to, which is then judged on its own (suspended? moved
    # again?), as one candidate however many ways it was found
    order = list(found)
    for key in order:
        cand = found[key]
        view = views.get(key) or facts.accounts.get(cand.account)
        if not view:
            continue  # not looked at yet (offline, or the next round)
        cand.display_name = view.get("display_name") or cand.display_name
        _judge_mastodon(cand, subject, view)
        moved = view.get("moved_to")
        if moved:
            cand.add(Evidence.of("account_unavailable", reason="moved", target=moved))
            successor = candidate_for(moved)
            successor.display_name = successor.display_name or cand.display_name
            for evidence in cand.evidence:
                if evidence.weight > 0:
                    successor.add(evidence)
            successor.add(Evidence.of("moved_from", previous=cand.account))
            if moved.lower() not in order:
                order.append(moved.lower())
    return list(found.values())


def settle(candidates: list[Candidate], shared: frozenset[tuple[str, str]] = frozenset()) -> None:
    """Conflicts and ranks: one account proven for two X ids, or two accounts proven for one
    X id on one network, go to review (unless only one of them is backed from the X side);
    beside a confirmed account, or past the first ``MAX_PROBABLE``, candidates are outranked.
    ``shared``: (network, account lower-cased) known to be proven for another X id elsewhere
    (the matcher settles large accounts chunk by chunk)."""

    def proven(c: Candidate) -> bool:
        return not c.bridged and c.status == "confirmed"

    per_subject: dict[tuple[str, str], list[Candidate]] = {}
    for cand in candidates:
        if not cand.bridged:
            per_subject.setdefault((cand.x_id, cand.network), []).append(cand)
    # most X accounts have one candidate per network: no conflict, no rank to settle
    groups = [group for group in per_subject.values() if len(group) > 1]
    for group in groups:
        strong = [c for c in group if proven(c)]
        if len(strong) > 1:
            # the X owner's own word wins, unless its profile looks like someone else (a bio
            # names other accounts too: "journaliste chez bsky.app/profile/lemonde.fr")
            backed = [
                c
                for c in strong
                if any(e.kind in X_SIDE for e in c.evidence)
                and not any(e.kind == "name_mismatch" for e in c.evidence)
            ]
            losers = strong if len(backed) != 1 else [c for c in strong if c is not backed[0]]
            for cand in losers:
                cand.add(Evidence.of("conflict"))
    per_account: dict[tuple[str, str], list[Candidate]] = {}
    for cand in candidates:
        cand.proven = proven(cand)
        if cand.proven:
            per_account.setdefault((cand.network, cand.account.lower()), []).append(cand)
    for key, group in per_account.items():
        if key in shared or len({c.x_id for c in group}) > 1:
            for cand in group:
                cand.add(Evidence.of("shared_account"))
    for group in groups:
        if any(c.status == "probable" for c in group):  # a person looks at this one anyway:
            for cand in group:  # show the plausible alternatives beside it
                if cand.status == "rejected" and cand.score >= ALTERNATIVE_AT:
                    cand.add(Evidence.of("alternative"))
        confirmed = [c for c in group if c.status == "confirmed"]
        waiting = sorted((c for c in group if c.status == "probable"), key=lambda c: -c.score)
        losers = waiting if confirmed else waiting[MAX_PROBABLE:]
        for cand in losers:
            cand.add(Evidence.of("outranked"))


def _worth_a_look(cand: Candidate) -> bool:
    """A candidate whose word is worth following up: not disqualified nor outranked (a weak
    one may still name the person's account elsewhere, which will have to prove itself)."""
    kinds = {e.kind for e in cand.evidence}
    return cand.status != "rejected" or (
        "outranked" not in kinds
        and all(e.weight > -1 for e in cand.evidence)
        and any(e.weight > 0 for e in cand.evidence)
    )


def cross_claims(candidates: list[Candidate], facts: Facts) -> dict[str, list[Claim]]:
    """What the candidates say about the other network: a confirmed account's word is proof
    (``cross_link``); another's only a lead (``linked_from``), for the account named there to
    prove itself (its own back-link to X)."""
    out: dict[str, list[Claim]] = {}
    for cand in candidates:
        if cand.bridged or not _worth_a_look(cand):
            continue
        kind = "cross_link" if cand.status == "confirmed" else "linked_from"
        if cand.network == "bluesky":
            addresses, bare = _mastodon_named_by(facts.profiles.get(cand.account) or {})
            if addresses or bare:
                evidence = Evidence.of(kind, network="Bluesky", account=f"@{cand.handle}")
                out.setdefault(cand.x_id, []).extend(
                    [Claim("mastodon", a, evidence) for a in addresses]
                    + [Claim("mastodon", a, evidence, verify=True) for a in bare]
                )
        else:
            handles = _bluesky_named_by(facts.accounts.get(cand.account) or {})
            if handles:
                evidence = Evidence.of(kind, network="Mastodon", account=f"@{cand.account}")
                out.setdefault(cand.x_id, []).extend(Claim("bluesky", h, evidence) for h in handles)
    return out


def mirrors(
    subjects: dict[str, Subject],
    candidates: list[Candidate],
    facts: Facts,
    reader: BlueskyReader,
    fingers: Callable[[list[str]], dict[str, Any]],
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

    made: list[Candidate] = []
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
        mirror = Candidate(
            native.x_id,
            native.relation,
            "mastodon",
            address,
            address,
            native.display_name,
            bridged=True,
        )
        for evidence in native.evidence:
            mirror.add(evidence)
        made.append(mirror)
    views = reader.profiles(list(wanted_sky)) if wanted_sky else {}
    for handle, native in wanted_sky.items():
        view = views.get(handle)
        if not view:
            continue
        mirror = Candidate(
            native.x_id,
            native.relation,
            "bluesky",
            view["did"],
            view["handle"],
            view.get("display_name"),
            bridged=True,
        )
        for evidence in native.evidence:
            mirror.add(evidence)
        made.append(mirror)
    return made


def _other(network: str) -> str:
    return "mastodon" if network == "bluesky" else "bluesky"
