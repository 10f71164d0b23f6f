"""The Textual inbox."""
