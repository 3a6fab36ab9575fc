"""The matcher: from numeric X ids to Bluesky and Mastodon accounts, with evidence.

Every run recomputes the candidates from what the workspace holds (the archive's handle hints,
the directories, and every look-up already cached with its date), then asks the networks only
what is not cached yet (online runs). Decisions the user took in review are kept across runs.

Resolvers (each leaves evidence):

1. archive hints: the X id's screen names and display names, from the user's own tweets;
2. directories: rows keyed by the X id (strong) or an X handle (medium);
3. Bluesky, online: handles guessed from the screen names (``name.bsky.social``), and the
   directory's handles, checked by ``getProfiles`` 25 at a time: a profile that points back to
   the X account confirms; a guessed handle alone never does.
"""
from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import httpx
import orjson

from .._time import now_iso
from ..errors import MatchError
from ..workspace import Workspace
from ..networks import HostGuard
from ._addresses import (bluesky_handle_guesses, bridged_bluesky_handle,
                         bridged_mastodon_address, mentions_x_account)
from ._cache import CachedLookups
from ._evidence import Evidence, score, status_of

__all__ = ["Candidate", "match_workspace", "list_matches", "decide", "match_counts"]

#: who is matched: the followings, the followers, and the people blocked or muted on X (so
#: that ``follow --blocks/--mutes`` can carry those over)
RELATIONS = ("following", "follower", "block", "mute")
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


