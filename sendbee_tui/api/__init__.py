"""Async client for the Sendbee public REST API. Must never import Textual."""
