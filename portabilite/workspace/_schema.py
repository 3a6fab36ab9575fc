"""The workspace's schema, as an ordered list of migrations (``PRAGMA user_version`` counts
how many have run). Never edit a released migration: add the next one."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the archive's facts
    """
    CREATE TABLE account (
        id           TEXT PRIMARY KEY,
        username     TEXT NOT NULL,
        display_name TEXT,
        created_at   TEXT,
        bio          TEXT,
        website      TEXT,
        location     TEXT,
        updated_at   TEXT NOT NULL
    );
    CREATE TABLE archive_import (
        id           INTEGER PRIMARY KEY,
        imported_at  TEXT NOT NULL,
        source       TEXT NOT NULL,
        fingerprint  TEXT NOT NULL,
        layout       TEXT NOT NULL,
        generated_at TEXT,
        warnings     TEXT NOT NULL DEFAULT '[]',  -- JSON: [{"code", ...params}]
        counts       TEXT NOT NULL DEFAULT '{}'   -- JSON: what this archive held
    );
    CREATE TABLE screen_name_change (
        seq          INTEGER PRIMARY KEY,
        changed_at   TEXT,
        changed_from TEXT,
        changed_to   TEXT
    );
    -- following / follower / block / mute; removed_import is set when a newer archive
    -- no longer has the row, and cleared if it comes back.
    CREATE TABLE relation (
        kind           TEXT NOT NULL CHECK (kind IN ('following', 'follower', 'block', 'mute')),
        x_id           TEXT NOT NULL,
        first_import   INTEGER NOT NULL,
        last_import    INTEGER NOT NULL,
        removed_import INTEGER,
        PRIMARY KEY (kind, x_id)
    ) WITHOUT ROWID;
    CREATE TABLE x_list (
        kind           TEXT NOT NULL CHECK (kind IN ('created', 'member', 'subscribed')),
        url            TEXT NOT NULL,
        owner          TEXT,
        slug           TEXT,
        first_import   INTEGER NOT NULL,
        last_import    INTEGER NOT NULL,
        removed_import INTEGER,
        PRIMARY KEY (kind, url)
    ) WITHOUT ROWID;
    -- the newest screen and display name the user's tweets give for an X id
    CREATE TABLE handle_hint (
        x_id         TEXT PRIMARY KEY,
        screen_name  TEXT NOT NULL,
        display_name TEXT,
        last_seen    TEXT,
        source       TEXT NOT NULL
    ) WITHOUT ROWID;
    -- every screen name seen for an X id (renamed accounts keep their old names here)
    CREATE TABLE handle_hint_name (
        x_id              TEXT NOT NULL,
        screen_name_lower TEXT NOT NULL,
        screen_name       TEXT NOT NULL,
        first_seen        TEXT,
        last_seen         TEXT,
        PRIMARY KEY (x_id, screen_name_lower)
    ) WITHOUT ROWID;
    CREATE INDEX handle_hint_name_by_name ON handle_hint_name (screen_name_lower);
    """,
    # 2: write budgets spent on the networks, so limits hold across runs
    """
    CREATE TABLE budget_spend (
        key    TEXT NOT NULL,     -- e.g. "bluesky:did:plc:...:writes"
        at     REAL NOT NULL,     -- epoch seconds
        points INTEGER NOT NULL
    );
    CREATE INDEX budget_spend_by_key ON budget_spend (key, at);
    """,
    # 3: the matcher: shared directories, candidates with their evidence, cached look-ups
    """
    CREATE TABLE directory_entry (
        id          INTEGER PRIMARY KEY,
        x_id        TEXT,
        x_handle    TEXT,
        network     TEXT NOT NULL CHECK (network IN ('bluesky', 'mastodon')),
        account     TEXT NOT NULL,   -- Bluesky handle or DID; Mastodon user@host
        source      TEXT NOT NULL,
        dated       TEXT,
        imported_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX directory_entry_unique ON directory_entry
        (COALESCE(x_id, ''), lower(COALESCE(x_handle, '')), network, lower(account), source);
    CREATE INDEX directory_by_x_id ON directory_entry (x_id);
    CREATE INDEX directory_by_x_handle ON directory_entry (lower(x_handle));
    CREATE TABLE match (
        id           INTEGER PRIMARY KEY,
        x_id         TEXT NOT NULL,
        relation     TEXT NOT NULL,   -- following / follower (the first seen)
        network      TEXT NOT NULL CHECK (network IN ('bluesky', 'mastodon')),
        account      TEXT NOT NULL,   -- Bluesky DID (or handle until resolved); user@host
        handle       TEXT,
        display_name TEXT,
        bridged      INTEGER NOT NULL DEFAULT 0,
        score        REAL NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('confirmed', 'probable', 'rejected')),
        decision     TEXT CHECK (decision IN ('accepted', 'rejected')),
        decided_at   TEXT,
        evidence     TEXT NOT NULL,   -- JSON: [{"kind", "detail", "weight"}]
        updated_at   TEXT NOT NULL,
        UNIQUE (x_id, network, account)
    );
    CREATE INDEX match_by_status ON match (network, status);
    CREATE TABLE lookup_cache (
        key        TEXT PRIMARY KEY,  -- "bluesky:profile:<actor>", "webfinger:<address>"...
        value      TEXT,              -- JSON, or NULL for "not found"
        fetched_at TEXT NOT NULL
    );
    """,
    # 4: the followings' X profiles, read through the X API (portabilite hydrate)
    """
    CREATE TABLE x_profile (
        x_id         TEXT PRIMARY KEY,
        screen_name  TEXT NOT NULL,
        display_name TEXT,
        description  TEXT,
        website      TEXT,
        location     TEXT,
        fetched_at   TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 5: the journal of remote writes (follows now; blocks, mutes, lists later)
    """
    CREATE TABLE follow_op (
        id         INTEGER PRIMARY KEY,
        network    TEXT NOT NULL CHECK (network IN ('bluesky', 'mastodon')),
        owner      TEXT NOT NULL,   -- the user's own account: Bluesky DID, Mastodon user@host
        kind       TEXT NOT NULL DEFAULT 'follow',
        target     TEXT NOT NULL,   -- Bluesky handle or DID, Mastodon user@host
        x_id       TEXT NOT NULL,
        match_id   INTEGER,
        state      TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'done', 'failed',
                                                  'undoing', 'undone')),
        subject    TEXT,            -- the resolved target: DID, or Mastodon local id
        rkey       TEXT,            -- Bluesky: the record key chosen BEFORE sending
        uri        TEXT,            -- what the network says it created
        batch      INTEGER,         -- the remote call it went in
        error      TEXT,
        planned_at TEXT NOT NULL,
        sent_at    TEXT,
        done_at    TEXT,
        UNIQUE (network, owner, kind, target)
    );
    CREATE INDEX follow_op_by_state ON follow_op (network, owner, state);
    """,
    # 6: the X lists the user owns, with their members (portabilite hydrate --lists)
    """
    CREATE TABLE x_owned_list (
        list_id     TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        description TEXT,
        private     INTEGER NOT NULL DEFAULT 0,
        fetched_at  TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE x_owned_list_member (
        list_id TEXT NOT NULL,
        x_id    TEXT NOT NULL,
        PRIMARY KEY (list_id, x_id)
    ) WITHOUT ROWID;
    """,
    # 7: posts (the redirect post, crossposts) and their delivery to each network
    """
    CREATE TABLE post (
        id         INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        due_at     TEXT NOT NULL,
        lang       TEXT,
        pin        INTEGER NOT NULL DEFAULT 0,
        cancelled  INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE post_delivery (
        post_id   INTEGER NOT NULL REFERENCES post (id),
        network   TEXT NOT NULL CHECK (network IN ('x', 'bluesky', 'mastodon')),
        text      TEXT NOT NULL,
        state     TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'scheduled',
                                                 'manual', 'uncertain', 'failed',
                                                 'cancelled')),
        key       TEXT,   -- chosen BEFORE sending: Bluesky record key, Mastodon Idempotency-Key
        remote_id TEXT,   -- Bluesky uri, Mastodon status (or scheduled status) id, X post id
        url       TEXT,
        pinned    INTEGER NOT NULL DEFAULT 0,
        error     TEXT,
        sent_at   TEXT,
        PRIMARY KEY (post_id, network)
    ) WITHOUT ROWID;
    """,
    # 8: keeping the X handle: the steps done, and the logins the user recorded
    """
    CREATE TABLE reserve_step (
        step    TEXT PRIMARY KEY,
        done_at TEXT NOT NULL,
        detail  TEXT
    ) WITHOUT ROWID;
    CREATE TABLE x_login (
        at TEXT PRIMARY KEY
    ) WITHOUT ROWID;
    """,
    # 9: which posts are the redirect message (published once per network, whatever the path)
    """
    ALTER TABLE post ADD COLUMN kind TEXT NOT NULL DEFAULT 'text'
        CHECK (kind IN ('text', 'redirect'));
    UPDATE post SET kind = 'redirect' WHERE pin = 1
        OR CAST(id AS TEXT) IN (SELECT detail FROM reserve_step WHERE step = 'post');
    """,
    # 10: what each spend paid for, so a request found never to have left can be refunded
    """
    ALTER TABLE budget_spend ADD COLUMN tag TEXT;
    CREATE INDEX budget_spend_by_tag ON budget_spend (key, tag) WHERE tag IS NOT NULL;
    """,
    # 11: id -> handle files other tools wrote (hints import), with where each row came from
    """
    CREATE TABLE hint_file (
        x_id         TEXT NOT NULL,
        screen_name  TEXT NOT NULL,
        display_name TEXT,
        file         TEXT NOT NULL,   -- the file's name, as given
        line         INTEGER NOT NULL,
        dated        TEXT,            -- the file's own date (its modification time)
        imported_at  TEXT NOT NULL,
        PRIMARY KEY (x_id, file, screen_name)
    ) WITHOUT ROWID;
    """,
    # 12: the random sample of followers the report estimates the portable share from
    """
    CREATE TABLE audience_sample (
        x_id     TEXT PRIMARY KEY,
        drawn_at TEXT NOT NULL,
        gone     INTEGER NOT NULL DEFAULT 0   -- X had no profile for it: deleted or suspended
    ) WITHOUT ROWID;
    """,
    # 13: directory servers (issue 15): how each entry's X side was proven, and the servers
    """
    ALTER TABLE directory_entry ADD COLUMN x_proof TEXT
        CHECK (x_proof IN ('oauth', 'post', 'self'));  -- NULL: a file's word
    CREATE TABLE directory_server (
        url          TEXT PRIMARY KEY,
        public_key   TEXT NOT NULL,   -- pinned at the first look-up
        added_at     TEXT NOT NULL,
        looked_up_at TEXT
    ) WITHOUT ROWID;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
