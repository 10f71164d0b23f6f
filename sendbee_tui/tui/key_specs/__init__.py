"""The table of every key binding of the app (see :mod:`sendbee_tui.tui.keys`).

Pure data: one :class:`KeySpec` per binding, in the order help and the footer
list them.  Ids are ``scope.name``; the scope says which screen or widget binds
it and which help heading shows it (:data:`GROUPS`).  Edit keys here and
nowhere else.

The table is kept by area, one module each, and joined here in a fixed order:
help, the palette and the footer list bindings in table order.

* :mod:`.spec` — :class:`KeySpec` and the help headings (:data:`GROUPS`);
* :mod:`.inbox` — everywhere, the inbox, the g menu, the conversation list;
* :mod:`.thread` — the thread, its outbox entries, the composer;
* :mod:`.list_screens` — search boxes and every list screen;
* :mod:`.dialogs` — forms, questions, the filter dialog, help, setup.
"""

from __future__ import annotations

from sendbee_tui.tui.key_specs.dialogs import DIALOG_KEYS
from sendbee_tui.tui.key_specs.inbox import INBOX_KEYS
from sendbee_tui.tui.key_specs.list_screens import LIST_SCREEN_KEYS
from sendbee_tui.tui.key_specs.spec import GROUPS, KeySpec
from sendbee_tui.tui.key_specs.thread import THREAD_KEYS

__all__ = ["GROUPS", "SPEC_TABLE", "KeySpec"]

SPEC_TABLE: tuple[KeySpec, ...] = (
    *INBOX_KEYS,
    *THREAD_KEYS,
    *LIST_SCREEN_KEYS,
    *DIALOG_KEYS,
)
