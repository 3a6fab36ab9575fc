"""How the Mastodon client turns what Mastodon.py and requests raise into portabilite errors:
``_Classifier._classify`` gives the ``Verdict`` (fail, wait or back off) carrying the error.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime, timezone
from typing import Callable, Iterator

import requests
from mastodon import errors as mastodon_errors
from urllib3 import exceptions as urllib3_exceptions

from ..._reasons import Reason, because
from ...errors import (
    AccountUnavailableError,
    AuthenticationError,
    NetworkError,
    PortabiliteError,
    RateLimitedError,
    RefusedError,
    SessionExpiredError,
    UnreachableError,
)
from ...secrets import redact
from .._ratelimit import Decision, Verdict, wait_from_headers
from ._models import NETWORK, SCOPES

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _clean_reason(text: object, limit: int = 300) -> str:
    """A server's words, made safe to show: one line, no control characters, no secret (also
    kept out of ``error.params``), bounded."""
    value = _CONTROL.sub(" ", redact(str(text or ""))).strip()
    value = re.sub(r"\s{2,}", " ", value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _api_status(exc: BaseException) -> int | None:
    """The HTTP status Mastodon.py put in a MastodonAPIError's args, if any."""
    if (
        isinstance(exc, mastodon_errors.MastodonAPIError)
        and len(exc.args) >= 2
        and isinstance(exc.args[1], int)
    ):
        return exc.args[1]
    return None


def _body_reason(response: requests.Response | None) -> str | None:
    if response is None:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict):
        for key in ("error_description", "error"):
            if isinstance(body.get(key), str) and body[key].strip():
                return body[key]
    return None


def _never_sent(exc: BaseException) -> bool:
    """True when a requests ConnectionError happened before the request left (connect phase)."""
    early = (urllib3_exceptions.NewConnectionError, urllib3_exceptions.ConnectTimeoutError)
    for item in _chain(exc):
        candidates = [item, *getattr(item, "args", ())]
        for candidate in candidates:
            if isinstance(candidate, early) or isinstance(
                getattr(candidate, "reason", None), early
            ):
                return True
    return False


