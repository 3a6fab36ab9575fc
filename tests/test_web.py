"""portabilite web, through HTTP (no browser: tests/integration/test_web_browser.py drives
Chromium): who may drive it, what the browser is allowed, escaping, French, the façade."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest

from portabilite.archive.synthetic import ArchiveWriter
from portabilite.web import Server

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    with Server(tmp_path / "w.sqlite3") as running:
        yield running


def base(server) -> str:
    return f"http://127.0.0.1:{server.port}"


def browser(server) -> httpx.Client:
    """A client that opened the address the command printed (the cookie set)."""
    client = httpx.Client(base_url=base(server))
    opened = client.get(server.url)
    assert opened.status_code == 303 and opened.headers["location"] == "/"
    cookie = opened.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    return client


def csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)


def imported(client, archive: Path, directory: Path | None = None) -> dict:
    token = csrf(client.get("/").text)
    data = {"csrf": token, "archive_path": str(archive)}
    if directory:
        data["directory_path"] = str(directory)
    answer = client.post("/import", data=data)
    assert answer.status_code == 303, answer.text
    for _ in range(200):
        job = client.get("/jobs/import").json()
        if job["state"] != "running":
            return job
        time.sleep(0.05)
    raise AssertionError("the import did not end")


def test_only_the_token_holder_from_this_machine_drives_it(server):
    anyone = httpx.Client(base_url=base(server))
    refused = anyone.get("/")
    assert refused.status_code == 403 and "portabilite web" in refused.text
    assert anyone.get("/?token=wrong").status_code == 403
    assert anyone.get("/jobs/import").status_code == 403
    cookie = f"portabilite-{server.port}"
    guessing = httpx.Client(base_url=base(server), cookies={cookie: "guess"})
    assert guessing.get("/").status_code == 403
    # any text at all is refused in one sentence, never a server error
    assert anyone.get("/?token=%C3%A9").status_code == 403
    accented = anyone.get("/", headers={"cookie": f"{cookie}=é".encode()})
    assert accented.status_code == 403
    # the key's redirect stays on this page: //evil.example is a path here, not a host
    sent = anyone.get(f"{base(server)}//evil.example/?token={server.token}")
    assert sent.status_code == 303 and sent.headers["location"] == "/evil.example/"
    # a name pointed at 127.0.0.1 by another site (DNS rebinding) is not this page
    client = browser(server)
    assert client.get("/", headers={"host": "evil.example"}).status_code == 421
    assert client.get("/").status_code == 200
    # the server listens on the loopback only
    assert server.url.startswith("http://127.0.0.1:")
    assert server._socket.getsockname()[0] == "127.0.0.1"


def test_writes_need_the_form_key_and_the_page_origin(server, tmp_path):
    client = browser(server)
    page = client.get("/").text
    archive = EXAMPLES / "fictional-archive.zip"
    # another site's form, posted with the user's cookie: no key, or another origin
    assert client.post("/import", data={"archive_path": str(archive)}).status_code == 400
    assert (
        client.post(
            "/import",
            data={"csrf": csrf(page), "archive_path": str(archive)},
            headers={"origin": "https://evil.example"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/import",
            data={"csrf": csrf(page), "archive_path": str(archive)},
            headers={"sec-fetch-site": "cross-site"},
        ).status_code
        == 403
    )
    assert not (tmp_path / "w.sqlite3").exists()  # nothing was imported


def test_a_strict_content_security_policy_on_every_page(server):
    client = browser(server)
    imported(client, EXAMPLES / "fictional-archive.zip", EXAMPLES / "directory.csv")
    for path in ("/", "/matches", "/follow", "/post", "/static/app.js"):
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text[:500])
        policy = answer.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "https:" not in policy  # no avatar fetched unless the user allowed it
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"
        if path != "/static/app.js":
            assert '<script src="/static/app.js" defer></script>' in answer.text
            assert not re.search(r"<script(?![^>]*src=)", answer.text)  # no inline script
    report = client.get("/report")
    assert "default-src 'none'" in report.headers["content-security-policy"]
    assert "<script" not in report.text


def test_the_user_turns_the_faces_on_and_off_in_the_page(server):
    client = browser(server)
    imported(client, EXAMPLES / "fictional-archive.zip", EXAMPLES / "directory.csv")
    page = client.get("/matches")
    assert "https:" not in page.headers["content-security-policy"]
    assert (
        client.post("/avatars", data={"csrf": csrf(page.text), "avatars": "on"}).status_code == 303
    )
    page = client.get("/matches")
    assert "img-src 'self' data: https:" in page.headers["content-security-policy"]
    assert 'data-avatars="on"' in page.text and "Hide the faces" in page.text
    client.post("/avatars", data={"csrf": csrf(page.text), "avatars": "off"})
    assert "https:" not in client.get("/matches").headers["content-security-policy"]


def test_avatars_only_when_the_user_allows_them(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTABILITE_KEYRING", "0")
    monkeypatch.setenv("PORTABILITE_CONFIG_DIR", str(tmp_path / "cfg"))
    with Server(tmp_path / "w.sqlite3", avatars=True) as running:
        client = browser(running)
        page = client.get("/")
        assert "img-src 'self' data: https:" in page.headers["content-security-policy"]
        assert 'data-avatars="on"' in page.text


def test_text_from_the_archive_is_escaped(server, tmp_path):
    writer = ArchiveWriter("1500000000000000000", "owner_x", HOSTILE, bio=HOSTILE)
    writer.following = ["1500000000000000010"]
    writer.write_zip(tmp_path / "a.zip")
    (tmp_path / "d.csv").write_text(
        "x_id,bluesky\n1500000000000000010,hostile.example\n", encoding="utf-8"
    )
    client = browser(server)
    job = imported(client, tmp_path / "a.zip", tmp_path / "d.csv")
    assert job["state"] == "done", job
    for path in ("/", "/matches", "/report"):
        text = client.get(path).text
        assert HOSTILE not in text and "<img" not in text, path
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in client.get("/").text


def test_review_by_the_page_is_the_libraries_decision(server, tmp_path):
    from portabilite import Migration

    client = browser(server)
    imported(client, EXAMPLES / "fictional-archive.zip", EXAMPLES / "directory.csv")
    page = client.get("/matches?status=probable").text
    ids = re.findall(r'<li class="card probable" id="m(\d+)"', page)
    assert ids, page
    answer = client.post(
        f"/matches/{ids[0]}/decide",
        data={"csrf": csrf(page), "decision": "accept", "back": "https://evil.example/"},
    )
    # back to the list only, never to an address given by the form
    assert answer.status_code == 303 and answer.headers["location"].startswith("/matches")
    with Migration(tmp_path / "w.sqlite3", create=False) as move:
        decided = {m["id"]: m["decision"] for m in move.matches()}
    assert decided[int(ids[0])] == "accepted"
    bad = client.post(f"/matches/{ids[0]}/decide", data={"csrf": csrf(page), "decision": "x"})
    assert bad.status_code == 400 and "accept or reject" in bad.text


def test_a_bad_archive_is_one_sentence_on_the_page(server, tmp_path):
    (tmp_path / "not.zip").write_bytes(b"not a zip")
    client = browser(server)
    job = imported(client, tmp_path / "not.zip")
    assert job["state"] == "failed" and "Traceback" not in job["error"]
    assert len(job["error"].splitlines()) == 1
    assert job["error"] in client.get("/").text.replace("&#39;", "'")
    assert not (tmp_path / "w.sqlite3").exists()


def test_the_page_speaks_french(server, tmp_path, monkeypatch):
    from tests.test_french import leaks

    client = browser(server)
    imported(client, EXAMPLES / "fictional-archive.zip", EXAMPLES / "directory.csv")
    page = client.get("/").text
    switched = client.post("/language", data={"csrf": csrf(page), "lang": "fr", "back": "/"})
    assert switched.status_code == 303
    try:
        for path in ("/", "/matches", "/follow", "/post?bluesky=ville.example", "/report"):
            html = client.get(path).text
            assert '<html lang="fr">' in html, path
            text = re.sub(r"(?s)<style.*?</style>|<svg.*?</svg>", " ", html)
            text = re.sub(r"<[^>]+>", " ", text)
            found = [w for w in leaks(text) if w not in {"Bluesky", "Mastodon"}]
            assert not found, (path, found)
        assert "Vérifier les candidats" in client.get("/").text
    finally:
        from portabilite.i18n import set_language

        set_language(None)


def test_the_command_prints_the_address_and_stops_on_ctrl_c(tmp_path):
    import signal
    import subprocess
    import sys

    env = {
        **{k: v for k, v in __import__("os").environ.items() if not k.startswith("PORTABILITE_")},
        "PORTABILITE_KEYRING": "0",
        "PORTABILITE_CONFIG_DIR": str(tmp_path / "cfg"),
        "PORTABILITE_LANG": "en",
    }
    command = [sys.executable, "-m", "portabilite", "-w", str(tmp_path / "w.sqlite3"), "web"]
    process = subprocess.Popen(
        [*command, "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{43}", line).group(0)
        assert "do not share it" in line
        client = httpx.Client()
        for _ in range(100):
            try:
                opened = client.get(url, follow_redirects=True)
                break
            except httpx.ConnectError:
                time.sleep(0.05)
        assert opened.status_code == 200 and "Import your X archive" in opened.text
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "The page is stopped." in out and "Traceback" not in err
    assert "token" not in err  # no access log: the address holds the key


def test_a_port_taken_is_one_sentence(tmp_path):
    import socket

    from click.testing import CliRunner

    from portabilite.cli import cli

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["-w", str(tmp_path / "w.sqlite3"), "web", "--no-browser", "--port", str(port)]
        )
    finally:
        taken.close()
    assert result.exit_code == 1
    assert f"Cannot listen on port {port} of 127.0.0.1: another program listens" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_browser_is_opened_without_the_key_on_its_command_line(tmp_path, monkeypatch):
    """Every user of the machine can list a process's arguments: the browser is given a file
    only the user can read, which sends it on to the address with the key."""
    import os
    import stat
    import webbrowser

    from click.testing import CliRunner

    from portabilite.cli import cli

    opened: list[tuple[str, str, int]] = []

    def fake_open(uri: str) -> bool:
        path = Path(uri.removeprefix("file://"))
        opened.append((uri, path.read_text(), stat.S_IMODE(os.stat(path).st_mode)))
        return True

    def interrupted(self) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(webbrowser, "open", fake_open)
    monkeypatch.setattr(Server, "run", interrupted)
    result = CliRunner().invoke(cli, ["-w", str(tmp_path / "w.sqlite3"), "web"])
    assert result.exit_code == 0, result.output
    token = re.search(r"token=([\w-]+)", result.output).group(1)
    ((uri, page, mode),) = opened
    assert uri.startswith("file://") and token not in uri
    assert token in page and mode == 0o600
    assert not Path(uri.removeprefix("file://")).exists()  # removed when the page stops


def test_an_upload_refused_leaves_no_copy_behind(server, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where uploads are copied
    client = browser(server)
    page = client.get("/").text
    # no archive given, only a directory file: refused, and its copy removed
    refused = client.post(
        "/import",
        data={"csrf": csrf(page)},
        files={"directory": ("d.csv", b"x_id,bluesky\n1,a.example\n", "text/csv")},
    )
    assert refused.status_code == 400 and "Choose your X archive" in refused.text
    assert not list(tmp_path.glob("portabilite-upload-*"))
    # an archive uploaded and imported: the copy goes when the import ends
    archive = (EXAMPLES / "fictional-archive.zip").read_bytes()
    sent = client.post(
        "/import",
        data={"csrf": csrf(page)},
        files={"archive": ("archive.zip", archive, "application/zip")},
    )
    assert sent.status_code == 303
    for _ in range(200):
        if client.get("/jobs/import").json()["state"] != "running":
            break
        time.sleep(0.05)
    assert client.get("/jobs/import").json()["state"] == "done"
    assert not list(tmp_path.glob("portabilite-upload-*"))


def test_the_follow_run_is_the_plan_the_user_read(server, tmp_path):
    client = browser(server)
    imported(client, EXAMPLES / "fictional-archive.zip", EXAMPLES / "directory.csv")
    page = client.get("/follow").text
    digest = re.search(r'name="plan" value="([0-9a-f]{16})"', page).group(1)
    # the plan changes (a review elsewhere) before the button is pressed
    from portabilite import Migration

    with Migration(tmp_path / "w.sqlite3", create=False) as move:
        probable = [m for m in move.matches() if m["status"] == "probable"]
        move.decide(probable[0]["id"], "accepted")
    assert client.post("/follow", data={"csrf": csrf(page), "plan": digest}).status_code == 303
    for _ in range(200):
        job = client.get("/jobs/follow").json()
        if job["state"] != "running":
            break
        time.sleep(0.05)
    assert job["state"] == "failed" and "The plan changed since you read it" in job["error"]


def test_unknown_pages_and_ids_are_one_sentence(server):
    client = browser(server)
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and "There is no such page here." in missing.text
    assert "default-src 'none'" in missing.headers["content-security-policy"]
    page = client.get("/").text
    huge = client.post(
        "/matches/99999999999999999999/decide", data={"csrf": csrf(page), "decision": "accept"}
    )
    assert huge.status_code == 400 and "Traceback" not in huge.text
