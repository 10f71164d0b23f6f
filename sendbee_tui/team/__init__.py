"""A team inbox over SSH: ``sendbee-tui serve-ssh``.

Agents log in with their SSH keys and each gets the full inbox app in their
own terminal, while one process on the host holds the account's credentials
and talks to Sendbee for everyone:

* :mod:`.agents` — the agents file (who may log in, as which team member);
* :mod:`.hub` — the local Sendbee-compatible proxy: per-session credentials,
  shared read cache, writes stamped with the agent and audited;
* :mod:`.team_api` — presence, claims and audit under ``/_team/``;
* :mod:`.webhooks` — Sendbee webhooks keep the hub's cache fresh;
* :mod:`.sshserver` / :mod:`.ptyapp` — SSH sessions, each running the app on a PTY;
* :mod:`.server` — all of it in one event loop; :mod:`.cli` — the subcommand.

This package never imports Textual, the tui or the sandbox: the app runs in
subprocesses, and the hub only speaks HTTP.  See docs/team-server.md.
"""
