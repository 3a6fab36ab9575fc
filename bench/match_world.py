"""A yardstick for the matcher: a simulated world of X, Bluesky and Mastodon, served on 127.0.0.1.

    python bench/match_world.py [--followings 2000] [--seed 1] [--setting archive|hydrated|both] [--json]

Importable (the test suite runs a small world)::

    world = build_world(150, seed=3)
    with serve(world) as served:
        report = run_matcher(world, "archive", tmpdir, served)   # or let run_matcher serve it
    print(format_report([report], sfb_baseline(world)))

The world is written from how the field behaves, not from the matcher's rules: the shares below
come from what migration tools and directories see (who moved where, how people write their
addresses, which traps exist), and every trap is one the field has actually produced.

Ground truth and scoring (``score``):

* each followed X account has, per network, a true account (Bluesky DID; Mastodon ``user@host``,
  the new one after a move) or none. A suspended Mastodon account is "none": it cannot be
  followed. When a person has no native account on a network but opted into Bridgy Fed, the
  true account there is their **mirror** (``handle@bsky.brid.gy`` / ``u.host.ap.brid.gy``): it
  is what following them means from that network. A mirror row is correct only in that case.
* *evidence ceiling*: the share of people with a true account for whom public evidence
  available in that setting links the true account to the X id (``ceiling_of``). It ignores
  how the account would be found: it says what a perfect matcher could *prove*, not guess.
* SFB (Sky Follower Bridge) baseline: its rule on the same AppView, with the current X handle
  and display name of everyone (it reads X's following page in the browser).
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import json
import random
import socket
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx

from portabilite.archive.synthetic import ArchiveWriter

BASE = 1_700_000_000_000_000_000
HOME = "home.example"
# -- shares, from the field -------------------------------------------------------------------
#: ~45% of an active French-speaking X following is on Bluesky, ~25% on Mastodon; Mastodon
#: users are much more likely to also be on Bluesky than the reverse (the 2024 wave).
P_BSKY, P_MASTO_IF_BSKY, P_MASTO_IF_NOT = 0.45, 0.35, 0.17
#: Bluesky handle: the X handle on bsky.social when still free (most), another bsky.social
#: handle (taken, or a fresh start), or a custom domain (institutions, journalists, devs).
P_SAME_HANDLE, P_OTHER_HANDLE = 0.55, 0.25  # the rest: custom domain
#: profile text pointing back to X: common during the migration waves ("ex-@name sur Twitter")
P_BSKY_BACKLINK, P_MASTO_BACKLINK = 0.22, 0.28
#: people on both networks often cross-link (Bluesky bio naming the Mastodon address, a
#: Mastodon profile field "Bluesky")
P_BSKY_NAMES_MASTO, P_MASTO_FIELD_BSKY = 0.25, 0.3
#: X renames: a few percent a year; a freed handle is soon taken by someone else
P_RENAMED, P_OLD_HANDLE_RETAKEN = 0.08, 0.45
#: real archives leave 40-70% of the followings unnamed (you follow many you never mention)
P_NAMED = 0.45
#: hydrated bios: people write their Bluesky handle / Mastodon address in their X bio
P_XBIO_BSKY, P_XBIO_MASTO, P_WEBSITE, P_EMAIL = 0.2, 0.3, 0.3, 0.08
#: display names on the other network differ (first name only, accents dropped, emoji)
P_NAME_VARIANT = 0.3
#: Mastodon: account moved to another instance; suspended; known to the home instance
P_MOVED, P_SUSPENDED, P_HOME_KNOWS = 0.1, 0.03, 0.4
#: traps: namesakes (common names), squatters on name.bsky.social, impersonators, bridge
P_NAMESAKE_BSKY, P_NAMESAKE_MASTO = 0.12, 0.05
P_SQUAT, P_IMPERSONATED, P_IMPERSONATION_LABELLED = 0.15, 0.04, 0.4
P_BRIDGE_BSKY, P_BRIDGE_MASTO = 0.08, 0.06
P_INSTITUTION = 0.15

INSTANCES = [
    HOME,
    "piaille.example",
    "mamot.example",
    "social.example",
    "mastodon.example",
    "toot.example",
    "masto.quartier.example",
    "eldritch.example",
]
EMAIL_HOSTS = ["courriel.example", "postbox.example", "mairie-valbrune.example"]
FIRST = [
    "Léa",
    "Camille",
    "Sam",
    "Hélène",
    "Joël",
    "Maëlle",
    "François",
    "Chloé",
    "Noé",
    "Zoé",
    "Amélie",
    "Benoît",
    "Inès",
    "Théo",
    "Agnès",
    "Rémi",
    "Anaïs",
    "Jérôme",
    "Élise",
    "Yanis",
    "Clément",
    "Aurélie",
    "Loïc",
    "Sophie",
    "Mathis",
    "Océane",
    "Gaëtan",
    "Nadia",
    "Ibrahim",
]
LAST = [
    "Martin",
    "Dupont",
    "Lefèvre",
    "Moreau",
    "Girard",
    "Bonnet",
    "Mercier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sánchez",
    "Brun",
    "Nguyen",
    "Leroy",
    "Delacroix",
    "Benali",
]
CITIES = [
    "Valbrune",
    "Montclair",
    "Saint-Aubrac",
    "Fictiveville",
    "Roche-Blanche",
    "Lisière",
    "Beaupré",
    "Villaret",
    "Hautmont",
    "Clairval",
    "Pontivert",
    "Sourdeval",
]
INSTITUTIONS = [
    "Médiathèque de {}",
    "Mairie de {}",
    "Université de {}",
    "Théâtre de {}",
    "Musée des beaux-arts de {}",
    "Opéra de {}",
    "Archives de {}",
    "Piscine de {}",
]


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalnum()).casefold()


def _tokens(text: str) -> set[str]:
    out, word = set(), []
    for c in unicodedata.normalize("NFKD", text or "").casefold():
        if c.isalnum():
            word.append(c)
        elif unicodedata.category(c) != "Mn":
            if word:
                out.add("".join(word))
            word = []
    if word:
        out.add("".join(word))
    return out


@dataclass
class Person:
    """A followed X account and everything true about its owner."""

    x_id: str
    screen: str
    name: str
    institution: bool
    old_screens: list[str] = field(default_factory=list)
    renamed_at: str | None = None
    archive_names: list[tuple[str, str]] = field(default_factory=list)  # (screen, date)
    bsky: str | None = None  # native DID
    masto: str | None = None  # native current address (None if suspended / absent)
    masto_old: str | None = None  # the address they moved from
    masto_suspended: str | None = None
    website: str | None = None  # personal domain
    x_bio: str = ""  # as written (URLs not yet shortened)
    mirror_b: str | None = None  # DID of the Bridgy Fed mirror on Bluesky
    mirror_m: str | None = None  # address of the mirror on the fediverse
    # facts the evidence ceiling uses
    bsky_links_x: set[str] = field(default_factory=set)  # X names the Bluesky profile cites
    masto_links_x: set[str] = field(default_factory=set)
    bsky_names_masto: str | None = None  # the address the Bluesky bio gives (maybe pre-move)
    masto_names_bsky: str | None = None  # the handle the Mastodon field gives
    bio_bsky: str | None = None  # handle written in the X bio or website link
    bio_masto: str | None = None  # address written in the X bio (maybe pre-move)
    site_rel_me: list[str] = field(default_factory=list)  # profile URLs the website rel=me's


@dataclass
class World:
    seed: int
    owner: tuple[str, str, str]
    people: list[Person]
    bsky: dict[str, dict[str, Any]]  # did -> profile (lexicon JSON)
    handles: dict[str, str]  # handle -> did
    masto: dict[str, dict[str, Any]]  # address -> account facts
    web: dict[str, dict[str, tuple[int, str, str]]]  # host -> path -> (status, type, body)
    brid_fedi: set[str]  # handle@bsky.brid.gy that exist
    writer: ArchiveWriter
    truth: dict[str, dict[str, tuple[str, bool] | None]]  # x_id -> network -> (account, bridged)
    traps: Counter = field(default_factory=Counter)
    _index: dict[str, set[str]] = field(default_factory=dict)

    def search_actors(self, q: str, limit: int) -> list[dict[str, Any]]:
        """Like the AppView's: every query token must prefix-match a token of the handle or
        the display name; ranked by tokens matched exactly, then followers."""
        want = _tokens(q)
        if not want:
            return []
        hits = []
        if len(self._index) != len(self.bsky):
            self._index = {
                d: _tokens(p["handle"].replace(".", " ")) | _tokens(p.get("displayName") or "")
                for d, p in self.bsky.items()
            }
        for did, have in self._index.items():
            p = self.bsky[did]
            if all(any(h.startswith(w) for h in have) for w in want):
                hits.append((-len(want & have), -p["followersCount"], did))
        return [self.bsky[d] for _, _, d in sorted(hits)[:limit]]

    def home_search(self, text: str, limit: int = 40) -> list[str]:
        """The home instance's account search without resolve: every query token in the
        display name or the username of an account the instance already knows."""
        want = _tokens(text)
        if not want:
            return []
        return [
            a
            for a, v in self.masto.items()
            if v["home_knows"] and want <= (_tokens(v["display_name"]) | _tokens(a.split("@")[0]))
        ][:limit]


class _Gen:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.screens: set[str] = set()
        self.dids: set[str] = set()
        self.ids = 0

    def did(self) -> str:
        while True:
            d = "did:plc:" + "".join(
                self.rng.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(24)
            )
            if d not in self.dids:
                self.dids.add(d)
                return d

    def x_id(self) -> str:
        self.ids += 1
        return str(BASE + self.ids)

    def screen_for(self, name: str) -> str:
        words = [fold(w) for w in name.replace("-", " ").split() if len(fold(w)) > 2]
        r = self.rng.random()
        base = (
            "_".join(words[:2])
            if r < 0.4
            else "".join(words[:3])
            if r < 0.7
            else (words[0][:1] + words[-1])
            if len(words) > 1
            else words[0]
        )[:14]
        screen = base
        while screen.lower() in self.screens:
            screen = f"{base[:12]}{self.rng.randint(1, 99)}"
        self.screens.add(screen.lower())
        return screen


def _variant(rng: random.Random, name: str, institution: bool) -> str:
    """How the same person names themselves elsewhere."""
    if rng.random() >= P_NAME_VARIANT:
        return name
    r = rng.random()
    if r < 0.4 and not institution:
        return name.split()[0]
    if r < 0.7:
        return "".join(
            c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
        )
    return name + rng.choice([" 🌻", " 🦋", " (elle/she)", " ✊"])


def _label(rng: random.Random, screen: str) -> str:
    """The X handle as a Bluesky handle's first label: Bluesky takes letters, digits and
    hyphens only, so an underscore is dropped or becomes a hyphen."""
    return screen.lower().replace("_", rng.choice(["", "-"])).strip("-") or "x"


def _backlink(rng: random.Random, screen: str) -> str:
    return rng.choice(
        [
            f"x.com/{screen}",
            f"https://twitter.com/{screen}",
            f"@{screen} on X",
            f"ex-@{screen} sur Twitter",
            f"anciennement twitter.com/{screen}",
        ]
    )


def _date(rng: random.Random, start: int, end: int) -> str:
    t = rng.randint(start, end)
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _masto_account(
    addr: str,
    name: str,
    note: str,
    fields: list[tuple[str, str]],
    *,
    moved_to: str | None = None,
    suspended: bool = False,
) -> dict[str, Any]:
    return {
        "address": addr,
        "display_name": name,
        "note": note,
        "fields": fields,
        "moved_to": moved_to,
        "suspended": suspended,
        "home_knows": False,
    }


def build_world(n: int, seed: int = 1) -> World:
    """``n`` followed X accounts and the networks around them."""
    rng = random.Random(seed)
    g = _Gen(rng)
    owner = (str(BASE), "ville_exemple", "Ville Exemple")
    g.screens.add("ville_exemple")
    bsky: dict[str, dict[str, Any]] = {}
    masto: dict[str, dict[str, Any]] = {}
    web: dict[str, dict[str, tuple[int, str, str]]] = {}
    traps: Counter = Counter()
    brid_fedi: set[str] = set()

    def add_bsky(handle: str, name: str, desc: str, labels: tuple[str, ...] = ()) -> str:
        handle = handle.lower()
        if handle in {p["handle"] for p in bsky.values()}:
            return ""
        d = g.did()
        bsky[d] = {
            "did": d,
            "handle": handle,
            "displayName": name,
            "description": desc,
            "labels": [
                {
                    "src": "did:plc:ar7c4by46qjdydhdevvrndac",
                    "uri": d,
                    "val": v,
                    "cts": "2025-01-01T00:00:00.000Z",
                }
                for v in labels
            ],
            "followersCount": int(rng.lognormvariate(5, 1.6)),
            "followsCount": 100,
            "postsCount": 50,
            "createdAt": "2024-11-12T10:00:00.000Z",
            "indexedAt": "2024-11-12T10:00:00.000Z",
        }
        return d

    def free_masto(user: str, host: str) -> str:
        addr, i = f"{user}@{host}", 1
        while addr in masto:
            i += 1
            addr = f"{user}{i}@{host}"
        return addr

    people: list[Person] = []
    institutions: set[str] = set()
    domains: set[str] = set()
    for _ in range(n):
        # an institution exists once per city; people's names repeat (namesakes are real)
        inst = rng.random() < P_INSTITUTION
        name = rng.choice(INSTITUTIONS).format(rng.choice(CITIES)) if inst else ""
        if not inst or name in institutions:
            inst, name = False, f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        institutions.add(name)
        p = Person(g.x_id(), g.screen_for(name), name, inst)
        if rng.random() < P_RENAMED:
            # the old handle first, the new one since renamed_at
            p.old_screens = [p.screen]
            p.screen = g.screen_for(name + " " + rng.choice(["off", "bis", "fr", "pro"]))
            p.renamed_at = _date(rng, 1_640_000_000, 1_720_000_000)
        if rng.random() < P_WEBSITE or inst:
            p.website, i = f"{fold(name)[:20]}.example", 1
            while p.website in domains:
                i += 1
                p.website = f"{fold(name)[:18]}{i}.example"
            domains.add(p.website)
        people.append(p)
    x_names = {p.screen.lower() for p in people}

    for p in people:
        on_b = rng.random() < P_BSKY
        on_m = rng.random() < (P_MASTO_IF_BSKY if on_b else P_MASTO_IF_NOT)
        every = [p.screen] + p.old_screens
        # the name they cite on other networks: their handle at the time they wrote it
        cited = rng.choice(every) if p.old_screens and rng.random() < 0.4 else p.screen
        if on_b:
            r = rng.random()
            if r < P_SAME_HANDLE:
                handle = f"{_label(rng, p.screen)}.bsky.social"
            elif r < P_SAME_HANDLE + P_OTHER_HANDLE or not p.website:
                handle = f"{fold(p.name)[:12]}{rng.randint(1, 999)}.bsky.social"
            else:
                handle = p.website
                if rng.random() < 0.5:  # HTTP verification rather than a DNS TXT record
                    web.setdefault(p.website, {})["/.well-known/atproto-did"] = (
                        200,
                        "text/plain",
                        "",
                    )
            desc = rng.choice(
                [
                    "",
                    "Photos, vélo, bibliothèques.",
                    "Journaliste.",
                    "Compte officiel.",
                    "Ici depuis novembre 2024.",
                ]
            )
            if rng.random() < P_BSKY_BACKLINK:
                desc += " " + _backlink(rng, cited)
                p.bsky_links_x.add(cited.lower())
            p.bsky = add_bsky(handle, _variant(rng, p.name, p.institution), desc.strip())
            if not p.bsky:
                p.bsky = add_bsky(
                    f"{fold(p.name)[:10]}{rng.randint(1000, 9999)}.bsky.social",
                    p.name,
                    desc.strip(),
                )
            if handle == p.website and "/.well-known/atproto-did" in web.get(p.website, {}):
                web[p.website]["/.well-known/atproto-did"] = (200, "text/plain", p.bsky)
        if on_m:
            host = rng.choice(INSTANCES)
            user = fold(p.name.split()[0] if not p.institution else p.name)[:16] or "x"
            addr = free_masto(user, host)
            fields = []
            note = (
                "<p>"
                + rng.choice(
                    [
                        "Bibliothécaire.",
                        "Dessin, jardin.",
                        "Compte officiel.",
                        "Ici pour parler urbanisme.",
                    ]
                )
                + "</p>"
            )
            if rng.random() < P_MASTO_BACKLINK:
                c = cited
                if rng.random() < 0.6:
                    fields.append(
                        (
                            "X",
                            f'<a href="https://x.com/{c}" rel="nofollow noopener" '
                            f'target="_blank"><span class="invisible">https://</span>'
                            f"x.com/{c}</a>",
                        )
                    )
                else:
                    note = note[:-4] + f" ex-@{c} sur Twitter</p>"
                p.masto_links_x.add(c.lower())
            if p.bsky and rng.random() < P_MASTO_FIELD_BSKY:
                h = bsky[p.bsky]["handle"]
                fields.append(
                    (
                        "Bluesky",
                        f'<a href="https://bsky.app/profile/{h}" rel="nofollow '
                        f'noopener" target="_blank">bsky.app/profile/{h}</a>',
                    )
                )
                p.masto_names_bsky = h
            vname = _variant(rng, p.name, p.institution)
            masto[addr] = _masto_account(addr, vname, note, fields)
            if rng.random() < P_MOVED:  # the old account points to the new one
                old = free_masto(user, rng.choice([h for h in INSTANCES if h != host]))
                masto[old] = _masto_account(old, vname, note, fields, moved_to=addr)
                p.masto_old = old
                traps["mastodon_moved"] += 1
            if rng.random() < P_SUSPENDED:
                masto[addr]["suspended"] = True
                p.masto_suspended = addr
                traps["mastodon_suspended"] += 1
            else:
                p.masto = addr
            for a in filter(None, [addr, p.masto_old]):
                masto[a]["home_knows"] = a.endswith("@" + HOME) or rng.random() < P_HOME_KNOWS
            if p.bsky and rng.random() < P_BSKY_NAMES_MASTO:
                written = p.masto_old or addr if rng.random() < 0.5 else addr
                form = rng.choice([f"@{written}", "https://{1}/@{0}".format(*written.split("@"))])
                bsky[p.bsky]["description"] = (
                    bsky[p.bsky]["description"] + " Mastodon: " + form
                ).strip()
                p.bsky_names_masto = written
        # the X bio (hydrated setting) and the personal website
        bio = rng.choice(
            [
                "Bibliothécaire.",
                "Avis personnels.",
                "Compte officiel.",
                "Parent, cycliste.",
                "Urbanisme & mobilités.",
            ]
        )
        if p.bsky and rng.random() < P_XBIO_BSKY:
            h = bsky[p.bsky]["handle"]
            bio += " " + rng.choice([f"Bluesky: {h}", f"🦋 https://bsky.app/profile/{h}"])
            p.bio_bsky = h
        address = p.masto or p.masto_suspended
        if address and rng.random() < P_XBIO_MASTO:
            written = p.masto_old if p.masto_old and rng.random() < 0.5 else address
            u, h = written.split("@")
            bio += " " + rng.choice([f"@{u}@{h}", f"@{u}@{h}", f"https://{h}/@{u}", f"{u}@{h}"])
            p.bio_masto = written
        if rng.random() < P_EMAIL:  # a contact e-mail: the same shape as a Mastodon address
            bio += f" Contact : {fold(p.name)[:10]}@{rng.choice(EMAIL_HOSTS)}"
        p.x_bio = bio
        if p.website:
            links = []
            if p.masto and rng.random() < 0.5:
                u, h = p.masto.split("@")
                links.append(f"https://{h}/@{u}")
            if p.bsky and rng.random() < 0.4:
                links.append(f"https://bsky.app/profile/{bsky[p.bsky]['handle']}")
            p.site_rel_me = links
            head = "".join(f'<link rel="me" href="{u}">' for u in links[:1])
            body = "".join(f'<a rel="me" href="{u}">{u}</a> ' for u in links[1:])
            web.setdefault(p.website, {})["/"] = (
                200,
                "text/html",
                (
                    f"<!doctype html><html><head><title>{p.name}</title>{head}</head>"
                    f"<body><h1>{p.name}</h1>{body}</body></html>"
                ),
            )
        # Bridgy Fed mirrors, for people on one network only
        if p.bsky and not address and rng.random() < P_BRIDGE_BSKY:
            p.mirror_m = f"{bsky[p.bsky]['handle']}@bsky.brid.gy"
            brid_fedi.add(p.mirror_m)
        if p.masto and not p.bsky and rng.random() < P_BRIDGE_MASTO:
            u, h = p.masto.split("@")
            p.mirror_b = add_bsky(
                f"{u}.{h}.ap.brid.gy",
                masto[p.masto]["display_name"],
                "[bridged from https://{1}/@{0} on the fediverse by https://fed.brid.gy/ ]".format(
                    u, h
                ),
            )

    # -- traps ---------------------------------------------------------------------------------
    for p in people:
        guess = f"{_label(rng, p.screen)}.bsky.social"
        own = bsky.get(p.bsky or "", {}).get("handle")
        if (
            own != guess
            and guess not in {b["handle"] for b in bsky.values()}
            and rng.random() < P_SQUAT
        ):
            # squatters register famous-looking handles; some copy the name too
            nm = p.name if rng.random() < 0.3 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            add_bsky(guess, nm, rng.choice(["", "crypto 🚀", "parody account"]))
            traps["bluesky_squatter"] += 1
        if not p.institution and rng.random() < P_NAMESAKE_BSKY:
            add_bsky(
                f"{fold(p.name)[:12]}{rng.randint(1000, 9999)}.bsky.social",
                p.name,
                rng.choice(["", "Kinésithérapeute.", "Musique."]),
            )
            traps["bluesky_namesake"] += 1
        if not p.institution and rng.random() < P_NAMESAKE_MASTO:
            a = free_masto(fold(p.name.split()[0]), rng.choice(INSTANCES))
            masto[a] = _masto_account(a, p.name, "<p>Homonyme.</p>", [])
            masto[a]["home_knows"] = rng.random() < 0.5
            traps["mastodon_namesake"] += 1
        if p.bsky and rng.random() < P_IMPERSONATED:
            # the cheap handle when the person lives on a custom domain, else a look-alike
            src = bsky[p.bsky]
            handle = (
                guess
                if guess not in {b["handle"] for b in bsky.values()}
                else f"{_label(rng, p.screen)}-officiel.bsky.social"
            )
            labelled = rng.random() < P_IMPERSONATION_LABELLED
            desc = src["description"] if rng.random() < 0.5 else ""
            if add_bsky(handle, src["displayName"], desc, ("impersonation",) if labelled else ()):
                traps["bluesky_impersonator" + ("_labelled" if labelled else "")] += 1
        for old in p.old_screens:
            # the freed handle now belongs to someone else, who legitimately links it
            if rng.random() < P_OLD_HANDLE_RETAKEN and old.lower() not in x_names:
                nm = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                add_bsky(
                    f"{_label(rng, old)}.bsky.social"
                    if rng.random() < 0.6
                    else f"{fold(nm)[:10]}{rng.randint(1, 99)}.bsky.social",
                    nm,
                    f"Aussi sur x.com/{old}",
                )
                traps["stale_handle_retaken"] += 1

    # -- the user's archive ---------------------------------------------------------------------
    writer = ArchiveWriter(owner[0], owner[1], owner[2])
    writer.following = [p.x_id for p in people]
    tweet = [BASE + 10_000_000]
    for p in people:
        if rng.random() >= P_NAMED:
            continue
        names: list[tuple[str, str]] = []
        if p.old_screens:
            r = rng.random()
            before = (p.old_screens[0], _date(rng, 1_500_000_000, 1_600_000_000))
            after = (p.screen, _date(rng, 1_730_000_000, 1_760_000_000))
            names = [before] if r < 0.5 else [before, after] if r < 0.8 else [after]
        else:
            names = [
                (p.screen, _date(rng, 1_500_000_000, 1_760_000_000))
                for _ in range(rng.randint(1, 4))
            ]
        for screen, when in names:
            tweet[0] += 1
            reply = rng.random() < 0.3
            writer.add_tweet(
                str(tweet[0]),
                when,
                f"@{screen} merci !",
                mentions=[(p.x_id, screen, p.name)],
                reply_to=(p.x_id, screen) if reply else None,
            )
        p.archive_names = names

    truth = {}
    for p in people:
        tb = (p.bsky, False) if p.bsky else (p.mirror_b, True) if p.mirror_b else None
        tm = (p.masto, False) if p.masto else (p.mirror_m, True) if p.mirror_m else None
        truth[p.x_id] = {"bluesky": tb, "mastodon": tm}
    handles = {b["handle"]: d for d, b in bsky.items()}
    return World(seed, owner, people, bsky, handles, masto, web, brid_fedi, writer, truth, traps)


# -- the evidence ceiling ------------------------------------------------------------------------


def ceiling_of(p: Person, world: World, setting: str) -> dict[str, bool]:
    """Whether public evidence available in ``setting`` links the true account to the X id,
    and can be reached by public look-ups.

    Proof: the archive's names for this id (current or old: the mention entities date them)
    cited by the true profile; or cross-links from the other network's proven profile.
    Hydrated adds the current handle of everyone, what the X bio and website say (t.co links
    expanded by the API's entities), the website's rel=me links, and a custom-domain handle
    equal to the website's domain.
    Reach: a profile's back-link proves nothing to someone who cannot find the profile.
    Bluesky: the handle guessed from a known X name, or the AppView's search by the known
    display name or handle. Mastodon has no global search: the home instance's search (which
    knows only the accounts it has seen), or an address written in the X bio, the website or
    the person's Bluesky profile."""
    names = {s.lower() for s, _ in p.archive_names}
    if setting == "hydrated":
        names.add(p.screen.lower())
    display = p.name if (setting == "hydrated" or p.archive_names) else None
    queries = [q for q in [display, *names] if q]
    handle = world.bsky[p.bsky]["handle"] if p.bsky else None
    live = {p.masto, p.masto_old} - {None}
    guesses = {
        f"{v}.bsky.social"
        for n in names
        for v in (n, n.replace("_", ""), n.replace("_", "-").strip("-"))
    }
    reach_b = bool(p.bsky) and (
        handle in guesses
        or p.bsky in {b["did"] for q in queries for b in world.search_actors(q, 10)}
    )
    found_b = {b["did"] for q in queries for b in world.search_actors(q, 10)}
    reach_m = bool(p.masto) and (
        any(a in live for q in queries for a in world.home_search(q, 10)) or p.mirror_b in found_b
    )  # the mirror names its original
    b = bool(p.bsky and reach_b and p.bsky_links_x & names)
    m = bool(p.masto and reach_m and p.masto_links_x & names)
    if setting == "hydrated":
        b = b or bool(
            p.bsky
            and (
                p.bio_bsky == handle
                or p.website == handle
                or f"https://bsky.app/profile/{handle}" in p.site_rel_me
            )
        )
        u_h = "https://{1}/@{0}".format(*p.masto.split("@")) if p.masto else None
        m = m or bool(p.masto and (p.bio_masto in live or u_h in p.site_rel_me))
        reach_m = reach_m or bool(p.masto and (p.bio_masto in live or u_h in p.site_rel_me))
    for _ in range(2):
        named = bool(p.masto and p.bsky_names_masto in live)
        m = m or bool(b and named)
        m = m or bool(named and (reach_b or b) and p.masto_links_x & names)
        b = b or bool(p.bsky and m and p.masto_names_bsky == handle)
        b = b or bool(
            p.bsky
            and (reach_m or named)
            and p.masto_names_bsky == handle
            and p.bsky_links_x & names
        )
    if not p.bsky and p.mirror_b:
        b = m
    if not p.masto and p.mirror_m:
        m = b
    return {"bluesky": b, "mastodon": m}