class _Classifier:
    """The error half of ``MastodonClient`` (a mixin): reads the client's ``host``, the last
    response and the tries kept in ``_local``, and ``_clock``."""

    host: str
    _local: threading.local
    _clock: Callable[[], float]

    def _classify(
        self, exc: BaseException, *, account: str | None, login: bool, idempotent: bool
    ) -> Verdict:
        chain = list(_chain(exc))
        last: requests.Response | None = getattr(self._local, "last", None)
        for item in chain:
            if isinstance(item, PortabiliteError):  # e.g. BlockedHostError from the hook
                return Verdict(Decision.FAIL, item)
        for item in chain:
            if isinstance(item, mastodon_errors.MastodonRatelimitError):
                if last is not None and last.status_code != 429:
                    break
                return self._rate_limited(last)
        for item in chain:
            status = _api_status(item)
            if status is not None:
                # the body's words (OAuth errors carry error_description), else Mastodon.py's
                reason = (
                    _body_reason(last) if last is not None and last.status_code == status else None
                )
                for extra in item.args[3:4] + item.args[2:3]:
                    reason = reason or extra
                return self._from_status(
                    status, reason, last, account=account, login=login, idempotent=idempotent
                )
        for item in chain:
            if isinstance(item, requests.RequestException):
                return self._from_transport(item, idempotent)
        if last is not None and last.status_code >= 400:
            return self._from_status(
                last.status_code,
                _body_reason(last) or last.reason,
                last,
                account=account,
                login=login,
                idempotent=idempotent,
            )
        for item in chain:
            if (
                isinstance(item, mastodon_errors.MastodonAPIError)
                and item.args
                and str(item.args[0]).startswith("Granted scopes")
            ):
                granted = re.search(r'Granted scopes "([^"]*)"', str(item.args[0]))
                return Verdict(
                    Decision.FAIL,
                    AuthenticationError(
                        "mastodon.scopes_not_granted",
                        network=NETWORK,
                        host=self.host,
                        granted=_clean_reason(granted.group(1) if granted else "?"),
                        requested=" ".join(SCOPES),
                    ),
                )
        if login and any(
            isinstance(i, mastodon_errors.MastodonIllegalArgumentError) for i in chain
        ):
            return Verdict(
                Decision.FAIL,
                AuthenticationError(
                    "network.auth_failed", network=NETWORK, reason=Reason("reason.invalid_code")
                ),
            )
        return Verdict(
            Decision.FAIL,
            NetworkError("network.bad_response", network=NETWORK, reason=because(chain[-1])),
        )

    def _rate_limited(self, last: requests.Response | None) -> Verdict:
        now = self._clock()
        wait = wait_from_headers(last.headers, now) if last is not None else None
        if wait is None:  # no word from the server: back off; Mastodon's window is 5 minutes
            error = RateLimitedError(
                "network.rate_limited",
                network=NETWORK,
                retry_at=datetime.fromtimestamp(now + 300, timezone.utc),
            )
            return Verdict(Decision.BACKOFF, error)
        error = RateLimitedError(
            "network.rate_limited",
            network=NETWORK,
            retry_at=datetime.fromtimestamp(now + wait, timezone.utc),
        )
        return Verdict(Decision.WAIT, error, wait)

    def _from_status(
        self,
        status: int,
        reason: object,
        last: requests.Response | None,
        *,
        account: str | None,
        login: bool,
        idempotent: bool,
    ) -> Verdict:
        text = _clean_reason(reason) or f"HTTP {status}"
        fail = Decision.FAIL
        if status == 429:
            return self._rate_limited(last)
        if login and status in (400, 401, 403):
            return Verdict(
                fail, AuthenticationError("network.auth_failed", network=NETWORK, reason=text)
            )
        if status == 401:
            return Verdict(fail, SessionExpiredError("network.session_expired", network=NETWORK))
        if status == 403:
            if "scope" in text.lower():
                return Verdict(
                    fail,
                    RefusedError(
                        "mastodon.missing_scope", network=NETWORK, host=self.host, reason=text
                    ),
                )
            if account is not None:
                return Verdict(
                    fail,
                    AccountUnavailableError(
                        "mastodon.account_forbidden",
                        network=NETWORK,
                        host=self.host,
                        account=account,
                        reason=text,
                    ),
                )
        if status in (404, 410) and account is not None:
            return Verdict(
                fail,
                AccountUnavailableError(
                    "mastodon.account_not_found",
                    network=NETWORK,
                    host=self.host,
                    account=account,
                    reason=text,
                ),
            )
        if status in (502, 503, 504):
            error = UnreachableError(
                "mastodon.server_unavailable",
                network=NETWORK,
                host=self.host,
                status=status,
                attempts=self._tries(),
            )
            # a 503 says the request was not processed; a gateway error may hide a done write
            retry = idempotent or status == 503
            return Verdict(Decision.BACKOFF if retry else fail, error)
        if status >= 500:
            return Verdict(
                fail,
                UnreachableError(
                    "mastodon.server_error",
                    network=NETWORK,
                    host=self.host,
                    status=status,
                    reason=text,
                ),
            )
        return Verdict(
            fail, RefusedError("network.refused", network=NETWORK, status=status, reason=text)
        )

    def _from_transport(self, exc: requests.RequestException, idempotent: bool) -> Verdict:
        tries = self._tries()
        if isinstance(exc, requests.exceptions.SSLError):
            return Verdict(
                Decision.FAIL,
                UnreachableError("mastodon.unreachable_tls", network=NETWORK, host=self.host),
            )
        if isinstance(exc, requests.exceptions.Timeout):
            error = UnreachableError(
                "mastodon.unreachable_timeout", network=NETWORK, host=self.host, attempts=tries
            )
            safe = idempotent or isinstance(exc, requests.exceptions.ConnectTimeout)
            return Verdict(Decision.BACKOFF if safe else Decision.FAIL, error)
        if isinstance(exc, requests.exceptions.ConnectionError):
            error = UnreachableError(
                "mastodon.unreachable_connection", network=NETWORK, host=self.host, attempts=tries
            )
            safe = idempotent or _never_sent(exc)
            return Verdict(Decision.BACKOFF if safe else Decision.FAIL, error)
        reason = (
            "too many redirects"
            if isinstance(exc, requests.exceptions.TooManyRedirects)
            else type(exc).__name__
        )
        return Verdict(
            Decision.FAIL, NetworkError("network.bad_response", network=NETWORK, reason=reason)
        )

    def _tries(self) -> int:
        return max(getattr(self._local, "tries", 1), 1)

    def _bad(self, what: str) -> NetworkError:
        return NetworkError("network.bad_response", network=NETWORK, reason=what)
