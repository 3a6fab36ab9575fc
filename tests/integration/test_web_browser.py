"""portabilite web in a real browser (Debian's Chromium, driven by Playwright) against the
real local Bluesky network: import the bundled example, review three candidates with the
keyboard, read the dry run, follow, close the tab and come back, open the report.

Screenshots of each step are kept in artefacts/web/ (CI keeps them as its artefacts)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from portabilite import import_archive
from portabilite._chromium import FLAGS, find_chromium
from portabilite.web import Server

from .processes import logged_in_env

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "fictional-archive.zip"
SHOTS = ROOT / "artefacts" / "web"


@pytest.fixture
def chromium():
    path = find_chromium()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install Debian's chromium (.ci/run)")
        pytest.skip("no Chromium on this machine")
    from playwright.sync_api import sync_playwright

    args = [*FLAGS[1:]] + (["--no-sandbox"] if os.geteuid() == 0 else [])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=args)
        yield browser
        browser.close()


def named_followings(tmp_path) -> list[tuple[str, str]]:
    """(x_id, handle) of the accounts the example follows that it names."""
    scratch = tmp_path / "scratch.sqlite3"
    import_archive(EXAMPLE, scratch)
    with sqlite3.connect(scratch) as db:
        return db.execute(
            "SELECT r.x_id, h.screen_name FROM relation r JOIN handle_hint h USING (x_id)"
            " WHERE r.kind = 'following' ORDER BY r.x_id"
        ).fetchall()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_whole_flow_in_chromium(devnet, tmp_path, monkeypatch, chromium):
    me = devnet.create_account("webuser")
    logged_in_env(devnet, tmp_path, me, monkeypatch)
    people = named_followings(tmp_path)[:6]
    accounts = [devnet.create_account(f"web{i}") for i in range(6)]
    # three proven by X id (confirmed), three by X handle only (to review)
    rows = [f"{x_id},,{a.did}" for (x_id, _), a in zip(people[:3], accounts[:3])]
    rows += [f",{handle},{a.did}" for (_, handle), a in zip(people[3:], accounts[3:])]
    directory = tmp_path / "annuaire.csv"
    directory.write_text("x_id,x_handle,bluesky\n" + "\n".join(rows) + "\n", encoding="utf-8")
    workspace = tmp_path / "w.sqlite3"

    with Server(workspace) as server:
        context = chromium.new_context(locale="fr-FR")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url)
        assert page.url.endswith(f":{server.port}/")  # the token left the address bar
        page.get_by_role("button", name="Français").click()
        assert page.locator("html").get_attribute("lang") == "fr"

        # 1. import: the archive through the file picker, the directory by its path
        page.set_input_files("input[name=archive]", str(EXAMPLE))
        page.fill("#directory_path", str(directory))
        shot(page, "1-import")
        page.click("#import")
        page.get_by_text("L'archive est importée").wait_for(timeout=30_000)
        assert page.get_by_text("3 candidats à vérifier").is_visible()
        shot(page, "2-imported")

        # 2. review three candidates with the keyboard: accept, accept, reject
        page.get_by_role("link", name="Vérifier les candidats").click()
        cards = page.locator("li.card.probable")
        assert cards.count() == 3
        assert "Accepter" in cards.first.inner_text()
        shot(page, "3-review")
        for key in ("a", "a", "r"):
            focused = page.evaluate("document.activeElement.id")
            assert focused.startswith("m"), focused
            with page.expect_navigation():
                page.keyboard.press(key)
        shot(page, "4-reviewed")
        with sqlite3.connect(workspace) as db:
            decisions = [r[0] for r in db.execute("SELECT decision FROM match")]
        assert decisions.count("accepted") == 2 and decisions.count("rejected") == 1

        # 3. the dry run: five to follow on Bluesky (three proven, two accepted)
        page.get_by_role("link", name="Suivre", exact=True).click()
        plan = page.locator('section.plan[data-network="bluesky"]')
        assert "5 comptes à suivre" in plan.inner_text()
        assert len(devnet.client(me).get_follows(me.did).follows) == 0  # nothing written
        shot(page, "5-dry-run")

        # 4. follow, close the tab, come back: the run went on in the server
        page.click("#follow")
        page.close()
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.port}/follow")
        page.locator("#follow-result").wait_for(timeout=60_000)
        assert "Bluesky\u00a0: 5 suivis, 0 en échec" in page.inner_text("#follow-result")
        shot(page, "6-followed")
        followed = {f.did for f in devnet.client(me).get_follows(me.did).follows}
        # the three proven, and the two accepted of the three reviewed
        assert {a.did for a in accounts[:3]} <= followed and len(followed) == 5
        assert len(followed & {a.did for a in accounts[3:]}) == 2

        # 5. the redirect post and the report
        page.get_by_role("link", name="Publication de redirection").click()
        assert "Bluesky" in page.inner_text("main") and me.handle in page.inner_text("main")
        shot(page, "7-post")
        page.get_by_role("link", name="Rapport").click()
        assert "La portabilité de votre audience" in page.inner_text("body")
        from portabilite.i18n import t

        done = t("report.follows_done", "fr", service="Bluesky", done=5, remaining=0, duration="")
        assert done in page.inner_text("body")
        shot(page, "8-report")
        context.close()
    assert errors == [], errors  # no script error, nothing the CSP refused
