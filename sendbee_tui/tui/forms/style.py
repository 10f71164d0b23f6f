"""Where the shared stylesheet of dialogs, forms and record screens lives."""

from __future__ import annotations

from pathlib import Path

__all__ = ["FORMS_CSS"]

#: Absolute path of the shared stylesheet.  Absolute because Textual resolves a
#: relative ``CSS_PATH`` against the module of the *subclass*, which lives elsewhere.
FORMS_CSS = Path(__file__).resolve().parent.parent / "styles" / "forms.tcss"
