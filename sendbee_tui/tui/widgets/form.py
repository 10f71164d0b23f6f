"""The shared forms toolkit: field rows, validators and a keyboard-first form dialog.

Every form in the app (subscribe/edit a contact, tag, custom field, template
placeholders) is built from these pieces so that they all behave the same way:

* **Tab order follows the form**: fields are composed top to bottom, the buttons last.
* **Enter submits** from any :class:`~textual.widgets.Input` (a ``TextArea`` keeps
  Enter for new lines; Ctrl+S submits from anywhere).
* **Escape cancels**, asking "discard changes?" through
  :class:`~sendbee_tui.tui.screens.confirm.ConfirmModal` when something was changed.
* **Every error sits under its field** (:meth:`FormModal.show_field_error`), plus one
  form-level line for errors that belong to no field (connection lost, rate limit).
* **Bad input never reaches the API**: the client-side validators below run first.
* **Nothing typed is lost**: a failed submit only adds error lines; the values stay.

Errors may quote server text, so every message is rendered with
:func:`~sendbee_tui.tui.safe_text.literal` (never parsed as markup).

A minimal form::

    class TagForm(FormModal[Tag]):
        form_title = "New tag"

        def compose_form(self) -> ComposeResult:
            yield FormField("name", "Name", Input(), validators=[required()])

        async def submit_form(self, values: dict[str, Any]) -> Tag:
            return await self.app.client.tags.create(values["name"].strip())
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, TypeVar
from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.css.scalar import Scalar
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    Switch,
    TextArea,
)
from textual.widgets._toggle_button import ToggleButton
from textual.worker import Worker

from sendbee_tui.api.errors import (
    APIError,
    SendbeeError,
    ValidationError,
)
from sendbee_tui.api.validation import validate_phone
from sendbee_tui.tui.errors import describe_error, retry_advice
from sendbee_tui.tui.safe_text import literal

__all__ = [
    "FORMS_CSS",
    "FieldValidator",
    "FormField",
    "FormModal",
    "PaletteCommand",
    "ScreenCommands",
    "control_value",
    "describe_error",
    "http_url",
    "iso_date",
    "non_empty_options",
    "number",
    "parse_options",
    "phone_number",
    "required",
    "unique_name",
]

log = logging.getLogger(__name__)

#: Absolute path of the shared stylesheet.  Absolute because Textual resolves a
#: relative ``CSS_PATH`` against the module of the *subclass*, which lives elsewhere.
FORMS_CSS = Path(__file__).resolve().parent.parent / "styles" / "forms.tcss"

ResultT = TypeVar("ResultT")

#: A client-side validator: takes the field's current value, returns an error
#: message or ``None`` when the value is acceptable.  Validators other than
#: :func:`required` accept an empty value, so optional fields stay optional.
FieldValidator = Callable[[Any], "str | None"]


# --------------------------------------------------------------------------- validators


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        return not value
    return False


def required(message: str = "This field is required.") -> FieldValidator:
    """Refuse an empty value (blank text, no selection, empty list)."""

    def check(value: Any) -> str | None:
        return message if _is_empty(value) else None

    return check


_PHONE_JUNK = re.compile(r"[\s\-().]")


def phone_number(value: Any) -> str | None:
    """Check an E.164 phone number (``+`` then 8 to 15 digits).

    The rule itself is :func:`sendbee_tui.api.validation.validate_phone` (one
    definition for the client and the forms).  What the form adds is a hint for the
    most common mistake, a number typed in local format: ``0912345678`` gets
    "drop the leading 0 and add the country code, e.g. +<country code>912345678",
    ``00385...`` gets "+385...".
    """
    if _is_empty(value):
        return None
    text = str(value).strip()
    try:
        validate_phone(text)
    except ValueError as exc:
        return _phone_hint(text) or str(exc)
    return None


def _phone_hint(text: str) -> str | None:
    """A country-code hint for a number that looks local, or ``None``."""
    digits = _PHONE_JUNK.sub("", text)
    if digits.startswith("00") and digits[2:].isdigit() and len(digits) > 4:
        return f"Use + instead of 00 for the country code, e.g. +{digits[2:]}."
    if digits.isdigit():
        if digits.startswith("0"):
            return (
                "This looks like a local number. Add the country code and drop the "
                f"leading 0, e.g. +<country code>{digits[1:]} (+44{digits[1:]} for the UK)."
            )
        return (
            "Start with + and the country code, "
            f"e.g. +{digits} if it already begins with the country code."
        )
    if digits.startswith("+") and digits[1:].isdigit():
        if digits[1:2] == "0":
            return "After + comes the country code, which never starts with 0."
        return "A phone number has 8 to 15 digits after the +."
    return None


def http_url(value: Any) -> str | None:
    """Check an absolute ``http://`` or ``https://`` URL with a plausible host."""
    if _is_empty(value):
        return None
    text = str(value).strip()
    if not re.match(r"(?i)https?://", text) or re.search(r"\s", text):
        return "Enter a web address starting with http:// or https://"
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        host = ""
    if host == "localhost" or ":" in host:  # localhost or an IPv6 literal
        return None
    labels = host.split(".")
    if len(labels) < 2 or not all(re.fullmatch(r"[\w-]+", label) for label in labels):
        return "The web address needs a host name, e.g. https://example.com/file.pdf"
    return None


