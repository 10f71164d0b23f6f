"""Teams and their members (read only: the sandbox's team is the demo data's)."""

from __future__ import annotations

from typing import Any

from sendbee_tui.sandbox.domain.base import Resource
from sendbee_tui.sandbox.errors import not_found


class Teams(Resource):
    """``/teams/teams`` and ``/teams/members``."""

    def teams(self, member_id: str | None) -> list[dict[str, Any]]:
        with self.store.read() as conn:
            if (
                member_id
                and not conn.execute("SELECT 1 FROM members WHERE id = ?", (member_id,)).fetchone()
            ):
                raise not_found("Member", member_id)
            teams = conn.execute("SELECT * FROM teams ORDER BY seq").fetchall()
            out = []
            for t in teams:
                members = conn.execute(
                    "SELECT m.* FROM members m JOIN team_members tm ON tm.member_id = m.id"
                    " WHERE tm.team_id = ? ORDER BY m.seq",
                    (t["id"],),
                ).fetchall()
                if member_id and member_id not in {m["id"] for m in members}:
                    continue
                out.append(
                    {
                        "id": t["id"],
                        "name": t["name"],
                        "members": [
                            {
                                "id": m["id"],
                                "name": m["name"],
                                "role": m["role"],
                                "online": bool(m["online"]),
                                "available": bool(m["available"]),
                            }
                            for m in members
                        ],
                    }
                )
        return out

    def members(self, team_id: str | None) -> list[dict[str, Any]]:
        with self.store.read() as conn:
            if (
                team_id
                and not conn.execute("SELECT 1 FROM teams WHERE id = ?", (team_id,)).fetchone()
            ):
                raise not_found("Team", team_id)
            members = conn.execute("SELECT * FROM members ORDER BY seq").fetchall()
            out = []
            for m in members:
                teams = conn.execute(
                    "SELECT t.id, t.name FROM teams t JOIN team_members tm ON tm.team_id = t.id"
                    " WHERE tm.member_id = ? ORDER BY t.seq",
                    (m["id"],),
                ).fetchall()
                if team_id and team_id not in {t[0] for t in teams}:
                    continue
                out.append(
                    {
                        "id": m["id"],
                        "name": m["name"],
                        "role": m["role"],
                        "online": bool(m["online"]),
                        "available": bool(m["available"]),
                        "teams": [{"id": t[0], "name": t[1]} for t in teams],
                    }
                )
        return out
