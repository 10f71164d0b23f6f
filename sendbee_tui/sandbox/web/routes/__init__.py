"""Every route of the sandbox, one module per resource (mirroring ``api/resources``)."""

from __future__ import annotations

from sendbee_tui.sandbox.web.context import RouteSpec
from sendbee_tui.sandbox.web.routes import (
    chatbot,
    contacts,
    control,
    conversations,
    fields,
    messages,
    rate_limit,
    tags,
    teams,
    templates,
    webhooks,
)

ROUTES: list[RouteSpec] = [
    *contacts.ROUTES,
    *tags.ROUTES,
    *fields.ROUTES,
    *conversations.ROUTES,
    *messages.ROUTES,
    *templates.ROUTES,
    *teams.ROUTES,
    *chatbot.ROUTES,
    *webhooks.ROUTES,
    *rate_limit.ROUTES,
    *control.ROUTES,
]

__all__ = ["ROUTES"]