def number(value: Any) -> str | None:
    """Check a decimal number (``12``, ``-3.5``, ``1e3``); commas are not accepted."""
    if _is_empty(value):
        return None
    text = str(value).strip()
    try:
        parsed = float(text)
    except ValueError:
        return "Enter a number, e.g. 42 or 3.5"
    if parsed != parsed or parsed in (float("inf"), float("-inf")):
        return "Enter a finite number."
    return None


def iso_date(value: Any) -> str | None:
    """Check a calendar date written ``YYYY-MM-DD`` (and that the day exists)."""
    if _is_empty(value):
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return "Enter a date as YYYY-MM-DD, e.g. 2024-03-31"
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return "That day does not exist (YYYY-MM-DD)."
    return None


def parse_options(value: Any) -> list[str]:
    """The options of a list field: one per line (or an iterable), trimmed, no blanks or repeats."""
    items = value.splitlines() if isinstance(value, str) else list(value or ())
    seen: set[str] = set()
    options: list[str] = []
    for item in items:
        option = str(item).strip()
        if option and option.casefold() not in seen:
            seen.add(option.casefold())
            options.append(option)
    return options


def non_empty_options(value: Any) -> str | None:
    """Refuse a list-field options editor with no options in it."""
    if not parse_options(value):
        return "A list field needs at least one option (one per line)."
    return None


def unique_name(
    existing: Iterable[str] | Callable[[], Iterable[str]],
    *,
    current: str | None = None,
    what: str = "item",
) -> FieldValidator:
    """Refuse a name already in ``existing`` (case- and space-insensitive).

    ``current`` is the object's own name when editing, so keeping it is allowed.
    ``existing`` may be a callable so the check uses the list as loaded *now*.
    """

    def key(text: str) -> str:
        return " ".join(text.split()).casefold()

    def check(value: Any) -> str | None:
        if _is_empty(value):
            return None
        names = existing() if callable(existing) else existing
        wanted = key(str(value))
        if current is not None and key(current) == wanted:
            return None
        if any(key(name) == wanted for name in names):
            return f"A {what} with this name already exists."
        return None

    return check


# --------------------------------------------------------------------------- field row


def control_value(widget: Widget) -> Any:
    """The value a form reads from an input widget (``None`` for an empty Select)."""
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, (Switch, ToggleButton)):
        return bool(widget.value)
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, SelectionList):
        return tuple(widget.selected)
    getter = getattr(widget, "form_value", None)
    if callable(getter):
        return getter()
    return getattr(widget, "value", None)


