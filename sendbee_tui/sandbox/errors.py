"""The one exception type handlers raise; the app turns it into the error envelope."""

from __future__ import annotations


class ApiError(Exception):
    """A client-visible error: HTTP status, ``error.detail`` and ``error.type``.

    Handlers raise this instead of building responses so that every failure path
    produces the same envelope, and anything *else* that escapes is, by
    definition, a sandbox bug (logged, answered with a generic 500 and no trace).
    """

    def __init__(
        self,
        status: int,
        detail: str,
        type_: str = "invalid_request",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = type_
        self.headers = headers or {}


def bad_request(detail: str, type_: str = "invalid_request") -> ApiError:
    """400: the request is understood but a parameter is wrong."""
    return ApiError(400, detail, type_)


def not_found(what: str, ident: object) -> ApiError:
    """404 for an unknown id, naming the resource and the id that was looked up."""
    return ApiError(404, f"{what} {ident!s} not found", "not_found")
