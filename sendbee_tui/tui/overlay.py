"""Keep wide characters (CJK, emoji) whole in toasts and other overlays.

Textual's compositor cuts every screen line at the left and right edge of every
visible widget — including widgets *under* a toast — and then cuts each
widget's line at all those points.  A two-cell character that straddles such a
cut cannot be split, so Rich replaces it with two spaces: a Chinese message in a
toast lost the character that happened to sit over the list's border
(Textualize/textual#6357, open at Textual 8.2.8).

:class:`OverlaySafeCompositor` skips the cuts it does not need: when the widget
being painted (front to back) wins the buckets on *both* sides of a cut, its
line is not divided there; the bucket after the cut gets an empty strip so no
widget underneath claims it.  Everything else is Textual's own algorithm.
:func:`use_overlay_safe_compositor` installs it on a screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from textual._compositor import Compositor
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip

__all__ = ["OverlaySafeCompositor", "use_overlay_safe_compositor"]

_EMPTY = Strip([], 0)


class OverlaySafeCompositor(Compositor):
    """A compositor that never splits a character at a cut hidden under the same widget."""

    def _render_chops(
        self,
        crop: Region,
        is_rendered_line: Callable[[int], bool],
    ) -> Sequence[Mapping[int, Strip]]:
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(line[:-1]) for line in cuts]
        for region, clip, strips in self._get_renders(crop):
            render_region = region.intersection(clip)
            render_x = render_region.x
            first_cut, last_cut = render_region.column_span
            for y, strip in zip(render_region.line_range, strips, strict=False):
                if not is_rendered_line(y):
                    continue
                chops_line = chops[y]
                line_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
                kept = line_cuts[:1]
                merged: list[int] = []
                for cut in line_cuts[1:-1]:
                    # Both buckets still free: this widget paints both, no need to cut.
                    if chops_line.get(kept[-1]) is None and chops_line.get(cut) is None:
                        merged.append(cut)
                    else:
                        kept.append(cut)
                kept += line_cuts[-1:] if len(line_cuts) > 1 else []
                pieces = strip.divide([cut - render_x for cut in kept[1:]])
                for cut, piece in zip(kept, pieces, strict=False):
                    if chops_line.get(cut) is None:
                        chops_line[cut] = piece
                for cut in merged:
                    chops_line[cut] = _EMPTY
        return chops  # type: ignore[return-value]


def use_overlay_safe_compositor(screen: Screen[Any]) -> None:
    """Give ``screen`` the :class:`OverlaySafeCompositor` (call from its ``__init__``)."""
    screen._compositor = OverlaySafeCompositor()
