"""`python -m sendbee_tui` is the same as the `sendbee-tui` command."""

from sendbee_tui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
