"""Subscribe a new contact or edit one: phone, name, tags, a note and custom fields.

Each custom field gets the input its type calls for (a switch for booleans, a
select for lists, checked text for numbers and dates), so a value Sendbee would
refuse is caught under the field before anything is sent.  On an edit only what
changed is sent, and the dialog closes with the contact as the server stored it.

The inbox opens the same form for the open conversation's contact (``e``, see
:mod:`~sendbee_tui.tui.screens.contacts.at_hand`) without the phone row: the
number is what ties the contact to the conversation on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static, Switch, TextArea
from textual.widgets.selection_list import Selection

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.models import Contact, ContactField, Tag
from sendbee_tui.api.validation import validate_phone
from sendbee_tui.tui.forms import (
    FieldValidator,
    FormField,
    FormModal,
    iso_date,
    number,
    phone_number,
)
from sendbee_tui.tui.safe_text import clean, clean_model, literal
from sendbee_tui.tui.screens.contacts.detail import field_value_text, notes_content
from sendbee_tui.tui.screens.contacts.tag_input import TagSuggester, split_tags

__all__ = ["ContactForm"]


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return str(value or "").strip().casefold() in {"1", "true", "yes", "y", "on"}


def _as_number(text: str) -> int | float:
    parsed = float(text)
    if parsed.is_integer() and "e" not in text.casefold() and "." not in text:
        return int(parsed)
    return parsed


class ContactForm(FormModal[Contact]):
    """Subscribe a new contact (``contact=None``) or edit one.

    Args:
        client: The API client the contact is saved with.
        contact: The contact to edit; ``None`` subscribes a new one.
        tags: The account's tags (offered in the tag list).
        fields: The account's custom field definitions (one row each).
        phone_editable: ``False`` leaves the phone out of an edit (the inbox's
            form: the number ties the contact to the conversation).
        title: The dialog's heading instead of "Edit contact" / "Subscribe a contact".

    ``tags`` and ``fields`` are loaded by the caller, so the form composes
    complete (and deterministically) without requests of its own.  On success
    the dialog is dismissed with the :class:`~sendbee_tui.api.models.Contact`
    the server returned.
    """

    def __init__(
        self,
        client: SendbeeClient,
        *,
        contact: Contact | None = None,
        tags: Sequence[Tag] = (),
        fields: Sequence[ContactField] = (),
        phone_editable: bool = True,
        title: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.client = client
        self.contact = contact
        self.all_tags = [t for t in tags if t.name]
        self.all_fields = [f for f in fields if f.name]
        # Subscribing always needs the number.
        self.phone_editable = phone_editable or contact is None
        default_title = "Subscribe a contact" if contact is None else "Edit contact"
        self.form_title = title or default_title
        self.submit_label = "Subscribe" if contact is None else "Save"
        # Field row name -> ContactField, for building contact_fields on submit.
        self._custom: dict[str, ContactField] = {}

    @property
    def is_new(self) -> bool:
        """True when subscribing, False when editing."""
        return self.contact is None

    def _current_field_values(self) -> dict[str, object]:
        if self.contact is None:
            return {}
        return {cf.key: cf.value for cf in self.contact.contact_fields if cf.key}

    def compose_form(self) -> ComposeResult:
        contact = self.contact
        if self.phone_editable:
            yield FormField(
                "phone",
                "Phone",
                Input(
                    value=clean(contact.phone) if contact else "",
                    placeholder="+385912345678",
                ),
                validators=[phone_number],
                required=True,
                help="International format: + country code and number.",
                aliases=("phone number", "number"),
            )
        yield FormField(
            "name",
            "Name",
            Input(value=clean(contact.name) if contact else "", placeholder="Full name"),
        )
        selections = self._tag_selections()
        if selections:
            yield FormField(
                "tags", "Tags", SelectionList[str](*selections), help="Space toggles a tag."
            )
        yield FormField(
            "new_tags",
            "New tags" if selections else "Tags",
            Input(
                placeholder="comma separated, e.g. vip, newsletter",
                suggester=TagSuggester(t.name for t in self.all_tags if t.name),
            ),
            aliases=("tag", "tags"),
        )
        if contact is not None and contact.notes:
            yield Label("Notes so far (read-only)", classes="form-readonly-label")
            yield Static(notes_content(contact.notes), id="existing-notes", classes="form-readonly")
        yield FormField(
            "note",
            "Add a note" if contact is not None else "Note",
            TextArea(id="input-note"),
            help="Notes are appended; existing notes are kept." if contact is not None else None,
            aliases=("note", "notes"),
        )
        current = self._current_field_values()
        for index, definition in enumerate(self.all_fields):
            row_name = f"cf{index}"
            self._custom[row_name] = definition
            yield self._custom_field_row(row_name, definition, current.get(definition.name or ""))

    def _tag_selections(self) -> list[Selection[str]]:
        """Pick existing tags (the contact's ones selected), or type new ones below."""
        contact = self.contact
        chosen = {t.name.casefold() for t in contact.tags if t.name} if contact else set()
        known = {t.name.casefold() for t in self.all_tags if t.name}
        selections = [
            Selection(literal(t.name), t.name, t.name.casefold() in chosen)
            for t in sorted(self.all_tags, key=lambda t: (t.name or "").casefold())
            if t.name
        ]
        # A contact may carry a tag missing from the loaded list; keep it selected.
        for tag in contact.tags if contact else ():
            if tag.name and tag.name.casefold() not in known:
                selections.append(Selection(literal(tag.name), tag.name, True))
        return selections

    def _custom_field_row(
        self, row_name: str, definition: ContactField, value: object
    ) -> FormField:
        """An input that fits the field's type (the value shown is the contact's)."""
        kind = (definition.type or "text").casefold()
        label = definition.name or "?"
        validators: list[FieldValidator] = []
        help_text: str | None = None
        control: Widget
        if kind == "boolean":
            control = Switch(value=_as_bool(value))
        elif kind == "list":
            options = [o for o in definition.options if o]
            current = field_value_text(value)
            if current and current not in options:
                options.append(current)  # keep a stored value even if the option was removed
            control = Select[str](
                [(literal(o), o) for o in options],
                prompt="(none)",
                allow_blank=True,
                value=current if current else Select.NULL,
            )
        elif kind == "number":
            control = Input(value=field_value_text(value), placeholder="a number, e.g. 42")
            validators.append(number)
        elif kind == "date":
            control = Input(value=field_value_text(value), placeholder="YYYY-MM-DD")
            validators.append(iso_date)
        else:
            control = Input(value=field_value_text(value))
        if kind not in {"boolean", "list", "number", "date", "text"}:
            help_text = f"Field type {kind!r} is edited as text."
        return FormField(
            row_name,
            label,
            control,
            validators=validators,
            help=help_text,
            aliases=(label,),
            classes=f"custom-field -type-{kind if kind.isalnum() else 'other'}",
        )

    # -- submit ------------------------------------------------------------------

    def _tag_names(self, values: dict[str, Any]) -> list[str]:
        chosen: list[str] = list(values.get("tags") or ())
        known = [t.name for t in self.all_tags if t.name]
        typed = split_tags(str(values.get("new_tags") or ""), known)
        seen: set[str] = set()
        unique: list[str] = []
        for name in [*chosen, *typed]:  # a typed name already ticked above is kept once
            if name.casefold() not in seen:
                seen.add(name.casefold())
                unique.append(name)
        return unique

    def _custom_values(self, values: dict[str, Any], only_changed: bool) -> dict[str, object]:
        before = self._snapshot or {}
        result: dict[str, object] = {}
        for row_name, definition in self._custom.items():
            value = values.get(row_name)
            if only_changed and row_name in before and before[row_name] == value:
                continue
            kind = (definition.type or "text").casefold()
            name = definition.name or ""
            if kind == "boolean":
                result[name] = bool(value)
                continue
            text = "" if value is None else str(value).strip()
            if not text:
                if only_changed:
                    result[name] = None  # the user cleared it
                continue
            result[name] = _as_number(text) if kind == "number" else text
        return result

    async def submit_form(self, values: dict[str, Any]) -> Contact:
        if "phone" in values:
            phone = validate_phone(str(values["phone"]).strip())
        else:  # an edit that leaves the number alone
            assert self.contact is not None
            phone = self.contact.phone or ""
        name = " ".join(str(values.get("name") or "").split()) or None
        note = str(values.get("note") or "").strip()
        tags = self._tag_names(values)
        if self.contact is None:
            contact = await self.client.contacts.subscribe(
                phone,
                name=name,
                tags=tags or None,
                notes=[note] if note else None,
                contact_fields=self._custom_values(values, only_changed=False) or None,
            )
        else:
            before_tags = {t.name.casefold() for t in self.contact.tags if t.name}
            # Only what changed is sent; a name cleared on purpose is sent as "".
            new_name = name or ""
            contact = await self.client.contacts.update(
                self.contact.id or "",
                phone=phone if phone != self.contact.phone else None,
                name=new_name if new_name != (self.contact.name or "") else None,
                tags=tags if {t.casefold() for t in tags} != before_tags else None,
                notes=[note] if note else None,
                contact_fields=self._custom_values(values, only_changed=True) or None,
            )
        return clean_model(contact)
