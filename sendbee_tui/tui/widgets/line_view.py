"""The base of the conversation list and the thread: a Line-API ScrollView tuned for
widgets whose lines come from their own caches.

Four costs of Textual's ``ScrollView`` dominated a key press, an idle inbox and Home:

* **Scrolling re-styles every line.**  Textual passes each line a widget draws
  through its styles cache (border, background, line filters), and a scroll
  empties that cache, so a ``j`` that scrolls the list by one row re-styled all
  45 lines and built ~4 new ``Strip`` objects per line, and the compositor then
  cut every new strip again.  The list and the thread hand out the *same* strip
  objects for the same content, so :meth:`LineScrollView.render_lines` remembers
  the styled line per content strip: after a scroll only the newly exposed row is
  styled, and the strips the compositor cuts are ones it has cut before (Textual
  caches the cuts per strip).  Each line is still styled by Textual's own
  ``StylesCache.render_line``; only the repetition is skipped.  A widget with a
  border title or clickable links takes Textual's path unchanged.
* **Every screen layout repainted the scrollbar.**  Textual hands each widget the
  virtual size of its *layout*, which never matches the virtual size these
  widgets set themselves (rows x 2 lines, rendered message lines), so any layout
  anywhere on the screen re-sized and repainted the scrollbar: the list's
  scrollbar is the pane divider, and the old one-second status clock redrew it
  every second (about 3 KB/s over SSH).  :meth:`LineScrollView._size_updated`
  skips that pass when the size, the container size and the widget's own virtual
  size are what they were.
* **Laying out thousands of messages ran the garbage collector over and over.**
  Drawing a message allocates a few hundred small objects (strips, segments,
  styles), which trips CPython's young-generation collector every ~700
  allocations and, as they pile up, full collections over the whole heap: Home
  on a 5,000-message thread spent a third of its layout collecting garbage that
  reference counting frees anyway.  :func:`bulk_layout` pauses the collector for
  one layout pass; it runs again right after.
* **Every scroll repainted the scrollbar**, though over 6,000 rows of a 45-line pane
  the thumb moves by one eighth of a cell only every ~17 rows: the scrollbar is a
  :class:`ThumbScrollBar`, which repaints when the thumb it draws changes.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from math import ceil

from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

__all__ = ["LineScrollView", "ThumbScrollBar", "bulk_layout"]

#: Styled lines remembered per widget: a few screens' worth of rows.
STYLED_LINES = 1024


@contextmanager
def bulk_layout() -> Iterator[None]:
    """Pause the cyclic garbage collector for one layout pass (see the module doc).

    Nothing is leaked: the pass creates no reference cycles that outlive it, and the
    collector, enabled again on the way out, sees whatever was allocated meanwhile.
    """
    if not gc.isenabled():
        yield  # someone else (a test, a profiler) decided: leave it to them
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class ThumbScrollBar(ScrollBar):
    """A scrollbar that repaints on a scroll only when its thumb is drawn elsewhere.

    Textual repaints the whole bar on every change of ``position``; the thumb is
    drawn in eighths of a cell, so most scrolls of a long list change nothing
    visible.  :meth:`thumb` repeats the arithmetic of ``ScrollBarRender.render_bar``
    that places the thumb; every other input (sizes, colours, hover, grab) still
    repaints through its own reactive.
    """

    position: Reactive[float] = Reactive(0.0, repaint=False)

    def thumb(self, position: float) -> tuple[int, int] | None:
        """Where ``render_bar`` starts and ends the thumb, in eighths of a cell."""
        size = self.size.height if self.vertical else self.size.width
        virtual_size = ceil(self.window_virtual_size)
        window_size = ceil(self.window_size if self.window_size < self.window_virtual_size else 0)
        if not (window_size and size and virtual_size and size != virtual_size):
            return None
        glyphs = ScrollBarRender.VERTICAL_BARS if self.vertical else ScrollBarRender.HORIZONTAL_BARS
        eighths = len(glyphs)
        thumb_size = max(1, window_size / (virtual_size / size))
        offset = (size - thumb_size) * (position / (virtual_size - window_size))
        start = int(offset * eighths)
        return start, start + ceil(thumb_size * eighths)

    def watch_position(self, old: float, new: float) -> None:
        if self.renderer is not ScrollBarRender or self.thumb(old) != self.thumb(new):
            self.refresh()


class LineScrollView(ScrollView):
    """``ScrollView`` that styles each distinct line once and leaves its scrollbar be."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scrollbar (a :class:`ThumbScrollBar`), created on first use.

        As Textual's ``Widget.vertical_scrollbar``, with the scrollbar class swapped.
        """
        if self._vertical_scrollbar is None:
            bar = ThumbScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            self._vertical_scrollbar = bar
            bar.display = False
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    _scrolled_virtual_size: Size | None = None
    _styled_signature: tuple[object, ...] | None = None
    _styled_lines: LRUCache[int, tuple[Strip, Strip]] | None = None
    _styles_cache_bypassed = False

    # ------------------------------------------------------------------ scrollbars

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        if (
            size == self._size
            and container_size == self.container_size
            and self.virtual_size == self._scrolled_virtual_size
        ):
            return False  # what ScrollView answers when nothing changed, minus the repaint
        self._scrolled_virtual_size = self.virtual_size
        return super()._size_updated(size, virtual_size, container_size, layout)

    # ------------------------------------------------------------------ styled lines

    def render_lines(self, crop: Region) -> list[Strip]:
        """Textual's styled lines for ``crop``, each distinct content line styled once."""
        if (
            self.BLANK
            or self._border_title is not None
            or self._border_subtitle is not None
            or (self.auto_links and self.hover_style._link_id)
        ):
            if self._styles_cache_bypassed:
                self._styles_cache.clear()  # its lines predate what was drawn since
                self._styles_cache_bypassed = False
            return super().render_lines(crop)
        self._styles_cache_bypassed = True
        styles = self.styles
        size = self.region.size
        content_size = self.content_region.size
        padding = styles.padding
        base_background, background = self.background_colors
        filters = self.get_line_filters()
        opacity = self.opacity
        app = self.app
        ansi_theme = app.ansi_theme
        native_ansi = app.native_ansi_color
        # Everything a styled line depends on besides its content: a change clears the memo.
        signature = (
            size,
            content_size,
            padding,
            styles.border,
            styles.outline,
            styles.tint,
            styles.text_opacity,
            styles.hatch if styles.has_rule("hatch") else None,
            opacity,
            base_background,
            background,
            tuple(filters),
            ansi_theme,
            native_ansi,
        )
        memo = self._styled_lines
        if memo is None or signature != self._styled_signature:
            memo = self._styled_lines = LRUCache(STYLED_LINES)
            self._styled_signature = signature
        cache = self._styles_cache
        cache._simple_strip = None
        style_line = cache.render_line
        gutter = styles.gutter
        content_top = gutter.top
        content_bottom = size.height - gutter.bottom
        lines: list[Strip] = []
        for y in crop.line_range:
            content: Strip | None = None
            if content_top <= y < content_bottom and y - content_top < content_size.height:
                content = self.render_line(y - content_top)
                remembered = memo.get(id(content))
                if remembered is not None and remembered[0] is content:
                    lines.append(remembered[1])
                    continue
            strip = style_line(
                styles,
                y,
                size,
                content_size,
                padding,
                base_background,
                background,
                self.render_line if content is None else _constant(content),
                None,
                None,
                opacity,
                ansi_theme,
                native_ansi,
            )
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            if content is not None:
                # The memo keeps ``content`` alive, so its id() cannot be reused meanwhile.
                memo[id(content)] = (content, strip)
            lines.append(strip)
        if crop.column_span != (0, size.width):
            x1, x2 = crop.column_span
            lines = [strip.crop(x1, x2) for strip in lines]
        return lines


def _constant(strip: Strip) -> Callable[[int], Strip]:
    """A ``render_content_line`` callback that returns the line already drawn."""

    def line(_y: int) -> Strip:
        return strip

    return line