class FormField(Vertical):
    """One row of a form: label, the input widget, an optional help line, an error line.

    Args:
        name: Key of the value in :meth:`FormModal.values` and in error routing.
        label: Shown above the control (literal text, a ``*`` is added when required).
        control: The input widget (Input, TextArea, Switch, Select, SelectionList, or
            any widget with ``value`` / ``form_value()``).
        validators: Client-side checks, run in order; the first message wins.
        required: Shorthand for putting :func:`required` first.
        help: A short literal hint under the control.
        aliases: Extra words that identify this field in server error messages.
        compact: Render the control without borders (one line), the app's form style.
    """

    DEFAULT_CSS = """
    FormField { height: auto; }
    """

    def __init__(
        self,
        name: str,
        label: str,
        control: Widget,
        *,
        validators: Sequence[FieldValidator] = (),
        required: bool = False,
        help: str | None = None,
        aliases: Sequence[str] = (),
        compact: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id or f"field-{name}", classes=classes)
        self.field_name = name
        self.label_text = label
        self.control = control
        if control.id is None:
            control.id = f"input-{name}"
        if compact and hasattr(control, "compact"):
            # One line per field: the label sits left of the control, so a
            # ten-field form fits a 40-row terminal.
            control.compact = True  # type: ignore[attr-defined]
        self.validators: list[FieldValidator] = list(validators)
        self.is_required = required
        if required:
            self.validators.insert(0, _required_check)
        self.help_text = help
        self.aliases = tuple(aliases)
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        label = self.label_text + (" *" if self.is_required else "")
        with Horizontal(classes="form-row"):
            yield Label(literal(label), classes="form-label")
            yield self.control
        if self.help_text:
            yield Static(literal(self.help_text), classes="form-help")
        error = Static("", classes="form-error")
        error.display = False
        yield error

    @property
    def value(self) -> Any:
        """The control's current value (see :func:`control_value`)."""
        return control_value(self.control)

    def validate(self) -> str | None:
        """Run the validators; show and return the first error (or clear and return None)."""
        value = self.value
        for check in self.validators:
            message = check(value)
            if message:
                self.set_error(message)
                return message
        self.clear_error()
        return None

    def set_error(self, message: str) -> None:
        """Show ``message`` (literally) under the control."""
        self.error = message
        self.add_class("-invalid")
        line = self.query_one(".form-error", Static)
        line.update(literal(message))
        line.display = True

    def clear_error(self) -> None:
        """Remove this field's error line."""
        if self.error is None:
            return
        self.error = None
        self.remove_class("-invalid")
        line = self.query_one(".form-error", Static)
        line.update("")
        line.display = False


_required_check = required()


# --------------------------------------------------------------------------- errors


def _error_field_hint(exc: APIError) -> str | None:
    """A field name the server attached to the error, if any."""
    field = getattr(exc, "field", None)
    if isinstance(field, str) and field:
        return field
    response = getattr(exc, "response", None)
    if response is None:
        return None
    try:
        body = response.json()
    except Exception:
        return None
    if isinstance(body, dict):
        error = body.get("error")
        for source in (error if isinstance(error, dict) else {}, body):
            for key in ("field", "param", "parameter"):
                hint = source.get(key)
                if isinstance(hint, str) and hint:
                    return hint
    return None


# --------------------------------------------------------------------------- palette


class PaletteCommand(NamedTuple):
    """A command a screen offers to the command palette."""

    name: str
    help: str
    callback: Callable[[], Any]


class ScreenCommands(Provider):
    """Command palette provider listing the calling screen's ``palette_commands()``.

    Put it in a screen's ``COMMANDS`` and define ``palette_commands()`` returning
    :class:`PaletteCommand` items; every keyboard action of the screen is then also
    reachable from Ctrl+P without a separate provider class per screen.
    """

    def _commands(self) -> list[PaletteCommand]:
        getter = getattr(self.screen, "palette_commands", None)
        return list(getter()) if callable(getter) else []

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(command.name), command.callback, help=command.help
                )


# --------------------------------------------------------------------------- form dialog


