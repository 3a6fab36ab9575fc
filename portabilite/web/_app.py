"""The routes of ``portabilite web``: each one a call to the library façade (``Migration``),
shown through a template; nothing here decides anything the command line does not.

Every view is a plain function run in Starlette's thread pool (SQLite, the keyring and the
networks block; the event loop must not), given the request and, for a form, its fields
once the CSRF key is checked. A ``PortabiliteError`` is shown as its sentence; anything else
as the reason in words, never a traceback."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
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

View = Callable[[Request, dict[str, Any]], Response]


def plan_digest(plan: dict[str, Any]) -> str:
    """What the user saw in the dry run, in a few characters: the follow run refuses to
    start if the plan has changed since (a re-import, a review in another tab)."""
    targets = sorted(
        (network, item["target"] if "target" in item else item["handle_or_address"])
        for network, part in plan["networks"].items()
        for item in part["to_follow"]
    )
    return hashlib.sha256(repr(targets).encode()).hexdigest()[:16]


class _Settings:
    def __init__(
        self, workspace: Path | None, accounts: Callable[[], Any], avatars: bool, jobs: Jobs
    ) -> None:
        self.workspace = workspace
        self.accounts = accounts
        self.avatars = avatars
        self.jobs = jobs


def create_app(
    workspace: str | os.PathLike[str] | None,
    accounts: Callable[[], Any],
    *,
    token: str,
    port: Callable[[], int],
    avatars: bool = False,
    jobs: Jobs | None = None,
) -> Any:
    """The page, as an ASGI application guarded by ``token`` (see ``_security``).
    ``accounts()`` gives the saved logins (``Accounts``); ``port()`` the port bound; ``jobs``
    the long steps running (one at a time)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from .._reasons import because
    from ..errors import MatchError, NoArchiveImportedError, PortabiliteError
    from ..i18n import format_duration, format_number, get_language, service_name, t

    settings = _Settings(Path(workspace) if workspace else None, accounts, avatars, jobs or Jobs())
    env = Environment(
        loader=PackageLoader("portabilite", "templates/web"),
        autoescape=select_autoescape(["html"]),
    )
    env.globals.update(t=t, number=format_number, service=service_name, duration=format_duration)

    def page(request: Request, name: str, code: int = 200, **values: Any) -> HTMLResponse:
        html = env.get_template(name).render(
            lang=get_language(),
            csrf=request.scope.get("state", {}).get("csrf", ""),
            path=request.url.path,
            avatars=settings.avatars,
            **values,
        )
        headers = {"content-security-policy": csp(settings.avatars)}
        return HTMLResponse(html, status_code=code, headers=headers)

    def failure(request: Request, message: object, status: int = 400) -> HTMLResponse:
        return page(request, "error.html", code=status, message=str(message))

    def migration(create: bool = False) -> Any:
        from ..migration import Migration

        return Migration(settings.workspace, settings.accounts(), create=create)

    def view(function: View, *, uploads: bool = False) -> Callable[[Request], Any]:
        """``function(request, fields)`` as an endpoint (see the module's docstring)."""

        async def endpoint(request: Request) -> Response:
            fields: dict[str, Any] = {}
            try:
                if request.method == "POST":
                    fields = await _fields(request, uploads)
                return await run_in_threadpool(function, request, fields)
            except PortabiliteError as exc:
                return failure(request, exc)
            except Exception as exc:  # the reason in words, never a traceback
                return failure(request, because(exc), 500)
            finally:
                _discard_uploads(fields)

        return endpoint

    async def _fields(request: Request, uploads: bool) -> dict[str, Any]:
        if uploads and settings.jobs.running() is not None:
            raise PortabiliteError("web.busy")  # before anything is copied
        data = await request.form()
        if data.get("csrf") != request.scope["state"]["csrf"]:
            raise PortabiliteError("web.refused_csrf")
        fields: dict[str, Any] = {"_uploads": []}
        for key, value in data.items():
            if hasattr(value, "filename"):
                if uploads and value.filename:
                    fields[key] = await _copy_upload(value)
                    fields["_uploads"].append(fields[key])
            else:
                fields[key] = str(value)
        return fields

    # -- the pages -------------------------------------------------------------------------------
    def home(request: Request, fields: dict[str, Any]) -> Response:
        status = report = None
        job = settings.jobs.get("import")
        if job is None or job.state != "running":  # the workspace may be half-created
            try:
                with migration() as move:
                    status = move.status().to_json()
                    report = move.report()
            except NoArchiveImportedError:
                pass  # nothing imported yet: the import form
        return page(request, "home.html", status=status, report=report, job=job)

    def start_import(request: Request, fields: dict[str, Any]) -> Response:
        archive = fields.get("archive") or _typed(fields.get("archive_path"))
        directory = fields.get("directory") or _typed(fields.get("directory_path"))
        if archive is None:
            raise PortabiliteError("web.no_archive")
        kept = list(fields.pop("_uploads", []))  # the job removes them when it ends

        def work(job: Job) -> dict[str, Any]:
            try:
                with migration(create=True) as move:
                    result = move.import_archive(
                        archive, progress=lambda d, n: job.update("archive", d, n)
                    )
                    done: dict[str, Any] = {"archive": result.to_json()}
                    if directory is not None:
                        done["directory"] = move.import_directory(directory, skip_bad_rows=True)
                    job.update("matching", 0, 1)
                    move.match(online=False)  # what the directory and the archive prove
                    job.update("matching", 1, 1)
                    return done
            finally:
                _discard_uploads({"_uploads": kept})

        if settings.jobs.start("import", work) is None:
            _discard_uploads({"_uploads": kept})
            raise PortabiliteError("web.busy")
        return RedirectResponse("/", status_code=303)

    def matches(request: Request, fields: dict[str, Any]) -> Response:
        chosen = {
            key: value
            for key, value in request.query_params.items()
            if key in _FILTERS and value in _FILTERS[key]
        }
        chosen.setdefault("relation", "following")
        with migration() as move:
            found = move.matches(**chosen)
        if "status" not in chosen:  # those to review first, then by name
            found.sort(key=lambda m: (m["status"] != "probable", (m["x_handle"] or "").lower()))
        return page(request, "matches.html", matches=found, chosen=chosen, filters=_FILTERS)

    def decide(request: Request, fields: dict[str, Any]) -> Response:
        decision = {"accept": "accepted", "reject": "rejected"}.get(fields.get("decision", ""))
        if decision is None:
            raise PortabiliteError("web.bad_decision")
        match_id = request.path_params["match_id"]
        if match_id >= 2**63:  # not an id SQLite can hold: unknown, like any other
            raise MatchError("match.unknown_id", id=match_id)
        with migration() as move:
            move.decide(match_id, decision)
        back = fields.get("back") or "/matches"
        if not back.startswith("/matches"):  # only back to the list, never elsewhere
            back = "/matches"
        after = fields.get("next", "")
        return RedirectResponse(back + (f"#m{after}" if after.isdigit() else ""), status_code=303)

    def follow(request: Request, fields: dict[str, Any]) -> Response:
        job = settings.jobs.get("follow")
        plan = problems = None
        if job is None or job.state != "running":
            with migration() as move:
                plan = move.plan().to_json()
                problems = {n: str(e) for n, e in move.login_problems().items()}
        digest = plan_digest(plan) if plan else ""
        return page(request, "follow.html", plan=plan, job=job, problems=problems, digest=digest)

    def start_follow(request: Request, fields: dict[str, Any]) -> Response:
        seen = fields.get("plan", "")

        def work(job: Job) -> dict[str, Any]:
            with migration() as move:
                plan = move.plan()
                if plan_digest(plan.to_json()) != seen:
                    raise PortabiliteError("web.plan_changed")
                for network, part in plan.networks.items():
                    job.update(network, 0, len(part.to_follow))
                done = move.follow(plan, skip_not_logged_in=True, progress=job.update)
                return done.to_json()

        if settings.jobs.start("follow", work) is None:
            raise PortabiliteError("web.busy")
        return RedirectResponse("/follow", status_code=303)

    def job_state(request: Request, fields: dict[str, Any]) -> Response:
        job = settings.jobs.get(request.path_params["kind"])
        return JSONResponse(job.to_json() if job else None)

    def post(request: Request, fields: dict[str, Any]) -> Response:
        from ..posting import bluesky_length

        given = {k: request.query_params.get(k, "").strip() or None for k in _ADDRESSES}
        message = problem = None
        try:
            with migration() as move:
                message = move.compose(**given)
        except PortabiliteError as exc:  # no login yet: the addresses can be typed
            if isinstance(exc, NoArchiveImportedError):
                raise
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

    def report(request: Request, fields: dict[str, Any]) -> Response:
        from ..report import render_html

        with migration() as move:
            html = render_html(move.report(), move.status().to_json()["account"])
        return HTMLResponse(html, headers={"content-security-policy": csp(report=True)})

    def switch_language(request: Request, fields: dict[str, Any]) -> Response:
        from ..i18n import LANGUAGES, set_language

        if fields.get("lang") in LANGUAGES:
            set_language(fields["lang"])  # one reader: the page follows their choice
        back = fields.get("back") or "/"
        safe = back.startswith("/") and not back.startswith(("//", "/\\"))
        return RedirectResponse(back if safe else "/", status_code=303)

    def switch_avatars(request: Request, fields: dict[str, Any]) -> Response:
        settings.avatars = fields.get("avatars") == "on"  # the user's choice, for this session
        return RedirectResponse("/matches", status_code=303)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        key = {404: "web.not_found", 405: "web.not_found"}.get(status)
        return failure(request, t(key) if key else because(exc), status)

    routes = [
        Route("/", view(home)),
        Route("/import", view(start_import, uploads=True), methods=["POST"]),
        Route("/matches", view(matches)),
        Route("/matches/{match_id:int}/decide", view(decide), methods=["POST"]),
        Route("/follow", view(follow)),
        Route("/follow", view(start_follow), methods=["POST"]),
        Route("/jobs/{kind}", view(job_state)),
        Route("/post", view(post)),
        Route("/report", view(report)),
        Route("/language", view(switch_language), methods=["POST"]),
        Route("/avatars", view(switch_avatars), methods=["POST"]),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", StaticFiles(directory=_STATIC), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found})
    return Guard(app, token, port)


def _typed(path: object) -> str | None:
    """A path typed in the form (``~`` for the home folder), or None."""
    typed = str(path or "").strip()
    return os.path.expanduser(typed) if typed else None


async def _copy_upload(upload: Any) -> str:
    """An uploaded file, copied to a temporary file only the user can read (mkstemp)."""
    suffix = Path(upload.filename).suffix[:10]
    fd, name = tempfile.mkstemp(prefix="portabilite-upload-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := await upload.read(1 << 20):
                out.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return name


def _discard_uploads(fields: dict[str, Any]) -> None:
    for name in fields.get("_uploads", ()):
        Path(name).unlink(missing_ok=True)
