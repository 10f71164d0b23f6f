"""Command line entry point (placeholder until the inbox and sandbox land)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from sendbee_tui import __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sendbee-tui")
    parser.add_argument("--version", action="version", version=f"sendbee-tui {__version__}")
    parser.parse_args(argv)
    print(f"sendbee-tui {__version__}")
    return 0