class _FormBody(VerticalScroll, can_focus=False):
    """The scrolling body of a form; not focusable itself so Tab goes field to field."""


class FormModal(ModalScreen[ResultT]):
    """Base of every form dialog: validation, submit worker, error routing, cancel.

    Subclasses implement :meth:`compose_form` (yield :class:`FormField` rows in Tab
    order) and :meth:`submit_form` (the API call, returning what the server stored).
    Optional hooks: :meth:`check_form` for cross-field rules, :meth:`on_form_saved`
    (default: dismiss with the result).
    """

    CSS_PATH = FORMS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.submit"),
    ]

    #: Heading of the dialog (literal text).
    form_title: str = "Form"
    #: Label of the submit button.
    submit_label: str = "Save"
    #: Question asked when Escape is pressed with unsaved changes.
    discard_message: str = "Discard your changes?"

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._snapshot: dict[str, Any] | None = None
        self._busy = False
        self.submit_count = 0

    # -- composition -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="dialog"):
            yield Label(literal(self.form_title), id="form-title", classes="dialog-title")
            with _FormBody(id="form-body"):
                yield from self.compose_form()
            status = Static("", id="form-status")
            status.display = False
            yield status
            with Horizontal(id="form-buttons", classes="dialog-buttons"):
                yield Button(literal(self.submit_label), id="form-submit", variant="primary")
                yield Button("Cancel", id="form-cancel")
        yield Footer()

    def compose_form(self) -> ComposeResult:
        """Yield the form's :class:`FormField` rows (and any read-only widgets)."""
        return
        yield

    def on_mount(self) -> None:
        # Values are compared with this snapshot to know whether Escape must ask.
        # Taken after the first refresh so widgets that settle their value on mount
        # (Select) are included.
        self.call_after_refresh(self.mark_clean)
        self.call_after_refresh(self._fit_body)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_body)

    def _fit_body(self) -> None:
        """Let only the form body shrink (and scroll) when the terminal is short.

        CSS cannot say "auto height, but at most what is left after the title,
        status line and buttons" for a centred auto-height dialog, so the limit is
        computed: everything in the dialog except the body is the overhead.
        """
        if not self.is_attached:
            return
        try:
            dialog = self.query_one("#form-dialog")
            body = self.query_one("#form-body")
        except NoMatches:
            return
        overhead = dialog.outer_size.height - body.outer_size.height
        docked = sum(footer.outer_size.height for footer in self.query(Footer))
        available = max(3, self.size.height - docked - overhead)
        if body.styles.max_height != Scalar.from_number(available):
            body.styles.max_height = available

    # -- values and errors -------------------------------------------------------

    @property
    def fields(self) -> dict[str, FormField]:
        """The form's field rows by name, in form order."""
        return {row.field_name: row for row in self.query(FormField)}

    def values(self) -> dict[str, Any]:
        """Current value of every field, by name."""
        return {name: row.value for name, row in self.fields.items()}

    def mark_clean(self) -> None:
        """Remember the current values as "unchanged" (call after loading data in)."""
        self._snapshot = self.values()

    @property
    def is_dirty(self) -> bool:
        """Whether any value differs from the last :meth:`mark_clean`."""
        if self._snapshot is None:
            return False
        return self.values() != self._snapshot

    @property
    def is_busy(self) -> bool:
        """True while a submit request is in flight."""
        return self._busy

    def show_field_error(self, name: str, message: str) -> None:
        """Show ``message`` under field ``name`` (or on the form line if there is no such field)."""
        row = self.fields.get(name)
        if row is None:
            self.show_form_error(message)
        else:
            row.set_error(message)

    def show_form_error(self, message: str) -> None:
        """Show a form-level error line (above the buttons)."""
        status = self.query_one("#form-status", Static)
        status.set_class(True, "-error")
        status.update(literal(message))
        status.display = True
        self.call_after_refresh(self._fit_body)

    def show_form_info(self, message: str) -> None:
        """Show a neutral message on the form-level line ("Saving…")."""
        status = self.query_one("#form-status", Static)
        status.set_class(False, "-error")
        status.update(literal(message))
        status.display = bool(message)
        self.call_after_refresh(self._fit_body)

    def clear_errors(self) -> None:
        """Remove every field error and the form-level line."""
        for row in self.fields.values():
            row.clear_error()
        self.show_form_info("")

    def check_form(self, values: dict[str, Any]) -> dict[str, str]:
        """Cross-field rules; return ``{field name: message}`` for each problem."""
        return {}

    def validate_form(self) -> bool:
        """Run every field's validators and :meth:`check_form`; focus the first bad field."""
        self.clear_errors()
        first_bad: FormField | None = None
        for row in self.fields.values():
            if row.validate() and first_bad is None:
                first_bad = row
        rows = self.fields
        form_level: list[str] = []
        for name, message in self.check_form(self.values()).items():
            if name in rows:
                rows[name].set_error(message)
                if first_bad is None:
                    first_bad = rows[name]
            else:
                form_level.append(message)
        if first_bad is None and not form_level:
            return True
        if form_level:
            # Errors that belong to no field block the submit too, shown on the form line.
            self.show_form_error(" ".join(form_level))
        else:
            self.show_form_error("Please fix the marked fields.")
        if first_bad is not None:
            first_bad.control.focus()
        return False

    def field_for_error(self, exc: APIError) -> str | None:
        """The field a server validation error is about, if it names one.

        Uses a field hint the server attached (``field``), else looks for a field's
        name, label or alias as a word in the error's ``detail`` or ``type``.
        """
        rows = self.fields
        hint = _error_field_hint(exc)
        if hint and hint in rows:
            return hint
        haystack = f"{exc.detail or ''} {(exc.type or '').replace('_', ' ')}".casefold()
        candidates: list[tuple[str, str]] = []
        for name, row in rows.items():
            for word in (name, name.replace("_", " "), row.label_text, *row.aliases):
                if word:
                    candidates.append((word.casefold(), name))
        # Longest words first: "phone number" beats "name".
        for word, name in sorted(candidates, key=lambda item: -len(item[0])):
            if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", haystack):
                return name
        return None

    # -- actions -----------------------------------------------------------------

    def action_submit(self) -> None:
        """Validate, then run :meth:`submit_form` in a worker (ignored while busy)."""
        if self._busy:
            return
        if not self.validate_form():
            return
        self._set_busy(True)
        self.run_worker(
            self._run_submit(self.values()),
            group="form-submit",
            exclusive=True,
            exit_on_error=False,
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
        from sendbee_tui.tui.screens.confirm import ConfirmModal

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

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Switch.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _value_changed(self, event: Any) -> None:
        # Editing a field takes its (now stale) error away; the value is never touched.
        control = getattr(event, "control", None)
        if control is None:
            return
        for node in control.ancestors_with_self:
            if isinstance(node, FormField):
                node.clear_error()
                break

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
        self.submit_count += 1
        self.show_form_info("Saving…")
        try:
            result = await self.submit_form(values)
        except (SendbeeError, ValueError) as exc:
            log.info("form submit failed: %r", exc)
            self._set_busy(False)
            if isinstance(exc, ValueError) and not isinstance(exc, SendbeeError):
                self.show_form_error(str(exc))
            else:
                self.handle_submit_error(exc)
            return
        except Exception as exc:
            log.exception("form submit crashed")
            self._set_busy(False)
            self.show_form_error(describe_error(exc))
            return
        self._set_busy(False)
        self.show_form_info("")
        self.mark_clean()
        await self.on_form_saved(result)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        if not self.is_attached:
            return
        for button in self.query("#form-submit").results(Button):
            button.disabled = busy
        self.set_class(busy, "-busy")

    @property
    def submit_worker(self) -> Worker[Any] | None:
        """The running submit worker, if any (tests wait on it)."""
        for worker in self.workers:
            if worker.node is self and worker.group == "form-submit" and not worker.is_finished:
                return worker
        return None
