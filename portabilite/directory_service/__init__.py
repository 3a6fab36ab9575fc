"""An open, consent-based directory of who moved where (issue 15): a server any community can
host (``portabilite directory serve``), and what a client needs to register and look up.

- ``_protocol``: the ranges (hash prefixes of X ids), the signatures (Ed25519), the entries;
- ``_db``: PostgreSQL through psycopg 3, the schema through Alembic;
- ``_proofs``: how a registration is proven (Bluesky record, Mastodon profile, X post);
- ``_app``: the HTTP interface (Starlette);
- ``client``: registration and look-ups from a workspace.

docs/directory-service.md says how to run one, and what it stores.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["copy_export", "load_key", "open_server"]


def load_key(path: str | os.PathLike[str]) -> Any:
    """The server's Ed25519 signing key from ``path`` (PEM), made there (readable by its owner
    only) when the file does not exist yet."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from .._files import write_private

    target = Path(path)
    if not target.exists():
        key = Ed25519PrivateKey.generate()
        write_private(
            target,
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        )
        return key
    loaded = serialization.load_pem_private_key(target.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        from ..errors import DirectoryError

        raise DirectoryError("service.bad_key", path=str(target))
    return loaded


def open_server(
    database: str,
    key_path: str | os.PathLike[str],
    *,
    public_url: str,
    checker: Any = None,
    pool_size: int = 20,
) -> tuple[Any, Any]:
    """Migrate the database, then the ASGI application and its store (close the store when
    done): what ``directory serve`` runs, and what tests start."""
    from ._app import create_app
    from ._db import Store, migrate
    from ._proofs import Checker

    migrate(database)
    store = Store(database, max_size=pool_size)
    app = create_app(store, load_key(key_path), checker or Checker(), public_url=public_url)
    return app, store


def copy_export(store: Any, lines: Any) -> dict[str, int]:
    """Copy another server's export (its lines, the head first) into ``store``: every entry
    and tombstone must carry a valid signature by the key the head names (a mirror serves
    them as they are); one that does not refuses the whole copy."""
    from ..errors import DirectoryError
    from ._protocol import verify

    lines = iter(lines)
    head = next(lines, None)
    if not isinstance(head, dict) or not head.get("public_key"):
        raise DirectoryError("service.bad_export")
    key = str(head["public_key"])
    entries: list[dict[str, Any]] = []
    tombstones: list[dict[str, Any]] = []
    for value in lines:
        if not isinstance(value, dict) or value.get("signed_by") != key or not verify(key, value):
            raise DirectoryError("service.bad_signature", server=str(head.get("server")))
        (tombstones if value.get("tombstone") else entries).append(value)
    store.put_many(entries, tombstones, {"public_key": key, "server": str(head.get("server"))})
    return {"entries": len(entries), "tombstones": len(tombstones)}
