"""`python -m sendbee_tui` and the `sendbee-tui` command."""

from sendbee_tui import startup


def entry() -> int:
    """The command, started as :mod:`sendbee_tui.startup` describes."""
    startup.hold_collector()
    startup.skip_httpx_command_line()
    try:
        from sendbee_tui.cli import main

        return main()
    finally:
        startup.release_collector()


if __name__ == "__main__":
    raise SystemExit(entry())
