"""Small pieces shared by the record screens (contacts, tags, fields, templates).

``SearchInput`` is a search box that steers a list while it keeps the focus, the
way fzf and command palettes do: the agent types, presses Down a couple of times
and Enter, without ever leaving the box.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move('cursor_down')", "Next match", show=False, id="search.next"),
        Binding("up", "move('cursor_up')", "Previous match", show=False, id="search.previous"),
        Binding("pagedown", "move('page_down')", "Page down", show=False, id="search.page_down"),
        Binding("pageup", "move('page_up')", "Page up", show=False, id="search.page_up"),
    ]

    def __init__(self, *args: Any, target: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
