"""The key registry: one definition per binding, checked keymaps, help rows with keys in force."""

from __future__ import annotations

from sendbee_tui.tui import keys


def test_every_id_is_scoped_and_unique() -> None:
    assert all("." in binding_id for binding_id in keys.SPECS)
    assert all(spec.scope in keys.GROUPS for spec in keys.SPECS.values())


def test_check_keymap_keeps_good_entries_and_names_bad_ones() -> None:
    good, notices = keys.check_keymap(
        {
            "inbox.done": "x",
            "list.down": "j, ctrl+n",
            "no.such": "y",
            "inbox.reply": "ctrl+",
            "inbox.chatbot": 3,
            "composer.send": "ctrl+s",
        }
    )
    assert good == {"inbox.done": "x", "list.down": "j,ctrl+n"}
    assert len(notices) == 4
    assert any("'no.such'" in n and "no binding" in n for n in notices)
    assert any("'inbox.reply'" in n and "'ctrl+'" in n for n in notices)
    assert any("'inbox.chatbot'" in n for n in notices)
    assert any("'composer.send'" in n and "cannot be rebound" in n for n in notices)


def test_keys_named_by_textual_are_valid() -> None:
    good, notices = keys.check_keymap(
        {"inbox.search": "slash", "app.help": "question_mark,f1", "inbox.sort": "ctrl+shift+s"}
    )
    assert notices == []
    assert len(good) == 3


def test_bindings_carry_ids_and_labels_can_be_overridden() -> None:
    form = keys.bindings("form", form_submit="Send")
    assert [(b.id, b.key, b.description) for b in form] == [
        ("form.cancel", "escape", "Cancel"),
        ("form.submit", "ctrl+s", "Send"),
    ]
    assert not [b for b in keys.bindings("composer") if b.id == "composer.send"]


def test_help_rows_show_the_keys_in_force() -> None:
    rows = keys.help_rows(["inbox", "goto"], {"inbox.done": "x", "inbox.goto": "G"})
    by_id = {row[3]: row for row in rows}
    assert by_id["inbox.done"][1] == "x"
    assert by_id["goto.contacts"][1] == "G c"
    assert by_id["goto.contacts"][0] == "Go to (g prefix)"
    assert "inbox.goto" not in by_id
