"""The data-file readers: whole-file and streaming give the same values, or name file and line."""

from __future__ import annotations

import io

import orjson
import pytest

from portabilite.archive import _js
from portabilite.archive._js import iter_items, load_js, relax
from portabilite.archive.synthetic import pretty
from portabilite.errors import ArchiveParseError


def stream_of(data: bytes):
    return lambda: io.BufferedReader(io.BytesIO(data))


def items(data: bytes, name: str = "data/x.js") -> list:
    return list(iter_items(stream_of(data), name))


def ytd(value, style="expanded", name="YTD.following.part0") -> bytes:
    body = pretty(value, style) if style != "minified" else orjson.dumps(value).decode()
    return f"window.{name} = {body}".encode()


SAMPLE = [
    {
        "following": {
            "accountId": str(10**18 + i),
            "userLink": f"https://twitter.com/intent/user?user_id={i}",
        }
    }
    for i in range(5)
]


@pytest.mark.parametrize("style", ["expanded", "compact", "minified"])
def test_both_pretty_styles_and_minified(style):
    assert items(ytd(SAMPLE, style)) == SAMPLE
    assert load_js(ytd(SAMPLE, style), "x.js") == SAMPLE


def test_bom_crlf_trailing_semicolon_and_no_trailing_newline():
    data = b"\xef\xbb\xbf" + ytd(SAMPLE).replace(b"\n", b"\r\n") + b";\r\n"
    assert items(data) == SAMPLE
    assert items(ytd(SAMPLE) + b";") == SAMPLE
    assert items(b"window.YTD.block.part0 = [];\n") == []
    assert items(b"window.YTD.block.part0 = [ ]") == []


def test_ids_stay_strings_beyond_2_to_53():
    data = b'window.YTD.following.part0 = [ {\n  "following" : {\n    "accountId" : "1599999999999999999"\n  }\n} ]'
    (item,) = items(data)
    assert item["following"]["accountId"] == "1599999999999999999"


def test_prettier_edited_file_is_read_tolerantly():
    data = (
        b'window.YTD.account.part0 = [\n  {\n    account: {\n      username: "eth",\n'
        b'      accountId: "759252279862104064",\n    },\n  },\n];\n'
    )
    assert items(data) == [{"account": {"username": "eth", "accountId": "759252279862104064"}}]


def test_relax_keeps_strings_intact():
    assert (
        relax(b'{a: "b: c, }", \'d\': \'it\\\'s "x" \\"y\\"\', e: [1, 2,], // note\n}')
        == b'{"a": "b: c, }", "d": "it\'s \\"x\\" \\"y\\"", "e": [1, 2], \n}'
    )


def test_lone_surrogates_from_2018_archives_are_accepted_as_replacement_characters():
    """Read, but no UTF-8 file or database can hold half an emoji: U+FFFD instead."""
    data = b'window.YTD.lists_member.part0 = [ {\n  "userListInfo" : {\n    "url" : "https://twitter.com/a/lists/\\uD83D"\n  }\n} ]'
    (item,) = items(data)
    assert item["userListInfo"]["url"].endswith("\ufffd")


@pytest.mark.parametrize(
    "data, line",
    [
        (
            b'window.YTD.following.part0 = [\n  {\n    "following" : {\n      "accountId" : "1"\n    }\n  },\n  {\n    "following" : { oops\n  }\n]',
            8,
        ),
        (b'window.YTD.following.part0 = [ {\n  "following" : {\n    "accountId" : "1"\n', 3),
    ],
)
def test_invalid_json_names_file_and_line(data, line):
    with pytest.raises(ArchiveParseError) as info:
        items(data, "data/following.js")
    assert info.value.file == "data/following.js"
    assert info.value.line == line
    assert f"data/following.js, line {line}" in str(info.value)


def test_not_a_data_file():
    with pytest.raises(ArchiveParseError, match="not an X data file"):
        items(b"hello world", "data/x.js")
    with pytest.raises(ArchiveParseError):
        items(b"", "data/x.js")


def _tricky_tweets(n):
    """Tweets whose text holds what a naive splitter would cut on."""
    texts = ["}, {", "\n  },\n  {", '"quoted" }, { "x" : 1', "\\", "é😀", "\r\n}\n,"]
    return [
        {
            "tweet": {
                "id_str": str(i),
                "full_text": texts[i % len(texts)] * (i % 7 + 1),
                "entities": {
                    "user_mentions": [
                        {"id_str": str(i), "screen_name": f"u{i}"},
                        {"id_str": "-1", "screen_name": "x"},
                    ]
                },
            }
        }
        for i in range(n)
    ]


@pytest.mark.parametrize("style", ["expanded", "compact"])
def test_streaming_in_many_chunks_equals_whole_parse(monkeypatch, style):
    monkeypatch.setattr(_js, "CHUNK_BYTES", 2048)
    monkeypatch.setattr(_js, "READ_BYTES", 1000)
    value = _tricky_tweets(400)
    data = ytd(value, style, "YTD.tweets.part0")
    assert len(data) > 50 * 2048
    assert items(data) == value


def test_streaming_falls_back_and_skips_what_it_gave(monkeypatch):
    """A file that turns unreadable late is re-read whole, without repeating items."""
    monkeypatch.setattr(_js, "CHUNK_BYTES", 1024)
    monkeypatch.setattr(_js, "READ_BYTES", 512)
    value = _tricky_tweets(200)
    data = ytd(value, "expanded", "YTD.tweets.part0")
    # an unquoted key near the end: the fast path fails there, the tolerant path reads it
    tail = data.rfind(b'"full_text"')
    edited = data[:tail] + b"full_text" + data[tail + len(b'"full_text"') :]
    assert items(edited) == value


def test_streaming_memory_is_bounded_by_chunks(monkeypatch):
    """The stream never parses more than a chunk at a time (checked through orjson calls)."""
    calls = []
    real = orjson.loads

    def spy(data):
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(_js, "CHUNK_BYTES", 64 << 10)
    monkeypatch.setattr(_js.orjson, "loads", spy)
    value = [{"follower": {"accountId": str(10**17 + i)}} for i in range(40_000)]
    data = ytd(value, "expanded", "YTD.follower.part0")
    assert items(data) == value
    assert len(calls) > 10
    assert max(calls) < 2 * (64 << 10) + (1 << 20)
