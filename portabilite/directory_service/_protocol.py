"""What a directory server and its clients agree on: how X ids are hashed into ranges, how
entries are signed, what an entry holds. The client needs this module only (no database).

**Private look-ups.** An X id is never sent: the client sends the first ``PREFIX_HEX`` hex
digits of ``sha256("portabilite-directory:" + x_id)`` (20 bits: 1,048,576 ranges, as the
password-breach services do), and the server answers every entry of those ranges; the client
keeps the entries whose X id is one of its own. With some 500 million X accounts, each range
stands for about 500 of them whichever the client meant (and for 2^44 possible 64-bit ids):
a range names no one. A directory of a million entries holds about one per range, so a
look-up brings back about as many entries as it names accounts.

**Signed entries.** Each entry and each tombstone is signed by the server that verified it,
with Ed25519, over its canonical JSON (keys sorted, no spaces, UTF-8). The key is published at
``/.well-known/portabilite-directory``; entries copied to another server keep their signature
and the name of the server that signed them, so they stay verifiable.

**Proofs.** ``x_proof`` says how the X side was proven:

- ``oauth``: the X account itself, by its numeric id (X OAuth, when the operator configured a
  client): the strongest;
- ``post``: a public post on X containing the registration's code, read through X's oEmbed
  endpoint: it proves the *handle* at that date, not the id (oEmbed does not give it), so a
  client confirms the entry only when that handle is the account's current one;
- ``self``: nothing on X: self-declared, medium evidence, never confirming on its own.

The new accounts are always proven: Bluesky by a record in the person's own repository
(``RECORD_COLLECTION``, written with their DID's key, read from their PDS), Mastodon by the
code in a profile field, the bio or a recent public post, read from their own server.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import orjson

__all__ = [
    "PREFIX_HEX",
    "RECORD_COLLECTION",
    "WELL_KNOWN",
    "X_PROOFS",
    "canonical",
    "prefix_of",
    "public_key_text",
    "sign",
    "verify",
    "x_hash",
]

PREFIX_HEX = 5
RECORD_COLLECTION = "org.portabilite.directory.claim"
WELL_KNOWN = "/.well-known/portabilite-directory"
X_PROOFS = ("oauth", "post", "self")


def x_hash(x_id: str) -> str:
    return hashlib.sha256(b"portabilite-directory:" + x_id.encode()).hexdigest()


def prefix_of(x_id: str) -> str:
    return x_hash(x_id)[:PREFIX_HEX]


def canonical(value: dict[str, Any]) -> bytes:
    """The bytes a signature covers: the value without its ``signature``, keys sorted."""
    body = {k: v for k, v in value.items() if k != "signature"}
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def sign(private_key: Any, value: dict[str, Any]) -> dict[str, Any]:
    """``value`` with its ``signature`` (Ed25519, base64)."""
    signature = private_key.sign(canonical(value))
    return {**value, "signature": base64.b64encode(signature).decode()}


def public_key_text(public_key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def verify(public_key: str, value: dict[str, Any]) -> bool:
    """Whether ``value`` carries a valid signature by ``public_key`` (base64, raw Ed25519)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(
            base64.b64decode(str(value.get("signature", "")), validate=True), canonical(value)
        )
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
