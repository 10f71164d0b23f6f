"""Contacts: the searchable list (``g c``) and the subscribe/edit form.

* :mod:`~sendbee_tui.tui.screens.contacts.list_screen` - :class:`ContactsScreen`;
* :mod:`~sendbee_tui.tui.screens.contacts.paged_list` - the list it is built on;
* :mod:`~sendbee_tui.tui.screens.contacts.form` - :class:`ContactForm`;
* :mod:`~sendbee_tui.tui.screens.contacts.detail` - how a contact reads on screen.
"""

from __future__ import annotations

from sendbee_tui.tui.screens.contacts.form import ContactForm
from sendbee_tui.tui.screens.contacts.list_screen import PAGE_SIZE, ContactsScreen

__all__ = ["PAGE_SIZE", "ContactForm", "ContactsScreen"]
