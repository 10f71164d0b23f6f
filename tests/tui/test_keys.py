"""The key registry: one definition per binding, checked keymaps, help rows with keys in force."""

from __future__ import annotations

import re
from pathlib import Path

from contacts_harness import offline_client
from textual.binding import Binding
from textual.dom import DOMNode

import sendbee_tui
from sendbee_tui.tui import keys
from sendbee_tui.tui.app import SendbeeApp
from sendbee_tui.tui.commands import inbox_commands
from sendbee_tui.tui.screens.contacts import ContactsScreen
from sendbee_tui.tui.screens.goto import goto_hint, goto_keys
from sendbee_tui.tui.screens.help import help_content

SOURCE = Path(sendbee_tui.__file__).parent


def test_every_id_is_scoped_and_unique() -> None:
    assert all("." in binding_id for binding_id in keys.SPECS)
    assert all(spec.scope in keys.GROUPS for spec in keys.SPECS.values())


def test_no_binding_is_written_outside_the_registry() -> None:
    """Every ``Binding(...)`` of the app is built in keys.py from the table, nowhere else."""
    offenders = [
        f"{path.relative_to(SOURCE)}:{number}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path.name != "keys.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bBinding\(", line)
    ]
    assert offenders == []


def _app_classes() -> list[type[DOMNode]]:
    assert SendbeeApp.BINDINGS  # importing the app imported every screen and widget
    seen: list[type[DOMNode]] = []
    todo: list[type[DOMNode]] = [DOMNode]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("sendbee_tui.") and sub not in seen:
                seen.append(sub)
    return seen


def test_every_binding_of_the_app_is_a_registry_entry() -> None:
    """Same keys, description and flags as its spec; only the action may be adapted."""
    checked = 0
    for cls in _app_classes():
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), cls
            assert binding.id in keys.SPECS, (cls, binding)
            spec = keys.SPECS[binding.id]
            assert binding.key == spec.keys, (cls, binding)
            assert (binding.show, binding.priority) == (spec.show, spec.priority)
            checked += 1
    assert checked > 60


def test_check_keymap_keeps_good_entries_and_names_bad_ones() -> None:
    good, notices = keys.check_keymap(
        {
            "inbox.done": "x",
            "list.down": "j, ctrl+n",
            "no.such": "y",
            "inbox.reply": "ctrl+",
            "inbox.chatbot": 3,
            "composer.send": "ctrl+s",
            "inbox.template_new": "T",
        }
    )
    assert good == {"inbox.done": "x", "list.down": "j,ctrl+n"}
    assert len(notices) == 5
    assert any("'no.such'" in n and "no binding" in n for n in notices)
    assert any("'inbox.reply'" in n and "'ctrl+'" in n for n in notices)
    assert any("'inbox.chatbot'" in n for n in notices)
    assert any("'composer.send'" in n and "cannot be rebound" in n for n in notices)
    assert any("'inbox.template_new'" in n and "no key" in n for n in notices)


def test_keys_named_by_textual_are_valid() -> None:
    good, notices = keys.check_keymap(
        {"inbox.search": "slash", "app.help": "question_mark,f1", "inbox.sort": "ctrl+shift+s"}
    )
    assert notices == []
    assert len(good) == 3


def test_bindings_carry_ids_and_labels_and_actions_can_be_adapted() -> None:
    form = [b for b in keys.bindings("form", form_submit="Send") if isinstance(b, Binding)]
    assert [(b.id, b.key, b.description) for b in form] == [
        ("form.cancel", "escape", "Cancel"),
        ("form.submit", "ctrl+s", "Send"),
    ]
    ids = [b.id for b in keys.bindings("composer", "inbox") if isinstance(b, Binding)]
    assert "composer.send" not in ids  # fixed: handled by the composer itself
    assert "inbox.template_new" not in ids  # a palette command with no key
    top = keys.bindings("records", actions={"records.top": "app.simulate_key('home')"})
    assert [b.action for b in top if isinstance(b, Binding) and b.id == "records.top"] == [
        "app.simulate_key('home')"
    ]


