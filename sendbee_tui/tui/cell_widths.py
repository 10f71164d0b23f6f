"""Make Textual measure spacing combining marks (Devanagari vowel signs, ...) as terminals do.

Rich — and so Textual — takes its character widths from tables generated from
the ``wcwidth`` project's data, in which every combining mark is zero cells
wide.  That is right for non-spacing marks (Mn: accents, the virama) but not
for *spacing* marks (Mc): ``का`` is KA + VOWEL SIGN AA, and glibc's wcwidth,
tmux, xterm, VTE and go-runewidth all advance the cursor two cells for it.  Rich
counts one, so every row holding a Devanagari (Bengali, Tamil, ...) name was
drawn wider than Textual laid it out and pushed the rest of the line — the
24-hour window, the pane border, the thread — to the right.  ``wcwidth`` itself
has since made Mc one cell wide (jquast/wcwidth#200); Rich's tables predate it.

:func:`use_terminal_widths` applies the same rule to Rich's table: a spacing mark
with canonical combining class 0 is one cell.  It is idempotent and cheap (the
table is rebuilt once, a few thousand code points), and it only changes widths
of characters that were measured as zero.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache

from rich import cells

__all__ = ["is_spacing_mark", "use_terminal_widths"]

_original_load: Callable[[str], cells.CellTable] | None = None


def is_spacing_mark(codepoint: int) -> bool:
    """A spacing combining mark that terminals give a cell (not a conjoining one)."""
    char = chr(codepoint)
    return unicodedata.category(char) == "Mc" and unicodedata.combining(char) == 0


def _with_spacing_marks(table: cells.CellTable) -> cells.CellTable:
    """``table`` with spacing marks taken out of its zero-width ranges (so: one cell)."""
    widths: list[tuple[int, int, int]] = []
    for start, end, width in table.widths:
        if width != 0:
            widths.append((start, end, width))
            continue
        run_start: int | None = None
        for codepoint in range(start, end + 1):
            if is_spacing_mark(codepoint):
                if run_start is not None:
                    widths.append((run_start, codepoint - 1, 0))
                    run_start = None
            elif run_start is None:
                run_start = codepoint
        if run_start is not None:
            widths.append((run_start, end, 0))
    return cells.CellTable(table.unicode_version, widths, table.narrow_to_wide)


def use_terminal_widths() -> None:
    """Measure spacing marks as one cell from now on (every widget, every screen)."""
    global _original_load
    if _original_load is not None:
        return
    original: Callable[[str], cells.CellTable] = cells.load_cell_table  # type: ignore[attr-defined]
    _original_load = original

    @cache
    def load(unicode_version: str = "auto") -> cells.CellTable:
        return _with_spacing_marks(original(unicode_version))

    cells.load_cell_table = load  # type: ignore[attr-defined]
    cells.get_character_cell_size.cache_clear()
    cells.cached_cell_len.cache_clear()
