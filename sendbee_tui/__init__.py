"""sendbee-tui: a keyboard-driven terminal inbox for Sendbee's WhatsApp Business API."""

__version__ = "0.1.0"
