"""The snippets screen (``g s``, or "Snippets" in Ctrl+P): add, edit and delete canned replies.

Snippets are stored in ``config.toml``'s ``[snippets]`` table through
:func:`sendbee_tui.config.save_snippets`, which edits the file in place (the
user's comments and every other table stay) and atomically with mode 0600.
Every change starts from the table as it is in the file *now*, so a snippet
added by hand while the app runs is not thrown away, and ends by putting the
result into the running app's ``config.snippets``: the composer's picker offers
it at once.

A save that fails (a name another snippet has, a file that cannot be written)
keeps the form open with everything typed, the reason shown next to the field
or above the buttons.  The file is small and written on the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static, TextArea

from sendbee_tui.config import AppConfig, ConfigError, load_config_file, save_snippets
from sendbee_tui.tui import keys
from sendbee_tui.tui.forms import (
    FORMS_CSS,
    ConfirmModal,
    FormField,
    FormModal,
    PaletteCommand,
    ScreenCommands,
    unique_name,
)
from sendbee_tui.tui.forms.palette import screen_commands
from sendbee_tui.tui.safe_text import clean, literal
from sendbee_tui.tui.snippets import (
    PLACEHOLDER_HELP,
    first_line,
    names_clash,
    with_snippet,
    without_snippet,
)
from sendbee_tui.tui.widgets.record_list import list_beside_detail, show_status

__all__ = ["SnippetForm", "SnippetsScreen", "store_snippets"]

log = logging.getLogger(__name__)


class NameTaken(ValueError):
    """The file already has another snippet with this name (added since the form opened)."""


def store_snippets(
    config: AppConfig, change: Callable[[dict[str, str]], dict[str, str]]
) -> dict[str, str]:
    """Apply ``change`` to the snippets in the file, save them, and give them to the app.

    Raises :class:`~sendbee_tui.config.ConfigError` (the file cannot be read or
    parsed) or ``OSError`` (it cannot be written); then nothing changed, in the
    file or in ``config``.
    """
    current = load_config_file(config.paths).snippets
    wanted = change(dict(current))
    save_snippets(config.paths, wanted)
    config.snippets = wanted
    return wanted


def save_error(config: AppConfig, exc: BaseException) -> str:
    """What went wrong saving, for the agent (file names, never file contents)."""
    if isinstance(exc, ConfigError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"Cannot write {config.paths.config_file}: {exc.strerror or exc}"
    return str(exc)


def _config_of(node: Any, explicit: AppConfig | None) -> AppConfig:
    if explicit is not None:
        return explicit
    config = getattr(node.app, "config", None)
    if not isinstance(config, AppConfig):
        raise RuntimeError("no AppConfig: the app has no `config` attribute")
    return config


class SnippetForm(FormModal[str]):
    """Add a snippet (``name=None``) or edit one; dismisses with the name it was saved as."""

    discard_message = "Discard this snippet's changes?"

    def __init__(
        self, *, name: str | None = None, text: str = "", config: AppConfig | None = None
    ) -> None:
        super().__init__()
        self.original = name
        self.original_text = text
        self._config = config
        self.form_title = "New snippet" if name is None else "Edit snippet"
        self.submit_label = "Add" if name is None else "Save"

    @property
    def config(self) -> AppConfig:
        return _config_of(self, self._config)

    def compose_form(self) -> ComposeResult:
        yield FormField(
            "name",
            "Name",
            Input(value=self.original or "", placeholder="e.g. thanks"),
            required=True,
            validators=[
                unique_name(lambda: self.config.snippets, current=self.original, what="snippet")
            ],
            help="What you search for in the picker (Ctrl+S in the composer).",
        )
        area = TextArea(self.original_text, soft_wrap=True, show_line_numbers=False)
        area.styles.height = 6
        yield FormField(
            "text",
            "Text",
            area,
            required=True,
            help=f"Enter: new line · Ctrl+S: save. {PLACEHOLDER_HELP}",
        )

    def _apply(self, current: dict[str, str], name: str, text: str) -> dict[str, str]:
        if names_clash(name, current, current=self.original):
            raise NameTaken("A snippet with this name already exists.")
        return with_snippet(current, name, text, replacing=self.original)

    async def submit_form(self, values: dict[str, Any]) -> str:
        name = str(values["name"]).strip()
        text = str(values["text"]).strip("\n")
        try:
            store_snippets(self.config, lambda current: self._apply(current, name, text))
        except NameTaken as exc:
            self.show_field_error("name", str(exc))
            self.fields["name"].control.focus()
            raise ValueError("Please fix the marked fields.") from None
        except (ConfigError, OSError) as exc:
            log.warning("saving snippet failed: %s", save_error(self.config, exc))
            raise ValueError(f"Not saved: {save_error(self.config, exc)}") from None
        return name


class SnippetsScreen(Screen[None]):
    """Every snippet in file order, its full text beside it; ``a``/``e``/``d`` change them."""

    CSS_PATH = FORMS_CSS
    COMMANDS: ClassVar[set[Any]] = {ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("snippets", "records")
    DEFAULT_CSS = """
    SnippetsScreen #snippets-detail { width: 1fr; }
    SnippetsScreen #snippets-table { width: 1fr; max-width: 60; }
    SnippetsScreen #snippets-title { padding: 0 1; text-style: bold; height: 1; margin-bottom: 1; }
    """

    def __init__(self, config: AppConfig | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._config = config
        self.title = "Snippets"

    @property
    def config(self) -> AppConfig:
        """The running app's config (or the one given, for tests and previews)."""
        return _config_of(self, self._config)

    @property
    def snippets(self) -> Mapping[str, str]:
        return self.config.snippets

    def compose(self) -> ComposeResult:
        yield from list_beside_detail(
            "snippets", "Snippets: canned replies for the composer (Ctrl+S)"
        )

    def on_mount(self) -> None:
        table = self.query_one("#snippets-table", DataTable)
        table.add_column("Name", key="name")
        table.add_column("Text", key="text")
        table.focus()
        self._render_rows()

    def palette_commands(self) -> list[PaletteCommand]:
        """Every key of the screen, for the command palette."""
        return screen_commands(self, "snippets", "Snippets")

    # -- the list ----------------------------------------------------------------

    def _render_rows(self, select: str | None = None) -> None:
        table = self.query_one("#snippets-table", DataTable)
        keep = select if select is not None else self.selected
        table.clear()
        names = list(self.snippets)
        for name, text in self.snippets.items():
            table.add_row(literal(name, "bold"), literal(first_line(text, 40)), key=name)
        if keep in names:
            table.move_cursor(row=names.index(keep))
        self._show_detail()
        count = len(names)
        self.set_status(
            f"{count} snippet{'s' if count != 1 else ''} in {self.config.paths.config_file}"
            if count
            else f"No snippets yet: press {self._create_key()} to add one."
        )

    @property
    def selected(self) -> str | None:
        """The name of the highlighted snippet."""
        if not self.is_mounted:
            return None
        table = self.query_one("#snippets-table", DataTable)
        row = table.cursor_row
        if not 0 <= row < table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value
        return key if key in self.snippets else None

    def _show_detail(self) -> None:
        name = self.selected
        body = self.query_one("#snippets-text", Static)
        if name is None:
            body.update(
                Content.assemble(
                    literal("Canned replies you insert with Ctrl+S in the composer.\n\n"),
                    literal(PLACEHOLDER_HELP, "$text-muted"),
                )
            )
            return
        body.update(
            Content.assemble(
                literal(name, "bold"),
                "\n\n",
                literal(self.snippets[name]),
                "\n\n",
                literal(PLACEHOLDER_HELP, "$text-muted"),
            )
        )

    @on(DataTable.RowHighlighted, "#snippets-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    @on(DataTable.RowSelected, "#snippets-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _create_key(self) -> str:
        """The key that adds a snippet, as the user's keymap has it."""
        return keys.hint_key("snippets.create", keys.keymap_in_force(self.app))

    def set_status(self, message: str, *, error: bool = False) -> None:
        """The line under the list (literal text)."""
        show_status(self.query_one("#snippets-status", Static), message, error=error)

    # -- actions -----------------------------------------------------------------

    def action_close(self) -> None:
        """Back to the inbox."""
        self.dismiss(None)

    def action_create(self) -> None:
        """Add a snippet."""
        self.app.push_screen(SnippetForm(config=self._config), self._saved)

    def action_edit(self) -> None:
        """Edit the highlighted snippet's name and text."""
        name = self.selected
        if name is None:
            self.notify(
                f"No snippet selected: press {self._create_key()} to add one.", severity="warning"
            )
            return
        form = SnippetForm(name=name, text=self.snippets[name], config=self._config)
        self.app.push_screen(form, self._saved)

    def _saved(self, name: str | None) -> None:
        if name is None:
            return
        self.notify(f"Saved snippet “{clean(name)}”.", title="Snippets", markup=False)
        self._render_rows(select=name)

    def action_delete(self) -> None:
        """Delete the highlighted snippet, after asking."""
        name = self.selected
        if name is None:
            self.notify("No snippet selected.", severity="warning")
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self._delete(name)

        self.app.push_screen(
            ConfirmModal(
                f"Delete the snippet “{name}”?\n"
                f"It is removed from {self.config.paths.config_file}.",
                title="Delete snippet",
                confirm_label="Delete",
                danger=True,
            ),
            decided,
        )

    def _delete(self, name: str) -> None:
        try:
            store_snippets(self.config, lambda current: without_snippet(current, name))
        except (ConfigError, OSError) as exc:
            self.set_status(f"Not deleted: {save_error(self.config, exc)}", error=True)
            return
        self.notify(f"Deleted snippet “{clean(name)}”.", title="Snippets", markup=False)
        self._render_rows()