def test_help_rows_show_the_keys_in_force() -> None:
    rows = keys.help_rows(["inbox", "goto"], {"inbox.done": "x", "inbox.goto": "G"})
    by_id = {row[3]: row for row in rows}
    assert by_id["inbox.done"][1] == "x"
    assert by_id["goto.contacts"][1] == "G c"
    assert by_id["goto.contacts"][0] == "Go to (g prefix)"
    assert "inbox.template_new" not in by_id


def test_help_has_each_heading_once_with_fixed_keys_and_g_sequences() -> None:
    sections = keys.help_sections()
    headings = [heading for heading, _rows in sections]
    assert len(headings) == len(set(headings))
    assert headings[0] == "Everywhere"
    rows = {binding_id: (label, text) for _h, rs in sections for label, text, binding_id in rs}
    assert rows["composer.send"][0] == "⏎"
    assert rows["composer.newline"][0] == "ctrl+j"
    assert rows["panes.cycle"][0] == "tab / shift+tab"
    assert rows["goto.top"][0] == "g g"
    assert rows["inbox.goto"][0] == "g"
    assert rows["contacts.edit"][0] == "e / ⏎"  # Enter on the table does the same
    assert "setup.quit" not in rows  # the stand-alone setup app's key


def test_help_puts_the_current_screens_keys_first() -> None:
    headings = [h for h, _rows in keys.help_sections(["contacts", "records", "search"])]
    assert headings[:4] == [
        "Contacts screen",
        keys.GROUPS["records"],
        "Search boxes",
        "Everywhere",
    ]
    text = help_content(["contacts"], {"contacts.subscribe": "ctrl+a"}).plain
    assert "ctrl+a" in text and "contacts.subscribe" in text


def test_palette_commands_come_from_the_registry_with_the_keys_in_force() -> None:
    commands = {c.name: c for c in inbox_commands({"inbox.done": "x", "goto.contacts": "C"})}
    assert commands["Move to Done / reopen"].key == "x"
    assert commands["Move to Done / reopen"].action == "toggle_done"
    assert commands["Contacts"].key == "g C"
    assert commands["Contacts"].action == "app.open_contacts"
    assert commands["Quit"].action == "app.quit"
    assert commands["Send template to a new number"].key == ""
    assert commands["Unread only"].label == "Unread only  (U)"
    assert {c.name for c in inbox_commands()} >= {"Folder: Open", "Snippets", "Custom fields"}


def test_screen_palette_entries_name_their_keys() -> None:
    commands = {c.name: c for c in ContactsScreen(offline_client()).palette_commands()}
    assert commands["Contacts: subscribe a new contact"].help == "a"
    assert commands["Contacts: edit the selected contact"].help == "e / ⏎"
    assert commands["Contacts: search"].help == "/"


def test_the_g_menu_follows_the_keymap() -> None:
    assert goto_hint().plain == (
        "go to: c contacts  t tags  f fields  m teams  s snippets  o outbox  g top  esc cancel"
    )
    assert "p contacts" in goto_hint({"goto.contacts": "p"}).plain
    assert goto_keys({"goto.contacts": "p", "goto.top": "?"}) == {
        "p",
        "t",
        "f",
        "m",
        "s",
        "o",
        "question_mark",
        "escape",
    }


def test_hints_in_sentences_name_the_keys_in_force() -> None:
    assert keys.hint_key("inbox.template") == "t"
    assert keys.hint_key("inbox.template", {"inbox.template": "T,f7"}) == "T"
    assert keys.hint_key("outbox.resend") == "!"
    assert keys.hint_key("inbox.template", {"inbox.template": "ctrl+t"}) == "Ctrl+T"
    assert keys.hint_key("templates.search") == "/"  # its key_display while the default holds
    text = "Press {key:app.setup} to connect; {key:no.such} stays; {braces} too."
    assert keys.fill_keys(text) == "Press S to connect; {key:no.such} stays; {braces} too."
    assert keys.fill_keys(text, {"app.setup": "f2"}).startswith("Press F2 to connect")
