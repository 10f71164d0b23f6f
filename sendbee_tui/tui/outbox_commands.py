"""What the outbox keys do to one entry, wherever the entry is shown.

The thread shows a conversation's replies under its messages; the outbox screen
(``g o``) shows every reply not sent yet, the ones with no thread included (a
template to a new number).  Both run the same commands through
:func:`run_outbox_action`, so "send again anyway" asks the same question and a
refused command says the same thing in both places.

The outbox itself refuses what a state does not allow (:class:`OutboxStateError`);
this module turns that into a notice, and puts the one risky command, sending an
unconfirmed reply again, behind a confirmation whose default is "keep it".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.content import Content

from sendbee_tui.outbox import Outbox, OutboxEntry, OutboxStateError, State
from sendbee_tui.tui.forms import ConfirmModal
from sendbee_tui.tui.safe_text import literal
from sendbee_tui.tui.widgets.outbox_entry import allowed

__all__ = ["allowed", "run_outbox_action"]


def run_outbox_action(
    app: App[Any],
    outbox: Outbox,
    action: str,
    entry: OutboxEntry,
    *,
    who: str,
    edit: Callable[[OutboxEntry], None],
) -> None:
    """Run the outbox command ``action`` (a binding id) on ``entry``.

    ``who`` names the customer in the "send again anyway?" question; ``edit``
    takes the entry's text back to a composer (the caller knows which one).
    Keys and palettes offer only what
    :func:`~sendbee_tui.tui.widgets.outbox_entry.allowed` allows; a command that
    reaches here anyway (the entry changed state meanwhile) is refused here, once
    for every screen: a template is never edited, only an unconfirmed reply is
    sent again this way.
    """
    if not allowed(action, entry):
        app.notify(
            f"Not available for a {entry.kind.value} reply that is {entry.state.value}.",
            severity="warning",
            markup=False,
        )
        return
    try:
        if action == "outbox.retry":
            outbox.retry(entry.id)
            app.notify("Queued again", markup=False, timeout=2)
        elif action == "outbox.edit":
            edit(entry)
        elif action == "outbox.discard":
            if entry.state is State.QUEUED:
                outbox.cancel(entry.id)
            else:
                outbox.discard(entry.id)
            app.notify("Reply discarded", markup=False, timeout=2)
        elif action == "outbox.recheck":
            outbox.recheck(entry.id)
        elif action == "outbox.resend":
            _confirm_resend(app, outbox, entry, who)
    except OutboxStateError as exc:
        app.notify(str(exc).capitalize(), severity="warning", markup=False)


def _confirm_resend(app: App[Any], outbox: Outbox, entry: OutboxEntry, who: str) -> None:
    """An unconfirmed reply is sent again only after the agent confirms the risk."""

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        try:
            outbox.resend_unconfirmed(entry.id, confirm=True)
        except OutboxStateError as exc:
            app.notify(str(exc).capitalize(), severity="warning", markup=False)

    app.push_screen(
        ConfirmModal(
            Content.assemble(
                "This reply may already have reached ",
                literal(who or "the customer", "bold"),
                ": Sendbee did not say, and it was not seen in the conversation. "
                "Sending it again may give them the same message twice.\n\n"
                "The conversation is read once more right before it is sent.",
            ),
            title="Send again anyway?",
            confirm_label="Send again",
            cancel_label="Keep it",
            danger=True,
            focus_confirm=False,  # a reflexive Enter keeps it
        ),
        answered,
    )
