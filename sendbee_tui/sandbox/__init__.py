"""A Sendbee-compatible server on SQLite. Must never import Textual or sendbee_tui.api."""
