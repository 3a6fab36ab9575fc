"""The routes of ``portabilite web``: each one a call to the library façade (``Migration``),
shown through a template; nothing here decides anything the command line does not."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ._jobs import Job, Jobs
from ._security import Guard, csp

__all__ = ["create_app"]

_STATIC = Path(__file__).resolve().parent.parent / "static"
_ADDRESSES = ("bluesky", "mastodon")
_FILTERS = {
    "network": ("bluesky", "mastodon"),
    "status": ("probable", "confirmed", "rejected"),
    "relation": ("following", "follower"),
}


class _Settings:
    def __init__(self, workspace: Path | None, accounts: Callable[[], Any], avatars: bool) -> None:
        self.workspace = workspace
        self.accounts = accounts
        self.avatars = avatars
        self.jobs = Jobs()


def create_app(
    workspace: str | os.PathLike[str] | None,
    accounts: Callable[[], Any],
    *,
    token: str,
    port: Callable[[], int],
    avatars: bool = False,
) -> Any:
    """The page, as an ASGI application guarded by ``token`` (see ``_security``).
    ``accounts()`` gives the saved logins (``Accounts``); ``port()`` the port bound."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from ..i18n import format_duration, format_number, get_language, service_name, t

    settings = _Settings(Path(workspace) if workspace else None, accounts, avatars)
    env = Environment(
        loader=PackageLoader("portabilite", "templates/web"),
        autoescape=select_autoescape(["html"]),
    )
    env.globals.update(t=t, number=format_number, service=service_name, duration=format_duration)

    def page(request: Request, name: str, **values: Any) -> HTMLResponse:
        html = env.get_template(name).render(
            lang=get_language(),
            csrf=request.scope["state"]["csrf"],
            path=request.url.path,
            avatars=settings.avatars,
            **values,
        )
        return HTMLResponse(html, headers={"content-security-policy": csp(settings.avatars)})

    def migration(create: bool = False) -> Any:
        from ..migration import Migration

        return Migration(settings.workspace, settings.accounts(), create=create)

    async def form(request: Request) -> dict[str, Any]:
        from ..errors import PortabiliteError

        data = await request.form()
        if data.get("csrf") != request.scope["state"]["csrf"]:
            raise PortabiliteError("web.refused_csrf")
        return dict(data)

    def failure(request: Request, exc: Exception, status: int = 400) -> HTMLResponse:
        response = page(request, "error.html", message=str(exc))
        response.status_code = status
        return response

    # -- the pages -------------------------------------------------------------------------------
    async def home(request: Request) -> Response:
        from ..errors import PortabiliteError

        status = report = None
        try:
            with migration() as move:
                status = move.status().to_json()
                report = move.report()
        except PortabiliteError:
            pass  # nothing imported yet: the import form
        job = settings.jobs.get("import")
        return page(request, "home.html", status=status, report=report, job=job)

    async def start_import(request: Request) -> Response:
        from ..errors import PortabiliteError

        try:
            data = await form(request)
            archive = await _given_file(data, "archive", "archive_path")
            directory = await _given_file(data, "directory", "directory_path")
        except PortabiliteError as exc:
            return failure(request, exc)
        if archive is None:
            return failure(request, PortabiliteError("web.no_archive"))

        def work(job: Job) -> dict[str, Any]:
            try:
                with migration(create=True) as move:
                    result = move.import_archive(
                        archive[0], progress=lambda d, n: job.update("archive", d, n)
                    )
                    done: dict[str, Any] = {"archive": result.to_json()}
                    if directory is not None:
                        found = move.import_directory(directory[0], skip_bad_rows=True)
                        done["directory"] = found
                    job.update("matching", 0, 1)
                    move.match(online=False)  # what the directory and the archive prove
                    job.update("matching", 1, 1)
                    return done
            finally:
                for given in (archive, directory):
                    if given is not None and given[1]:
                        Path(given[0]).unlink(missing_ok=True)  # the uploaded copy

        if settings.jobs.start("import", work) is None:
            return failure(request, PortabiliteError("web.busy"), 409)
        return RedirectResponse("/", status_code=303)

    async def matches(request: Request) -> Response:
        from ..errors import PortabiliteError

        chosen = {
            key: value
            for key, value in request.query_params.items()
            if key in _FILTERS and value in _FILTERS[key]
        }
        chosen.setdefault("relation", "following")
        try:
            with migration() as move:
                found = move.matches(**chosen)
        except PortabiliteError as exc:
            return failure(request, exc)
        if "status" not in chosen:  # those to review first, then by name
            found.sort(key=lambda m: (m["status"] != "probable", (m["x_handle"] or "").lower()))
        return page(request, "matches.html", matches=found, chosen=chosen, filters=_FILTERS)

    async def decide(request: Request) -> Response:
        from ..errors import PortabiliteError

        try:
            data = await form(request)
            decision = {"accept": "accepted", "reject": "rejected"}.get(str(data.get("decision")))
            if decision is None:
                raise PortabiliteError("web.bad_decision")
            with migration() as move:
                move.decide(int(request.path_params["match_id"]), decision)
        except PortabiliteError as exc:
            return failure(request, exc)
        back = str(data.get("back") or "/matches")
        if not back.startswith("/matches"):  # only back to the list, never elsewhere
            back = "/matches"
        after = str(data.get("next") or "")
        return RedirectResponse(back + (f"#m{after}" if after.isdigit() else ""), status_code=303)

    async def follow(request: Request) -> Response:
        from ..errors import PortabiliteError

        job = settings.jobs.get("follow")
        plan = problems = None
        if job is None or job.state != "running":
            try:
                with migration() as move:
                    plan = move.plan().to_json()
                    problems = {n: str(e) for n, e in move.login_problems().items()}
            except PortabiliteError as exc:
                return failure(request, exc)
        return page(request, "follow.html", plan=plan, job=job, problems=problems)

    async def start_follow(request: Request) -> Response:
        from ..errors import PortabiliteError

        try:
            await form(request)
        except PortabiliteError as exc:
            return failure(request, exc)

        def work(job: Job) -> dict[str, Any]:
            with migration() as move:
                plan = move.plan()
                for network, part in plan.networks.items():
                    job.update(network, 0, len(part.to_follow))
                done = move.follow(plan, skip_not_logged_in=True, progress=job.update)
                return done.to_json()

        if settings.jobs.start("follow", work) is None:
            return failure(request, PortabiliteError("web.busy"), 409)
        return RedirectResponse("/follow", status_code=303)

    async def job_state(request: Request) -> Response:
        job = settings.jobs.get(request.path_params["kind"])
        return JSONResponse(job.to_json() if job else None)

    async def post(request: Request) -> Response:
        from ..errors import PortabiliteError
        from ..posting import bluesky_length

        given = {k: request.query_params.get(k, "").strip() or None for k in _ADDRESSES}
        message = problem = None
        try:
            with migration() as move:
                message = move.compose(**given)
        except PortabiliteError as exc:  # no login yet: the addresses can be typed
            problem = str(exc)
        lengths = {}
        if message is not None:
            lengths = {
                "bluesky": (bluesky_length(message.texts.get("bluesky", "")), 300),
                "mastodon": (len(message.texts.get("mastodon", "")), message.mastodon_limit),
            }
        return page(
            request, "post.html", message=message, lengths=lengths, problem=problem, given=given
        )

    async def report(request: Request) -> Response:
        from ..errors import PortabiliteError
        from ..report import render_html

        try:
            with migration() as move:
                html = render_html(move.report(), move.status().to_json()["account"])
        except PortabiliteError as exc:
            return failure(request, exc)
        return HTMLResponse(html, headers={"content-security-policy": csp(report=True)})

    async def switch_language(request: Request) -> Response:
        from ..errors import PortabiliteError
        from ..i18n import LANGUAGES, set_language

        try:
            data = await form(request)
        except PortabiliteError as exc:
            return failure(request, exc)
        if data.get("lang") in LANGUAGES:
            set_language(str(data["lang"]))  # one reader: the page follows their choice
        back = str(data.get("back") or "/")
        return RedirectResponse(
            back if back.startswith("/") and not back.startswith("//") else "/", status_code=303
        )

    async def switch_avatars(request: Request) -> Response:
        from ..errors import PortabiliteError

        try:
            data = await form(request)
        except PortabiliteError as exc:
            return failure(request, exc)
        settings.avatars = data.get("avatars") == "on"  # the user's choice, for this session
        return RedirectResponse("/matches", status_code=303)

    routes = [
        Route("/", home),
        Route("/import", start_import, methods=["POST"]),
        Route("/matches", matches),
        Route("/matches/{match_id:int}/decide", decide, methods=["POST"]),
        Route("/follow", follow),
        Route("/follow", start_follow, methods=["POST"]),
        Route("/jobs/{kind}", job_state),
        Route("/post", post),
        Route("/report", report),
        Route("/language", switch_language, methods=["POST"]),
        Route("/avatars", switch_avatars, methods=["POST"]),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", StaticFiles(directory=_STATIC), name="static"),
    ]
    return Guard(Starlette(routes=routes), token, port)


async def _given_file(data: dict[str, Any], upload: str, path: str) -> tuple[str, bool] | None:
    """The file the form gave, as (path, is_a_copy): an upload is copied to a private
    temporary file; a path typed is used as it is."""
    from starlette.datastructures import UploadFile

    given = data.get(upload)
    if isinstance(given, UploadFile) and given.filename:
        suffix = Path(given.filename).suffix[:10] if given.filename else ""
        fd, name = tempfile.mkstemp(prefix="portabilite-upload-", suffix=suffix)
        with os.fdopen(fd, "wb") as out:  # mkstemp: readable by the user only
            while chunk := await given.read(1 << 20):
                out.write(chunk)
        return name, True
    typed = str(data.get(path) or "").strip()
    return (os.path.expanduser(typed), False) if typed else None
