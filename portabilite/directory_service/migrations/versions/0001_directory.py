"""The directory: entries, tombstones, registration claims, look-up counts.

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE entry (
            x_id        text PRIMARY KEY,
            prefix      text NOT NULL,          -- the first hex digits of the X id's hash
            x_handle    text,
            x_proof     text NOT NULL CHECK (x_proof IN ('oauth', 'post', 'self')),
            bluesky     text,                   -- the DID
            mastodon    text,                   -- user@host
            signed_by   text NOT NULL,          -- the public key of the server that signed it
            body        jsonb NOT NULL,         -- the signed entry, as served
            updated_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX entry_by_prefix ON entry (prefix);
        CREATE TABLE tombstone (
            x_id        text PRIMARY KEY,
            prefix      text NOT NULL,
            body        jsonb NOT NULL,
            deleted_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX tombstone_by_prefix ON tombstone (prefix);
        CREATE TABLE claim (
            id          text PRIMARY KEY,       -- also the rkey of the Bluesky record
            code        text NOT NULL UNIQUE,
            action      text NOT NULL CHECK (action IN ('register', 'delete')),
            x_id        text NOT NULL,
            x_handle    text,
            bluesky     text,
            mastodon    text,
            created_at  timestamptz NOT NULL DEFAULT now(),
            expires_at  timestamptz NOT NULL,
            used_at     timestamptz
        );
        -- the servers whose exports were copied here: their keys sign the entries copied
        CREATE TABLE mirror (
            public_key  text PRIMARY KEY,
            server      text NOT NULL,
            copied_at   timestamptz NOT NULL DEFAULT now()
        );
        -- no query log: how many look-ups a day, and how many ranges they asked
        CREATE TABLE lookup_count (
            day         date PRIMARY KEY,
            requests    bigint NOT NULL DEFAULT 0,
            ranges      bigint NOT NULL DEFAULT 0
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE lookup_count, mirror, claim, tombstone, entry")
