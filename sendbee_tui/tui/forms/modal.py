"""The form dialog every form in the app is built on: validate, submit once, route errors.

* **Tab order follows the form**: fields are composed top to bottom, the buttons last.
* **Enter submits** from any :class:`~textual.widgets.Input` (a ``TextArea`` keeps
  Enter for new lines; Ctrl+S submits from anywhere).
* **Escape cancels**, asking "discard changes?" through
  :class:`~sendbee_tui.tui.forms.confirm.ConfirmModal` when something was changed.
* **Every error sits under its field** (:meth:`FormModal.show_field_error`), plus one
  form-level line for errors that belong to no field (connection lost, rate limit).
* **Bad input never reaches the API**: the client-side validators run first.
* **Nothing typed is lost**: a failed submit only adds error lines; the values stay.
* **One submit at a time**: the busy state is set synchronously when a submit
  starts, before its worker is even scheduled, so a second Enter can never race it.
* **No blind resend**: a form with ``confirm_resend`` asks before submitting again
  after a failure that may have reached Sendbee (a timeout after the request was
  written); a template message sent twice reaches the customer twice.

A minimal form::

    class TagForm(FormModal[Tag]):
        form_title = "New tag"

        def __init__(self, client: SendbeeClient) -> None:
            super().__init__()
            self.client = client

        def compose_form(self) -> ComposeResult:
            yield FormField("name", "Name", Input(), validators=[required()])

        async def submit_form(self, values: dict[str, Any]) -> Tag:
            return await self.client.tags.create(values["name"].strip())
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.binding import BindingType
from textual.widgets import Button, Input
from textual.worker import Worker

from sendbee_tui.api.errors import SendbeeError, ValidationError
from sendbee_tui.tui import keys
from sendbee_tui.tui.errors import describe_error, may_have_arrived, retry_advice
from sendbee_tui.tui.forms.confirm import ConfirmModal
from sendbee_tui.tui.forms.form_dialog import FormDialog

__all__ = ["FormModal"]

log = logging.getLogger(__name__)

ResultT = TypeVar("ResultT")


class FormModal(FormDialog[ResultT]):
    """Base of every form dialog: validation, submit worker, error routing, cancel.

    Subclasses implement :meth:`compose_form` (yield :class:`FormField` rows in Tab
    order) and :meth:`submit_form` (the API call, returning what the server stored).
    Optional hooks: :meth:`check_form` for cross-field rules, :meth:`on_form_saved`
    (default: dismiss with the result), :meth:`busy_changed`.  The layout, values
    and error display come from :class:`~sendbee_tui.tui.forms.form_dialog.FormDialog`.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("form")

    #: Question asked when Escape is pressed with unsaved changes.
    discard_message: str = "Discard your changes?"
    #: Ask before submitting again after a failure that may have reached Sendbee.
    confirm_resend: ClassVar[bool] = False
    #: The question asked then (literal text).
    resend_message: str = (
        "The last attempt may have reached Sendbee: it failed without an answer. "
        "Submitting again could do it twice. Check first; submit again anyway?"
    )
    #: Labels of that question's buttons.
    resend_confirm_label: str = "Submit again"
    resend_cancel_label: str = "Don't submit"

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._busy = False
        self.submit_count = 0
        #: True after a submit failed in a way that does not prove Sendbee did
        #: nothing (see :func:`~sendbee_tui.tui.errors.may_have_arrived`).
        self.outcome_unknown = False

    @property
    def is_busy(self) -> bool:
        """True from the moment a submit starts until its answer is handled."""
        return self._busy

    # -- actions -----------------------------------------------------------------

    def action_submit(self) -> None:
        """Validate, then run :meth:`submit_form` in a worker (ignored while busy).

        After a failure that may have reached Sendbee, a form with
        ``confirm_resend`` first asks whether to submit again at all.
        """
        if self._busy:
            return
        if self.outcome_unknown and self.confirm_resend:
            self._ask_before_resubmitting()
            return
        if not self.validate_form():
            return
        self._start_submit()

    def _start_submit(self) -> None:
        # Everything that says "a submit is under way" happens here, synchronously:
        # the worker only runs later, and a key pressed before it starts must
        # already find the form busy.
        self.set_busy(True)
        self.submit_count += 1
        self.show_form_info("Saving…")
        self.run_worker(
            self._run_submit(self.values()),
            group="form-submit",
            exclusive=True,
            exit_on_error=False,
        )

    def _ask_before_resubmitting(self) -> None:
        def decided(again: bool | None) -> None:
            if again:
                self.outcome_unknown = False
                self.action_submit()

        self.app.push_screen(
            ConfirmModal(
                self.resend_message,
                title="Possible duplicate",
                confirm_label=self.resend_confirm_label,
                cancel_label=self.resend_cancel_label,
                danger=True,
                focus_confirm=False,
            ),
            decided,
        )

    def action_cancel(self) -> None:
        """Close without saving; ask first when something was changed.

        Ignored while a save is in flight: the server may already be acting on it,
        and closing would hide its answer (and any error) from the agent.
        """
        if self._busy:
            self.show_form_info("Still saving… wait for Sendbee's answer.")
            return
        if not self.is_dirty:
            self.dismiss(None)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal(
                self.discard_message,
                title="Unsaved changes",
                confirm_label="Discard",
                cancel_label="Keep editing",
                danger=True,
            ),
            decided,
        )

    @on(Button.Pressed, "#form-submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        # Inputs with class "no-submit" use Enter themselves (e.g. "add a tag").
        if event.input.has_class("no-submit"):
            return
        event.stop()
        self.action_submit()

    # -- submitting --------------------------------------------------------------

    async def submit_form(self, values: dict[str, Any]) -> ResultT:
        """Send the form to the API and return what the server stored."""
        raise NotImplementedError

    async def on_form_saved(self, result: ResultT) -> None:
        """Called with :meth:`submit_form`'s result; by default closes the dialog with it."""
        self.dismiss(result)

    def handle_submit_error(self, exc: BaseException) -> None:
        """Route an exception from :meth:`submit_form` to a field or the form line."""
        if isinstance(exc, ValidationError):
            name = self.field_for_error(exc)
            message = exc.detail or "The server rejected this value."
            if name is not None:
                self.show_field_error(name, message)
                self.show_form_error("Sendbee rejected the marked field.")
                self.fields[name].control.focus()
                return
            self.show_form_error(describe_error(exc))
            return
        self.show_form_error(f"{describe_error(exc)} {retry_advice(exc)}")

    async def _run_submit(self, values: dict[str, Any]) -> None:
        try:
            result = await self.submit_form(values)
        except (SendbeeError, ValueError) as exc:
            log.info("form submit failed: %r", exc)
            self.outcome_unknown = may_have_arrived(exc)
            self.set_busy(False)
            if isinstance(exc, ValueError) and not isinstance(exc, SendbeeError):
                self.show_form_error(str(exc))
            else:
                self.handle_submit_error(exc)
            return
        except Exception as exc:
            log.exception("form submit crashed")
            self.set_busy(False)
            self.show_form_error(describe_error(exc))
            return
        self.outcome_unknown = False
        self.set_busy(False)
        self.show_form_info("")
        self.mark_clean()
        await self.on_form_saved(result)

    def set_busy(self, busy: bool) -> None:
        """Mark a submit as in flight (or over): the submit button is disabled meanwhile."""
        self._busy = busy
        if not self.is_attached:
            return
        for button in self.query("#form-submit").results(Button):
            button.disabled = busy
        self.set_class(busy, "-busy")
        self.busy_changed(busy)

    def busy_changed(self, busy: bool) -> None:
        """Hook for subclasses that show more than the submit button's state."""

    @property
    def submit_worker(self) -> Worker[None] | None:
        """The running submit worker, if any (tests wait on it)."""
        for worker in self.workers:
            if worker.node is self and worker.group == "form-submit" and not worker.is_finished:
                return worker
        return None
