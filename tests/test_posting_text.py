"""Counting like each network counts, facets over UTF-8 bytes, and the redirect templates."""

from __future__ import annotations

import string

import pytest

from portabilite.posting import (
    DEFAULT_TEMPLATES,
    PLACEHOLDERS,
    PostError,
    bluesky_length,
    compose,
    facets,
    load_template,
    mastodon_length,
    x_length,
)


def test_x_weighted_length():
    assert x_length("a" * 10) == 10
    assert x_length("é" * 10) == 10  # Latin: 1 each
    assert x_length("日本") == 4  # CJK: 2 each
    assert x_length("🚲") == 2 and x_length("👨‍👩‍👧") == 2  # an emoji sequence: 2
    assert x_length("voir https://exemple.fr/une/tres/longue/adresse/qui/depasse") == 5 + 23


def test_bluesky_counts_graphemes_mastodon_urls_23():
    assert bluesky_length("👨‍👩‍👧🇫🇷é") == 3
    assert mastodon_length("x https://exemple.fr/" + "a" * 100) == 2 + 23
    assert mastodon_length("@lea@piaille.example") == len("@lea")


def test_facets_are_utf8_byte_offsets():
    text = (
        "Été 🚲 : lisez https://exemple.fr/déménagement puis suivez @ville.fictiveville.example !"
    )
    found = facets(text, resolve=lambda handle: "did:plc:abcdefghijklmnopqrstuvwx")
    raw = text.encode("utf-8")
    link, mention = found
    assert (
        raw[link["index"]["byteStart"] : link["index"]["byteEnd"]].decode()
        == "https://exemple.fr/déménagement"
    )
    assert link["features"][0]["uri"] == "https://exemple.fr/déménagement"
    assert (
        raw[mention["index"]["byteStart"] : mention["index"]["byteEnd"]].decode()
        == "@ville.fictiveville.example"
    )
    assert facets("écrivez à lea@gmail.com", resolve=lambda h: "did:plc:x") == []  # not a mention
    assert facets("@inconnu.example", resolve=lambda h: None) == []


def fields(text):
    return {
        name
        for line in text.splitlines()
        for _, name, _, _ in string.Formatter().parse(line.lstrip("?"))
        if name
    }


def test_templates_exist_in_both_languages_with_the_same_placeholders():
    assert set(DEFAULT_TEMPLATES) == {"en", "fr"}
    assert fields(DEFAULT_TEMPLATES["en"]) == fields(DEFAULT_TEMPLATES["fr"]) == set(PLACEHOLDERS)


def test_compose_fits_each_network():
    values = dict(
        bluesky="ville.fictiveville.example",
        mastodon="ville@social.fictiveville.example",
        x_handle="VilleFictive",
    )
    full = compose(DEFAULT_TEMPLATES["fr"], website="https://fictiveville.example", **values)
    assert "Site : https://fictiveville.example" in full["x"] and "@VilleFictive" in full["x"]
    long_site = "https://fictiveville.example/" + "x" * 300
    tight = compose(DEFAULT_TEMPLATES["fr"], website=long_site, mastodon_limit=150, **values)
    assert x_length(tight["x"]) <= 280 and bluesky_length(tight["bluesky"]) <= 300
    assert mastodon_length(tight["mastodon"]) <= 150 and "@VilleFictive" not in tight["mastodon"]
    only_bsky = compose(DEFAULT_TEMPLATES["en"], bluesky="me.example", mastodon=None)
    assert "Mastodon" not in only_bsky["bluesky"] and "@me.example" in only_bsky["bluesky"]


def test_compose_refuses_what_cannot_be_fixed(tmp_path):
    with pytest.raises(PostError, match="log in to Bluesky or Mastodon"):
        compose(DEFAULT_TEMPLATES["en"], bluesky=None, mastodon=None)
    with pytest.raises(PostError, match="{oops}"):
        compose("Hello {oops}", bluesky="me.example", mastodon=None)
    with pytest.raises(PostError, match="over its limit"):
        compose("x" * 400 + " {bluesky}", bluesky="me.example", mastodon=None)
    custom = tmp_path / "t.txt"
    custom.write_text("Nouveau : @{bluesky}\n", encoding="utf-8")
    assert load_template("fr", custom) == "Nouveau : @{bluesky}"
    with pytest.raises(PostError, match="no such template"):
        load_template("fr", tmp_path / "missing.txt")
