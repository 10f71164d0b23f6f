"""The list header while a search or filter is active: the search box and what is filtered.

Shown under the folder tabs only when it has something to say (a search, a
filter, or the search box being typed in), so the list keeps its rows the rest
of the time.  The summary says plainly what the search covers: names and phones
on the server, message text only in the conversations loaded so far.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from sendbee_tui.tui.widgets.search_input import SearchInput

__all__ = ["FilterBar", "filter_summary"]


def filter_summary(
    filters: list[str], *, search: str, text_coverage: int, clear_key: str = "F"
) -> Content:
    """``tag vip · bot off · text: 23 loaded · F clears`` (empty when nothing is active)."""
    parts: list[Content] = [Content.styled(f, "$warning") for f in filters]
    if search:
        parts.append(
            Content.styled(f"name/phone: all · text: {text_coverage} loaded", "$text-muted")
        )
    if not parts:
        return Content("")
    parts.append(Content.styled(f"{clear_key} clears", "$text-muted"))
    return Content(" · ").join(parts)


class FilterBar(Horizontal):
    """Search box (``/``, as you type) and the active filters, one line."""

    DEFAULT_CSS: ClassVar[str] = """
    FilterBar {
        height: 1;
        display: none;
        padding: 0 1;
        background: $surface;
        &.-active { display: block; }
        & #search { width: 1fr; min-width: 16; height: 1; border: none; }
        & #filter-summary {
            width: auto;
            max-width: 70%;
            height: 1;
            padding: 0 0 0 1;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
    }
    """

    def compose(self) -> ComposeResult:
        yield SearchInput(
            placeholder="search name, phone or message text — Esc clears",
            id="search",
            compact=True,
            target="ConversationList",
        )
        yield Static(Content(""), id="filter-summary")

    @property
    def input(self) -> SearchInput:
        return self.query_one("#search", SearchInput)

    def show(self, summary: Content, *, active: bool) -> None:
        """Update the summary; the bar shows while ``active`` or while its box has focus."""
        self.query_one("#filter-summary", Static).update(summary)
        self.set_class(active or self.input.has_focus, "-active")
