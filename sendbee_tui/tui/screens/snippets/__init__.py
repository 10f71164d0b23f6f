"""Canned replies: the composer's picker (Ctrl+S) and the snippets screen (``g s``).

The rules (placeholders, search, edits) are in :mod:`sendbee_tui.tui.snippets`;
this package is only their screens.
"""

from __future__ import annotations

from sendbee_tui.tui.screens.snippets.manage import SnippetForm, SnippetsScreen, store_snippets
from sendbee_tui.tui.screens.snippets.picker import SnippetPicker, insert_snippet, missing_notice

__all__ = [
    "SnippetForm",
    "SnippetPicker",
    "SnippetsScreen",
    "insert_snippet",
    "missing_notice",
    "store_snippets",
]