# -- servers ------------------------------------------------------------------------------------


class Counts:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.c: Counter = Counter()

    def hit(self, key: str) -> None:
        with self.lock:
            self.c[key] += 1

    def snapshot(self) -> dict[str, int]:
        with self.lock:
            return dict(self.c)


def _handler(counts: Counts, server_name: str, route):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):  # keep-alive without Nagle: no 40 ms delayed-ACK stall per request
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self):  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            host = (self.headers.get("host") or "").split(":")[0].lower()
            q = parse_qs(url.query)
            status, ctype, body, headers = route(host, url.path, q, self.headers)
            counts.hit(
                f"{server_name} {url.path if server_name != 'web' else host_kind(host, url.path)}"
            )
            data = (
                body
                if isinstance(body, bytes)
                else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
            )
            self.send_response(status)
            self.send_header("content-type", ctype)
            self.send_header("content-length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # quiet
            pass

    return Handler


def host_kind(host: str, path: str) -> str:
    kind = "brid.gy" if host.endswith("brid.gy") else "instance" if host in INSTANCES else "website"
    return f"{kind} {path}"


def _account_json(world: World, addr: str, local_id: dict[str, str]) -> dict[str, Any]:
    """A Mastodon account as the home instance's API shows it (shape of Mastodon 4.6)."""
    a = world.masto[addr]
    user, host = addr.split("@")
    acct = user if host == HOME else addr
    lid = local_id.setdefault(addr, str(117_000_000_000_000_000 + len(local_id)))
    out = {
        "id": lid,
        "username": user,
        "acct": acct,
        "display_name": a["display_name"],
        "locked": False,
        "bot": False,
        "discoverable": True,
        "indexable": True,
        "group": False,
        "created_at": "2022-11-05T00:00:00.000Z",
        "note": a["note"],
        "url": f"https://{host}/@{user}",
        "uri": f"https://{host}/users/{user}",
        "avatar": f"https://{host}/avatars/original/missing.png",
        "avatar_static": f"https://{host}/avatars/original/missing.png",
        "header": f"https://{host}/headers/original/missing.png",
        "header_static": f"https://{host}/headers/original/missing.png",
        "followers_count": 120,
        "following_count": 80,
        "statuses_count": 300,
        "last_status_at": "2026-09-30",
        "hide_collections": False,
        "noindex": False,
        "emojis": [],
        "roles": [],
        "fields": [{"name": k, "value": v, "verified_at": None} for k, v in a["fields"]],
    }
    if a["moved_to"]:
        out["moved"] = _account_json(world, a["moved_to"], local_id)
    if a["suspended"]:
        out.update(suspended=True, display_name="", note="", fields=[], emojis=[])
    return out


@dataclass
class Served:
    appview: str
    mastodon: str
    x_api: str
    web_port: int
    counts: Counts
    limited: list[int] = field(default_factory=lambda: [0])
    waited: list[float] = field(default_factory=lambda: [0.0])
    expired: list[bool] = field(default_factory=lambda: [False])

    def sleep(self, seconds: float) -> None:
        """The Mastodon client's sleep: no real wait, but the instance's rate window is
        over when it returns (as it would be); the time a real run would wait is added up."""
        self.waited[0] += max(seconds, 0.0)
        self.expired[0] = True

    def clock(self) -> float:
        """The Mastodon client's clock: real time plus the waits it was spared."""
        return time.time() + self.waited[0]

    def transport(self) -> "LoopbackTransport":
        return LoopbackTransport(self.web_port)


class LoopbackTransport(httpx.AsyncBaseTransport):
    """Every request goes to the web server on 127.0.0.1, whatever its host and scheme; the
    original host rides in the Host header so the server answers as that host."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port)
        request.headers["host"] = host
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@contextlib.contextmanager
def serve(
    world: World, *, mastodon_limit: int = 300, mastodon_window: int = 300
) -> Iterator[Served]:
    """Start the AppView, the home instance, the X API and the web of other hosts on
    127.0.0.1; stop them at exit."""
    counts = Counts()
    local_id: dict[str, str] = {}
    lock = threading.Lock()
    window = {"start": 0.0, "used": 0}
    served_ref: list[Served] = []

    def appview(host, path, q, headers):
        if path.endswith("app.bsky.actor.getProfiles"):
            actors = q.get("actors", [])[:25]
            found = []
            for a in actors:
                d = a if a.startswith("did:") else world.handles.get(a.lower())
                if d in world.bsky and world.bsky[d] not in found:
                    found.append(world.bsky[d])
            return 200, "application/json", {"profiles": found}, {}
        if path.endswith("app.bsky.actor.searchActors"):
            limit = min(int((q.get("limit") or ["25"])[0]), 100)
            return (
                200,
                "application/json",
                {"actors": world.search_actors((q.get("q") or q.get("term") or [""])[0], limit)},
                {},
            )
        return 404, "application/json", {"error": "MethodNotImplemented"}, {}

    def mastodon(host, path, q, headers):
        now = time.time()
        with lock:
            start = now - now % mastodon_window
            if window["start"] != start or served_ref[0].expired[0]:
                window.update(start=start, used=0)
                served_ref[0].expired[0] = False
            window["used"] += 1
            remaining = mastodon_limit - window["used"]
        reset = datetime.fromtimestamp(start + mastodon_window, timezone.utc)
        rl = {
            "X-RateLimit-Limit": str(mastodon_limit),
            "X-RateLimit-Remaining": str(max(remaining, 0)),
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }
        if remaining < 0:
            served_ref[0].limited[0] += 1
            return 429, "application/json", {"error": "Too many requests"}, rl
        if path == "/api/v1/accounts/verify_credentials":
            return (
                200,
                "application/json",
                {
                    "id": "1",
                    "username": "ville",
                    "acct": "ville",
                    "display_name": "Ville Exemple",
                    "note": "",
                    "fields": [],
                    "url": f"https://{HOME}/@ville",
                },
                rl,
            )
        if path.rstrip("/") == "/api/v2/instance":
            return (
                200,
                "application/json",
                {
                    "domain": HOME,
                    "title": "Home",
                    "version": "4.6.4",
                    "languages": ["fr"],
                    "configuration": {
                        "statuses": {"max_characters": 500},
                        "accounts": {"max_profile_fields": 4},
                    },
                },
                rl,
            )
        if path == "/api/v1/accounts/lookup":
            acct = (q.get("acct") or [""])[0].lstrip("@")
            addr = acct if "@" in acct else f"{acct}@{HOME}"
            if addr in world.masto and world.masto[addr]["home_knows"]:
                return 200, "application/json", _account_json(world, addr, local_id), rl
            return 404, "application/json", {"error": "Record not found"}, rl
        if path == "/api/v2/search":
            text = (q.get("q") or [""])[0].strip()
            resolve = (q.get("resolve") or ["false"])[0].lower() in ("1", "true")
            if (q.get("type") or ["accounts"])[0] != "accounts":
                return 200, "application/json", {"accounts": [], "statuses": [], "hashtags": []}, rl
            if text.startswith("https://") and "/@" in text:
                h, u = text[8:].split("/@", 1)
                text = f"{u}@{h}"
            addr = text.lstrip("@")
            addr = addr if "@" in addr else f"{addr}@{HOME}"
            if (
                "@" in text.lstrip("@")
                and addr in world.masto
                and (resolve or world.masto[addr]["home_knows"])
            ):
                accounts = [_account_json(world, addr, local_id)]
            else:
                accounts = [_account_json(world, a, local_id) for a in world.home_search(text)]
            return (
                200,
                "application/json",
                {"accounts": accounts, "statuses": [], "hashtags": []},
                rl,
            )
        return 404, "application/json", {"error": "Record not found"}, rl

    def web(host, path, q, headers):
        if path == "/.well-known/webfinger":
            res = (q.get("resource") or [""])[0]
            addr = res[5:].lower() if res.lower().startswith("acct:") else ""
            ok = (host == "bsky.brid.gy" and addr in world.brid_fedi) or (
                host in INSTANCES and addr.endswith("@" + host) and addr in world.masto
            )
            if not ok:
                return 404, "application/json", {"error": "not found"}, {}
            if host in INSTANCES and world.masto[addr]["suspended"]:
                return 410, "application/json", {"error": "gone"}, {}
            u = addr.split("@")[0]
            actor = (
                f"https://bsky.brid.gy/ap/did:{u}"
                if host == "bsky.brid.gy"
                else f"https://{host}/users/{u}"
            )
            return (
                200,
                "application/jrd+json",
                {
                    "subject": f"acct:{addr}",
                    "aliases": [f"https://{host}/@{u}", actor],
                    "links": [
                        {
                            "rel": "http://webfinger.net/rel/profile-page",
                            "type": "text/html",
                            "href": f"https://{host}/@{u}",
                        },
                        {"rel": "self", "type": "application/activity+json", "href": actor},
                    ],
                },
                {},
            )
        if path == "/.well-known/host-meta" and (host in INSTANCES or host.endswith("brid.gy")):
            return (
                200,
                "application/xrd+xml",
                (
                    '<?xml version="1.0" encoding="UTF-8"?><XRD xmlns="http://docs.oasis-open.org/'
                    f'ns/xri/xrd-1.0"><Link rel="lrdd" template="https://{host}/.well-known/'
                    'webfinger?resource={uri}"/></XRD>'
                ),
                {},
            )
        page = world.web.get(host, {}).get(path)
        if page:
            return page[0], page[1], page[2], {}
        return 404, "text/html", "<h1>Not found</h1>", {}

    def x_api(host, path, q, headers):
        if path == "/2/users/me":
            return (
                200,
                "application/json",
                {
                    "data": {
                        "id": world.owner[0],
                        "username": world.owner[1],
                        "name": world.owner[2],
                    }
                },
                {},
            )
        if path == f"/2/users/{world.owner[0]}/following":
            size = max(1, min(int((q.get("max_results") or ["100"])[0]), 1000))
            start = int((q.get("pagination_token") or ["0"])[0] or 0)
            page = world.people[start : start + size]
            body: dict[str, Any] = {
                "data": [x_user(p) for p in page],
                "meta": {"result_count": len(page)},
            }
            if start + size < len(world.people):
                body["meta"]["next_token"] = str(start + size)
            return 200, "application/json", body, {}
        return 404, "application/json", {"title": "Not Found Error"}, {}

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):  # a client that hung up: fine
            if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
                super().handle_error(request, client_address)

    servers = []
    for name, route in (("appview", appview), ("mastodon", mastodon), ("web", web), ("x", x_api)):
        srv = Server(("127.0.0.1", 0), _handler(counts, name, route))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    ports = [s.server_port for s in servers]
    served = Served(
        f"http://127.0.0.1:{ports[0]}",
        f"http://127.0.0.1:{ports[1]}",
        f"http://127.0.0.1:{ports[3]}",
        ports[2],
        counts,
    )
    served_ref.append(served)
    try:
        yield served
    finally:
        for srv in servers:
            srv.shutdown()
            srv.server_close()


def _tco(text: str, seq: list[int]) -> tuple[str, list[dict[str, Any]]]:
    """X shortens every link, and every bare domain it recognises, to t.co."""
    out, urls = [], []
    for word in text.split(" "):
        core = word
        if core.startswith(("http://", "https://")) or core.endswith(".bsky.social"):
            seq[0] += 1
            short = f"https://t.co/w{seq[0]:07d}"
            expanded = core if "://" in core else f"http://{core}"
            urls.append(
                {
                    "start": len(" ".join(out)) + (1 if out else 0),
                    "url": short,
                    "expanded_url": expanded,
                    "display_url": core.split("://")[-1],
                }
            )
            word = short
        out.append(word)
    text = " ".join(out)
    for u in urls:
        u["end"] = u["start"] + len(u["url"])
    return text, urls


def x_user(p: Person) -> dict[str, Any]:
    seq = [int(p.x_id) % 10_000_000 * 10]
    desc, durls = _tco(p.x_bio, seq)
    user: dict[str, Any] = {
        "id": p.x_id,
        "name": p.name,
        "username": p.screen,
        "description": desc,
        "location": "France",
        "entities": {},
    }
    if durls:
        user["entities"]["description"] = {"urls": durls}
    if p.website:
        seq[0] += 1
        short = f"https://t.co/s{seq[0]:07d}"
        user["url"] = short
        user["entities"]["url"] = {
            "urls": [
                {
                    "start": 0,
                    "end": len(short),
                    "url": short,
                    "expanded_url": f"https://{p.website}",
                    "display_url": p.website,
                }
            ]
        }
    return user


# -- running the matcher -------------------------------------------------------------------------


def run_matcher(
    world: World, setting: str, tmpdir: str | Path, served: Served | None = None
) -> dict[str, Any]:
    """Import the archive, hydrate in the ``hydrated`` setting, match twice, score."""
    if served is None:
        with serve(world) as s:
            return run_matcher(world, setting, tmpdir, s)
    from portabilite import Workspace, import_archive
    from portabilite.matching import hydrate, list_matches, match_workspace
    from portabilite.networks import MASTODON_REQUEST_WINDOWS, Budget, HostGuard
    from portabilite.networks.bluesky import BlueskyClient
    from portabilite.networks.mastodon import MastodonClient

    tmp = Path(tmpdir) / setting
    tmp.mkdir(parents=True, exist_ok=True)
    world.writer.write_zip(tmp / "archive.zip")
    import_archive(tmp / "archive.zip", tmp / "ws.sqlite3")
    guard = HostGuard(resolver=lambda h: ["93.184.215.14"], network="mastodon")
    for url in (served.appview, served.mastodon, served.x_api):
        guard.allow(url)
    params = inspect.signature(match_workspace).parameters
    before = served.counts.snapshot()
    with (
        Workspace.open(tmp / "ws.sqlite3") as ws,
        BlueskyClient(
            appview=served.appview,
            guard=HostGuard([served.appview], resolver=None),
            sleep=lambda s: None,
        ) as bsky,
        MastodonClient(
            served.mastodon,
            "token",
            local_domain=HOME,
            sleep=served.sleep,
            clock=served.clock,
            request_budget=Budget(
                f"bench:{HOME}:requests",
                MASTODON_REQUEST_WINDOWS,
                network="mastodon",
                clock=served.clock,
            ),
        ) as home,
    ):
        if setting == "hydrated":
            from portabilite.networks.x import OAuth2Token, XClient

            with XClient(OAuth2Token(access_token="x-token"), api_base=served.x_api) as x:
                hydrate(ws, x)
        kwargs: dict[str, Any] = {"bluesky": bsky, "mastodon": home, "guard": guard, "search": True}
        for name in ("web_transport", "webfinger_transport"):
            if name in params:
                kwargs[name] = served.transport()
                break
        kwargs = {k: v for k, v in kwargs.items() if k in params}
        started = time.perf_counter()
        match_workspace(ws, **kwargs)
        seconds = time.perf_counter() - started
        first = served.counts.snapshot()
        for name in ("web_transport", "webfinger_transport"):
            if name in kwargs:
                kwargs[name] = served.transport()
        match_workspace(ws, **kwargs)
        second = served.counts.snapshot()
        rows = list_matches(ws, relation="following")
    report = score(world, setting, rows)
    diff = lambda a, b: {k: v - b.get(k, 0) for k, v in a.items() if v - b.get(k, 0)}  # noqa: E731
    report["requests"] = diff(first, before)
    report["second_run_requests"] = diff(second, first)
    report["mastodon_429"] = served.limited[0]
    report["mastodon_wait_s"] = round(served.waited[0])
    report["seconds"] = round(seconds, 1)
    return report


# -- scoring ------------------------------------------------------------------------------------


def _key(row: dict[str, Any]) -> str:
    acc = row["account"]
    return (
        acc.get("did") or acc.get("handle") or ""
        if row["network"] == "bluesky"
        else (acc.get("address") or "").lower()
    )


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def score(world: World, setting: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision, recall and the evidence ceiling per network, from ``list_matches`` rows."""
    out: dict[str, Any] = {"setting": setting, "followings": len(world.people), "networks": {}}
    ceilings = {p.x_id: ceiling_of(p, world, setting) for p in world.people}
    for net in ("bluesky", "mastodon"):
        conf: dict[str, set[str]] = {}
        prob: dict[str, set[str]] = {}
        for r in rows:
            if r["network"] == net and r["status"] in ("confirmed", "probable"):
                (conf if r["status"] == "confirmed" else prob).setdefault(r["x_id"], set()).add(
                    _key(r)
                )
        truth = {
            x: (t[net][0].lower() if net == "mastodon" else t[net][0]) if t[net] else None
            for x, t in world.truth.items()
        }
        having = [x for x, t in truth.items() if t]
        conf_rows = sum(len(v) for v in conf.values())
        conf_right = sum(1 for x, v in conf.items() for a in v if a == truth.get(x))
        false_conf = sum(1 for x in conf if truth.get(x) is None)
        recall_c = sum(1 for x in having if truth[x] in conf.get(x, ()))
        only_prob = {x: v for x, v in prob.items() if x not in conf}
        prob_right = sum(1 for x, v in only_prob.items() if truth.get(x) in v)
        prob_rows = sum(len(v) for v in only_prob.values())
        prob_rows_right = sum(1 for x, v in only_prob.items() for a in v if a == truth.get(x))
        either = {x: conf.get(x, set()) | prob.get(x, set()) for x in set(conf) | set(prob)}
        cp_right = sum(1 for x, v in either.items() if truth.get(x) in v)
        ceil = {x for x in having if ceilings[x][net]}
        c_recall = _ratio(recall_c, len(having))
        out["networks"][net] = {
            "with_true_account": len(having),
            "bridged_truths": sum(1 for t in world.truth.values() if t[net] and t[net][1]),
            "confirmed_rows": conf_rows,
            "confirmed_precision": _ratio(conf_right, conf_rows),
            "confirmed_recall": c_recall,
            "false_confirms_of_none": false_conf,
            "probable_accounts": len(only_prob),
            "probable_precision": _ratio(prob_right, len(only_prob)),
            "probable_row_precision": _ratio(prob_rows_right, prob_rows),
            "probable_rows_per_account": _ratio(prob_rows, len(only_prob)),
            "cp_precision": _ratio(cp_right, len(either)),
            "cp_recall": _ratio(
                sum(1 for x in having if truth[x] in either.get(x, ())), len(having)
            ),
            "evidence_ceiling": _ratio(len(ceil), len(having)),
            "confirmed_recall_over_ceiling": _ratio(recall_c, len(ceil)),
        }
    return out


def sfb_baseline(world: World, limit: int = 10, setting: str = "hydrated") -> dict[str, Any]:
    """Sky Follower Bridge's rule: search by X handle and by display name; accept a hit whose
    handle's first label is the X handle (``_``/``-`` ignored), or whose display name is the X
    one, or whose description contains the X handle. Bluesky only; every hit it accepts is
    followed (scored as confirmed). ``hydrated``: with everyone's current handle and name (it
    reads X's following page); ``archive``: with what the archive names (the newest handle of
    the user's mentions), the others unknown."""
    rows = []
    for p in world.people:
        if setting == "archive":
            if not p.archive_names:
                continue
            screen = max(p.archive_names, key=lambda n: n[1])[0]
        else:
            screen = p.screen
        accepted: set[str] = set()
        strip = screen.lower().replace("_", "").replace("-", "")
        for q in (screen, p.name):
            for hit in world.search_actors(q, limit):
                first = hit["handle"].split(".")[0].replace("_", "").replace("-", "")
                if (
                    first == strip
                    or (hit.get("displayName") or "") == p.name
                    or screen.lower() in (hit.get("description") or "").lower()
                ):
                    accepted.add(hit["did"])
        rows += [
            {
                "x_id": p.x_id,
                "network": "bluesky",
                "status": "confirmed",
                "account": {"did": d, "handle": None},
            }
            for d in accepted
        ]
    b = score(world, "sfb", rows)["networks"]["bluesky"]
    return {
        "setting": setting,
        **{
            k: b[k]
            for k in (
                "with_true_account",
                "confirmed_rows",
                "confirmed_precision",
                "confirmed_recall",
                "false_confirms_of_none",
            )
        },
    }


# -- printing -----------------------------------------------------------------------------------

COLUMNS = [
    ("with_true_account", "true"),
    ("confirmed_precision", "C prec"),
    ("confirmed_recall", "C rec"),
    ("false_confirms_of_none", "C false/none"),
    ("probable_accounts", "P accts"),
    ("probable_precision", "P prec"),
    ("probable_row_precision", "P row prec"),
    ("probable_rows_per_account", "P rows/acct"),
    ("cp_precision", "C+P prec"),
    ("cp_recall", "C+P rec"),
    ("evidence_ceiling", "ceiling"),
    ("confirmed_recall_over_ceiling", "C rec/ceil"),
]


def format_report(
    reports: list[dict[str, Any]], sfb: dict[str, Any] | list[dict[str, Any]] | None = None
) -> str:
    def cell(v: Any) -> str:
        return "-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)

    head = ["setting", "network"] + [c for _, c in COLUMNS]
    lines = [head]
    for r in reports:
        for net, f in r["networks"].items():
            lines.append([r["setting"], net] + [cell(f[k]) for k, _ in COLUMNS])
    for one in [sfb] if isinstance(sfb, dict) else sfb or []:
        lines.append(
            [
                f"SFB {one.get('setting', '')}".strip(),
                "bluesky",
                cell(one["with_true_account"]),
                cell(one["confirmed_precision"]),
                cell(one["confirmed_recall"]),
                cell(one["false_confirms_of_none"]),
            ]
            + ["-"] * (len(COLUMNS) - 4)
        )
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    text = "\n".join("  ".join(v.rjust(w) for v, w in zip(row, widths)) for row in lines)
    for r in reports:
        text += (
            f"\n\n[{r['setting']}] {r['seconds']} s; requests: "
            + ", ".join(f"{k}={v}" for k, v in sorted(r["requests"].items()))
            + f"\n[{r['setting']}] second run requests: {r['second_run_requests'] or 0}"
            + f"; Mastodon 429s: {r['mastodon_429']}; time a real run would wait for"
            f" the Mastodon rate window: {r['mastodon_wait_s']} s"
        )
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followings", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--setting", choices=["archive", "hydrated", "both"], default="both")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    world = build_world(args.followings, args.seed)
    settings = ["archive", "hydrated"] if args.setting == "both" else [args.setting]
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        for setting in settings:
            with serve(world) as served:  # a fresh server each: its own counts and window
                reports.append(run_matcher(world, setting, tmp, served))
    sfb = [sfb_baseline(world, setting=s) for s in ("archive", "hydrated")]
    if args.json:
        print(
            json.dumps(
                {"seed": args.seed, "traps": dict(world.traps), "reports": reports, "sfb": sfb},
                indent=2,
            )
        )
    else:
        print(
            f"world: {args.followings} followings, seed {args.seed}; traps: "
            + ", ".join(f"{k}={v}" for k, v in sorted(world.traps.items()))
        )
        print(format_report(reports, sfb))
    return 0


if __name__ == "__main__":
    sys.exit(main())
