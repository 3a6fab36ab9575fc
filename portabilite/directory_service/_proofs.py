"""How the directory server checks that a person holds the accounts they register: it reads
the proof where only that person could have put it, and never takes their word for it.

- Bluesky: the handle resolves to the DID (the AppView), the DID document names the handle
  back and the PDS (PLC, or did:web), and that PDS serves the record ``RECORD_COLLECTION`` /
  the claim's id, holding the claim's code and X id. Only the holder of the DID's repository
  can write there.
- Mastodon: the user's own server shows the code in a profile field, in the bio, or in one of
  the last 20 public posts of the account.
- X: X's public oEmbed endpoint (configurable) shows a post by the claimed handle holding the
  code.

Every host is checked by the same guard as the rest of portabilite (no private address unless
the operator allowed it), and every answer is size-capped.
"""

from __future__ import annotations

import re
from typing import Any, Callable
from urllib.parse import urlencode, urlsplit

import httpx
import orjson

from ..errors import DirectoryError
from ..networks._hosts import HostGuard
from ._protocol import RECORD_COLLECTION

__all__ = ["Checker"]

_MAX_BYTES = 1 << 20
DEFAULT_OEMBED = "https://publish.twitter.com/oembed"


class Checker:
    def __init__(
        self,
        *,
        appview: str = "https://public.api.bsky.app",
        plc: str = "https://plc.directory",
        oembed: str = DEFAULT_OEMBED,
        allow_hosts: tuple[str, ...] = (),
        mastodon_base: Callable[[str], str] = lambda host: f"https://{host}",
        transport: httpx.BaseTransport | None = None,
        timeout: float = 15.0,
    ) -> None:
        self.appview = appview.rstrip("/")
        self.plc = plc.rstrip("/")
        self.oembed = oembed
        self.guard = HostGuard([self.appview, self.plc, oembed, *allow_hosts], network="x")
        self.mastodon_base = mastodon_base
        self.http = httpx.Client(transport=transport, timeout=timeout, follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def _json(self, url: str) -> Any:
        self.guard.check(url)
        try:
            with self.http.stream("GET", url, headers={"accept": "application/json"}) as answer:
                if answer.status_code != 200:
                    return None
                body = b""
                for chunk in answer.iter_bytes():
                    body += chunk
                    if len(body) > _MAX_BYTES:
                        return None
            return orjson.loads(body) if body else None
        except (httpx.HTTPError, orjson.JSONDecodeError):
            return None

    # -- Bluesky -----------------------------------------------------------------------------
    def bluesky(self, claimed: str, claim: dict[str, Any]) -> dict[str, Any]:
        """The DID and handle proven, with the record's address; DirectoryError if not."""
        claimed = claimed.strip().lstrip("@").lower()
        did = claimed
        if not claimed.startswith("did:"):
            found = self._json(
                f"{self.appview}/xrpc/com.atproto.identity.resolveHandle?"
                + urlencode({"handle": claimed})
            )
            did = str((found or {}).get("did") or "")
        if not did.startswith(("did:plc:", "did:web:")):
            raise DirectoryError("service.proof_bluesky_unknown", account=claimed)
        if did.startswith("did:plc:"):
            document = self._json(f"{self.plc}/{did}")
        else:
            document = self._json(f"https://{did[len('did:web:') :]}/.well-known/did.json")
        if not isinstance(document, dict) or document.get("id") != did:
            raise DirectoryError("service.proof_bluesky_unknown", account=claimed)
        names = [
            str(a)[len("at://") :].lower()
            for a in document.get("alsoKnownAs") or []
            if str(a).startswith("at://")
        ]
        if not claimed.startswith("did:") and claimed not in names:
            raise DirectoryError("service.proof_bluesky_unknown", account=claimed)
        pds = next(
            (
                str(s.get("serviceEndpoint", "")).rstrip("/")
                for s in document.get("service") or []
                if isinstance(s, dict) and str(s.get("id", "")).endswith("#atproto_pds")
            ),
            "",
        )
        if not pds:
            raise DirectoryError("service.proof_bluesky_unknown", account=claimed)
        record = self._json(
            f"{pds}/xrpc/com.atproto.repo.getRecord?"
            + urlencode({"repo": did, "collection": RECORD_COLLECTION, "rkey": claim["id"]})
        )
        value = (record or {}).get("value") if isinstance(record, dict) else None
        if (
            not isinstance(value, dict)
            or value.get("code") != claim["code"]
            or str(value.get("x_id")) != claim["x_id"]
        ):
            raise DirectoryError("service.proof_bluesky_missing", account=claimed)
        return {
            "did": did,
            "handle": names[0] if names else None,
            "proof": {"kind": "bluesky_record", "uri": record.get("uri"), "cid": record.get("cid")},
        }

    # -- Mastodon ----------------------------------------------------------------------------
    def mastodon(self, address: str, claim: dict[str, Any]) -> dict[str, Any]:
        """The address proven, and where the code was seen; DirectoryError if not."""
        user, _, host = address.strip().lstrip("@").partition("@")
        if not user or not host or not re.fullmatch(r"[A-Za-z0-9.-]+(:\d+)?", host):
            raise DirectoryError("service.proof_mastodon_missing", account=address)
        base = self.mastodon_base(host.lower()).rstrip("/")
        account = self._json(f"{base}/api/v1/accounts/lookup?" + urlencode({"acct": user}))
        if (
            not isinstance(account, dict)
            or str(account.get("username", "")).lower() != user.lower()
        ):
            raise DirectoryError("service.proof_mastodon_missing", account=address)
        code = claim["code"]
        places = [
            str(f.get("value", "")) for f in account.get("fields") or [] if isinstance(f, dict)
        ]
        if any(code in place for place in places) or code in str(account.get("note", "")):
            proof = {"kind": "mastodon_profile", "url": account.get("url")}
        else:
            statuses = self._json(
                f"{base}/api/v1/accounts/{account.get('id')}/statuses?limit=20&exclude_replies=true"
            )
            seen = next(
                (
                    s
                    for s in statuses or []
                    if isinstance(s, dict) and code in str(s.get("content"))
                ),
                None,
            )
            if seen is None:
                raise DirectoryError("service.proof_mastodon_missing", account=address)
            proof = {"kind": "mastodon_post", "url": seen.get("url")}
        return {"address": f"{user.lower()}@{host.lower()}", "proof": proof}

    # -- X -----------------------------------------------------------------------------------
    def x_post(self, url: str, claim: dict[str, Any]) -> dict[str, Any]:
        """The post proving the X handle (oEmbed: author and text); DirectoryError if not."""
        parts = urlsplit(url.strip())
        if parts.scheme != "https" or not re.fullmatch(
            r"/[A-Za-z0-9_]{1,15}/status/\d+", parts.path
        ):
            raise DirectoryError("service.proof_x_bad_url", url=url)
        found = self._json(f"{self.oembed}?" + urlencode({"url": url, "omit_script": "1"}))
        author = urlsplit(str((found or {}).get("author_url", ""))).path.strip("/").lower()
        handle = (claim.get("x_handle") or "").lower()
        if not handle or author != handle or claim["code"] not in str((found or {}).get("html")):
            raise DirectoryError("service.proof_x_missing", handle=handle or "?")
        return {"kind": "x_post", "url": url, "author": found.get("author_url")}
