"""The sandbox's domain logic: what each Sendbee call does to the data.

One module per resource, mirroring ``sendbee_tui/api/resources/`` (contacts,
tags, fields, conversations, messages, templates, teams, chatbot, webhooks),
plus the customer side (``customers``), status progression (``statuses``),
shared rules (``rules``) and plumbing (``base``). Kept apart from the HTTP
layer so the same operations serve the REST routes, the control endpoints,
the customer simulator and ``SandboxServer.inbound``.
"""

from sendbee_tui.sandbox.domain.sandbox import Sandbox

__all__ = ["Sandbox"]