@dataclass
class Subject:
    """An X account the user follows (or that follows the user)."""

    x_id: str
    relation: str
    screen_name: str | None
    display_name: str | None
    names: list[str]  # every screen name seen, newest first
    bio: str = ""  # from the X API (portabilite hydrate): description and name
    website: str | None = None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def names_alike(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    fa, fb = _fold(a), _fold(b)
    return bool(fa) and (fa == fb or difflib.SequenceMatcher(None, fa, fb).ratio() >= 0.85)


def _subjects(ws: Workspace, relations: Iterable[str]) -> list[Subject]:
    db = ws.conn
    names: dict[str, list[str]] = {}
    for x_id, name in db.execute(
            "SELECT x_id, screen_name FROM handle_hint_name ORDER BY x_id, last_seen DESC"):
        names.setdefault(x_id, []).append(name)
    subjects = []
    seen: set[str] = set()
    for relation in relations:
        kind = {"following": "following", "follower": "follower"}.get(relation, relation)
        for x_id, screen_name, display_name, description, website in db.execute(
                "SELECT r.x_id, COALESCE(p.screen_name, h.screen_name),"
                " COALESCE(p.display_name, h.display_name), p.description, p.website"
                " FROM relation r LEFT JOIN handle_hint h ON h.x_id = r.x_id"
                " LEFT JOIN x_profile p ON p.x_id = r.x_id"
                " WHERE r.kind = ? AND r.removed_import IS NULL ORDER BY r.x_id", (kind,)):
            if x_id in seen:
                continue  # a mutual: matched once, counted in both relations
            seen.add(x_id)
            known = names.get(x_id, [])
            if screen_name and screen_name not in known:
                known = [screen_name] + known
            bio = " ".join(filter(None, [description, display_name]))
            subjects.append(Subject(x_id, relation, screen_name, display_name, known, bio,
                                    website))
    return subjects


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


#: concurrent getProfiles calls, and the read pace kept under the AppView's limit
#: (3,000 requests per 5 minutes per address: we stay at 2,500)
LOOKUP_THREADS = 4
READS_PER_5_MINUTES = 2_500


def _view(profile: Any) -> dict[str, Any]:
    """A Bluesky profile as the cache keeps it (JSON)."""
    return {"did": profile.did, "handle": profile.handle, "display_name": profile.display_name,
            "description": profile.description, "labels": list(profile.labels)}


def _lookup_bluesky(ws: Workspace, actors: list[str], bluesky: Any | None,
                    refresh: bool, progress: Callable[[int, int], None] | None) -> dict[str, Any]:
    """Profiles of ``actors`` (handles or DIDs): cached ones, plus fresh look-ups online, 25 per
    request, a few requests at a time, cached after every group so a crash loses little."""
    from concurrent.futures import ThreadPoolExecutor

    from ..networks import Budget, Window
    from ..networks.bluesky import PROFILES_PER_CALL

    cache = CachedLookups(ws, "bluesky:profile")
    known = {} if refresh else cache.get_many(actors)
    missing = [a for a in actors if a not in known]
    if bluesky is None or not missing:
        return known
    pace = Budget("bluesky:appview:reads", [Window(READS_PER_5_MINUTES, 300)], network="bluesky")

    def fetch(batch: list[str]) -> list[Any]:
        pace.take(1, wait=True, sleep=bluesky.sleep)
        return list(bluesky.get_profiles(batch))

    done = 0
    group = PROFILES_PER_CALL * LOOKUP_THREADS * 4
    with ThreadPoolExecutor(max_workers=LOOKUP_THREADS) as pool:
        for start in range(0, len(missing), group):
            chunk = missing[start:start + group]
            batches = [chunk[i:i + PROFILES_PER_CALL] for i in range(0, len(chunk), PROFILES_PER_CALL)]
            fetched: dict[str, Any] = {a: None for a in chunk}
            by_key = {a: a for a in chunk}
            for profiles in pool.map(fetch, batches):
                for profile in profiles:
                    view = _view(profile)
                    for key in (profile.did, profile.handle.lower()):
                        if key in by_key:
                            fetched[key] = view
            cache.put_many(fetched)
            known.update(fetched)
            done += len(chunk)
            if progress is not None:
                progress(done, len(missing))
    return known


def _bluesky_candidates(subject: Subject, actor_profiles: dict[str, Any],
                        directory_actors: list[tuple[str, Evidence]],
                        guess_domains: tuple[str, ...]) -> list[Candidate]:
    found: dict[str, Candidate] = {}

    def candidate_for(actor: str) -> Candidate | None:
        profile = actor_profiles.get(actor)
        if profile is None:
            return None
        did = profile["did"]
        if did not in found:
            found[did] = Candidate(subject.x_id, subject.relation, "bluesky", did,
                                   profile["handle"], profile.get("display_name"))
        return found[did]

    for actor, evidence in directory_actors:
        cand = candidate_for(actor)
        if cand is not None:
            cand.add(evidence)
            continue
        if evidence.kind == "same_domain":
            continue  # the domain is no Bluesky handle: no candidate at all
        # not looked up yet (offline): keep the word given, unresolved; looked up and not
        # found: keep it, marked unavailable
        key = actor
        found.setdefault(key, Candidate(subject.x_id, subject.relation, "bluesky", actor,
                                        actor if not actor.startswith("did:") else None))
        found[key].add(evidence)
        if actor in actor_profiles:
            found[key].add(Evidence.of("account_unavailable", reason="not found on Bluesky"))
    for name in subject.names:
        for guess in bluesky_handle_guesses(name, guess_domains):
            cand = candidate_for(guess)
            if cand is not None:
                cand.add(Evidence.of("handle_guess", handle=guess, name=name))
    for cand in found.values():
        profile = actor_profiles.get(cand.account) or actor_profiles.get((cand.handle or "").lower())
        if profile is None:
            continue
        text = " ".join(filter(None, [profile.get("description"), profile.get("display_name")]))
        linked = mentions_x_account(text, subject.names)
        if linked:
            cand.add(Evidence.of("back_link", network="Bluesky", name=linked))
        if subject.display_name and profile.get("display_name"):
            if names_alike(subject.display_name, profile["display_name"]):
                cand.add(Evidence.of("name_match", name=profile["display_name"]))
            elif any(e.kind == "handle_guess" for e in cand.evidence):
                cand.add(Evidence.of("name_mismatch", name=profile["display_name"],
                                     x_name=subject.display_name))
        labels = set(profile.get("labels") or ())
        if "impersonation" in labels:
            cand.add(Evidence.of("impersonation_label"))
        if profile.get("handle") == "handle.invalid" or labels & {"!takedown", "!suspend"}:
            cand.add(Evidence.of("account_unavailable", reason=profile.get("handle")))
    return list(found.values())


def _search_candidates(ws: Workspace, subject: Subject, bluesky: Any | None,
                       refresh: bool) -> list[Candidate]:
    """Bluesky accounts whose display name is the X one (``searchActors``; cached)."""
    query = subject.display_name or ""
    cache = CachedLookups(ws, "bluesky:search")
    known = {} if refresh else cache.get_many([query])
    if query not in known:
        if bluesky is None:
            return []
        views = [_view(p) for p in bluesky.search_actors(query, limit=10)]
        cache.put_many({query: views})
        known[query] = views
    candidates = []
    for view in known[query] or []:
        if not names_alike(query, view.get("display_name")):
            continue
        cand = Candidate(subject.x_id, subject.relation, "bluesky", view["did"], view["handle"],
                         view.get("display_name"))
        cand.add(Evidence.of("search_hit", query=query))
        cand.add(Evidence.of("name_match", name=view.get("display_name")))
        text = " ".join(filter(None, [view.get("description"), view.get("display_name")]))
        linked = mentions_x_account(text, subject.names)
        if linked:
            cand.add(Evidence.of("back_link", network="Bluesky", name=linked))
        if "impersonation" in set(view.get("labels") or ()):
            cand.add(Evidence.of("impersonation_label"))
        candidates.append(cand)
    return candidates


def _from_x_profile(subject: Subject) -> list[tuple[str, str, Evidence]]:
    """What a person wrote in their own X profile: handles, addresses, a personal domain."""
    from urllib.parse import urlsplit

    from ._addresses import find_bluesky, find_mastodon, normalize_bluesky

    text = " ".join(filter(None, [subject.bio, subject.website]))
    found: list[tuple[str, str, Evidence]] = []
    for handle in find_bluesky(text):
        found.append(("bluesky", handle, Evidence.of("bio_handle", account=handle, where="bio")))
    for address in find_mastodon(text):
        found.append(("mastodon", address, Evidence.of("bio_handle", account=f"@{address}",
                                                        where="bio")))
    if subject.website:
        host = (urlsplit(subject.website if "://" in subject.website
                         else f"https://{subject.website}").hostname or "").lower()
        host = host[4:] if host.startswith("www.") else host
        domain = normalize_bluesky(host) if host else None
        known = {h for _, h, _ in found}
        if domain and not domain.endswith(("bsky.social", "x.com", "twitter.com", "t.co")) \
                and domain not in known:
            found.append(("bluesky", domain, Evidence.of("same_domain", domain=domain)))
    return found


def match_workspace(ws: Workspace, *, bluesky: Any | None = None, refresh: bool = False,
                    relations: Iterable[str] = RELATIONS,
                    guess_domains: tuple[str, ...] = ("bsky.social",),
                    fediverse: bool | None = None, mastodon: Any | None = None,
                    guard: HostGuard | None = None,
                    webfinger_transport: httpx.AsyncBaseTransport | None = None,
                    search: bool = False,
                    progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Run the resolvers and store the candidates.

    ``bluesky``: a client for online Bluesky look-ups (None: offline, from the archive, the
    directories and the cache only). ``fediverse``: WebFinger the Mastodon addresses and the
    Bridgy Fed mirrors (default: online when ``bluesky`` is given). ``mastodon``: the user's own
    instance, to find suspended and moved accounts. ``guard`` decides which hosts may be
    contacted (default: public hosts only). ``search``: as a last resort, search Bluesky by
    display name for the people nothing else found (one request each; weak evidence, unless
    the profile found links back to the X account)."""
    online = bluesky is not None if fediverse is None else fediverse
    guard = guard or HostGuard(network="mastodon")
    subjects = _subjects(ws, relations)
    by_id, by_handle = _directory(ws)
    wanted_actors: list[str] = []
    directory_evidence: dict[tuple[str, str], list[tuple[str, str, Evidence]]] = {}
    for subject in subjects:
        rows = [(r, Evidence.of("directory_x_id", source=r[2], dated=(r[3] or "")[:10]))
                for r in by_id.get(subject.x_id, [])]
        for name in subject.names:
            rows += [(r, Evidence.of("directory_x_handle", source=r[2], name=r[4]))
                     for r in by_handle.get(name.lower(), [])]
        proposals = [(network, account, evidence)
                     for (network, account, _, _, _), evidence in rows]
        proposals += _from_x_profile(subject)
        for network, account, evidence in proposals:
            directory_evidence.setdefault((subject.x_id, subject.relation), []).append(
                (network, account, evidence))
            if network == "bluesky":
                wanted_actors.append(account)
        for name in subject.names:
            wanted_actors.extend(bluesky_handle_guesses(name, guess_domains))
    actors = list(dict.fromkeys(wanted_actors))
    profiles = _lookup_bluesky(ws, actors, bluesky, refresh, progress)

    candidates: list[Candidate] = []
    for subject in subjects:
        rows = directory_evidence.get((subject.x_id, subject.relation), [])
        bluesky_rows = [(account, ev) for network, account, ev in rows if network == "bluesky"]
        found_bluesky = _bluesky_candidates(subject, profiles, bluesky_rows, guess_domains)
        if not found_bluesky and search and subject.display_name:
            found_bluesky = _search_candidates(ws, subject, bluesky, refresh)
        candidates.extend(found_bluesky)
        on_mastodon: dict[str, Candidate] = {}
        for network, account, evidence in rows:
            if network == "mastodon":
                on_mastodon.setdefault(account, Candidate(subject.x_id, subject.relation,
                                                          "mastodon", account, account)).add(evidence)
        candidates.extend(on_mastodon.values())
    candidates = _check_fediverse(ws, candidates, online=online, refresh=refresh, guard=guard,
                                  mastodon=mastodon, bluesky=bluesky,
                                  transport=webfinger_transport, profiles=profiles)
    _store(ws, candidates)
    return match_counts(ws)


def _usable(candidate: Candidate) -> bool:
    return status_of(candidate.evidence)[1] != "rejected"


def _check_fediverse(ws: Workspace, candidates: list[Candidate], *, online: bool, refresh: bool,
                     guard: HostGuard, mastodon: Any | None, bluesky: Any | None,
                     transport: httpx.AsyncBaseTransport | None,
                     profiles: dict[str, Any]) -> list[Candidate]:
    """Verify Mastodon candidates, follow moves, and add Bridgy Fed mirrors where a person is
    on one network only."""
    from ._fediverse import resolve_many, webfinger_many

    by_subject: dict[str, dict[str, list[Candidate]]] = {}
    for cand in candidates:
        by_subject.setdefault(cand.x_id, {}).setdefault(cand.network, []).append(cand)
    # Bluesky people with no Mastodon candidate: their mirror, if they opted into the bridge
    mirrors: dict[str, Candidate] = {}
    for x_id, networks in by_subject.items():
        if "mastodon" in networks:
            continue
        native = [c for c in networks.get("bluesky", []) if _usable(c) and c.handle]
        if native:
            best = max(native, key=lambda c: score(c.evidence))
            mirrors[bridged_mastodon_address(best.handle or "")] = best
    addresses = [c.account for c in candidates if c.network == "mastodon"] + list(mirrors)
    fingers = webfinger_many(ws, addresses, online=online, refresh=refresh, guard=guard,
                             transport=transport)
    resolved = resolve_many(ws, [c.account for c in candidates if c.network == "mastodon"],
                            mastodon, refresh=refresh)
    result: list[Candidate] = []
    for cand in candidates:
        if cand.network != "mastodon":
            result.append(cand)
            continue
        finger = fingers.get(cand.account, _UNKNOWN)
        if finger is None:
            cand.add(Evidence.of("account_unavailable", reason="WebFinger: no such account"))
        elif finger is not _UNKNOWN and finger["subject"].lower() != cand.account.lower():
            cand.account = cand.handle = finger["subject"]  # the canonical address
        view = resolved.get(cand.account)
        if view:
            if view.get("suspended"):
                cand.add(Evidence.of("account_unavailable", reason="suspended"))
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
    for address, native in mirrors.items():
        if fingers.get(address) is None:
            continue  # not bridged (or unknown yet)
        mirror = Candidate(native.x_id, native.relation, "mastodon", address, address,
                           native.display_name, bridged=True)
        for evidence in native.evidence:
            mirror.add(evidence)
        result.append(mirror)
    # Mastodon people with no Bluesky candidate: their bridged Bluesky mirror
    wanted = {}
    for x_id, networks in by_subject.items():
        if "bluesky" in networks:
            continue
        native = [c for c in result if c.x_id == x_id and c.network == "mastodon"
                  and not c.bridged and _usable(c)]
        if native:
            best = max(native, key=lambda c: score(c.evidence))
            wanted[bridged_bluesky_handle(best.account)] = best
    if wanted:
        views = _lookup_bluesky(ws, list(wanted), bluesky, refresh, None)
        for handle, native in wanted.items():
            view = views.get(handle)
            if not view:
                continue
            mirror = Candidate(native.x_id, native.relation, "bluesky", view["did"],
                               view["handle"], view.get("display_name"), bridged=True)
            for evidence in native.evidence:
                mirror.add(evidence)
            result.append(mirror)
    return result


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
    sql = (f"SELECT m.id, m.x_id, h.screen_name, m.relation, m.network, m.account, m.handle,"
           f" m.display_name, m.bridged, {_EFFECTIVE}, m.score, m.evidence, m.decision"
           f" FROM match m LEFT JOIN handle_hint h ON h.x_id = m.x_id"
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
