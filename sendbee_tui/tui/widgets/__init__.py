"""Widgets of the inbox (all customer text rendered as Content, never markup)."""
