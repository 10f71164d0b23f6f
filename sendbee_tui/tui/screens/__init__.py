"""Screens of the app (main inbox, help, and the issue-5 management screens)."""
