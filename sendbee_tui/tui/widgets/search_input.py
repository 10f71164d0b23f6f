"""A search box that steers the list under it (Up/Down/PageUp/PageDown move its cursor).

Its own module because the inbox's filter bar uses it at start, while the list
screens' helpers beside it (:mod:`.record_list`) are needed only when one of
those screens is first opened.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import Input

from sendbee_tui.tui import keys

__all__ = ["SearchInput"]


class SearchInput(Input):
    """An Input whose Up/Down/PageUp/PageDown move the cursor of another widget.

    The target (an ``OptionList`` or a ``DataTable``: both have ``action_cursor_up``,
    ``action_cursor_down``, ``action_page_up`` and ``action_page_down``) is found by
    a CSS selector on the screen, so the box need not be composed after the list.

    ``navigated`` says whether the agent moved the highlight since the query last
    changed: screens whose search is slow (server-side) use it to tell "Enter = open
    what I chose" from "Enter = search now".

    Ctrl+N/Ctrl+P are deliberately not bound: Ctrl+P is the app's command palette
    and should keep working from every search box.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("search")

    def __init__(
        self,
        *,
        target: str,
        placeholder: str = "",
        id: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(placeholder=placeholder, id=id, compact=compact)
        self.target = target
        self.navigated = False

    def action_move(self, how: str) -> None:
        """Run ``action_<how>`` on the target list; the focus stays here."""
        results = self.screen.query(self.target)
        if not results:
            return
        action = getattr(results.first(), f"action_{how}", None)
        if action is not None:
            action()
            self.navigated = True

    def _on_input_changed(self, event: Input.Changed) -> None:
        # A new query means a new result list: an earlier choice no longer counts.
        # (Not stopped: the screen handles Changed too.)
        self.navigated = False
