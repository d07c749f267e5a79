"""Key bindings added to prompt_toolkit's defaults (which already give Ctrl-R history search).

PageDown and PageUp on an empty line page through the last results, as `:next` and `:prev` do.
"""

from __future__ import annotations

from prompt_toolkit.application import get_app
from prompt_toolkit.filters import Condition, has_completions
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent


def shell_bindings() -> KeyBindings:
    bindings = KeyBindings()

    @Condition
    def empty_line() -> bool:
        return not get_app().current_buffer.text

    paging = empty_line & ~has_completions

    @bindings.add("pagedown", filter=paging)
    def _next(event: KeyPressEvent) -> None:
        # Leaving the prompt with a result runs the command without writing it to history.
        event.app.exit(result=":next")

    @bindings.add("pageup", filter=paging)
    def _prev(event: KeyPressEvent) -> None:
        event.app.exit(result=":prev")

    return bindings
