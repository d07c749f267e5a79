"""Key bindings added to prompt_toolkit's defaults (which already give Ctrl-R history search).

PageDown and PageUp on an empty line page through the last results, as `:next` and `:prev` do.
Multi-line input works as in pgcli: Alt-Enter opens a new line, F3 toggles multi-line mode (Enter
opens a new line, Enter on an empty line or Alt-Enter runs), and a line with an unclosed quote or
bracket continues on the next line whatever the mode.
"""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.application import get_app
from prompt_toolkit.filters import Condition, has_completions, has_focus
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent


def unbalanced(text: str) -> bool:
    """An unclosed `"` or `(` (outside quotes): the query goes on on the next line."""
    quoted = False
    depth = 0
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            depth += {"(": 1, ")": -1}.get(char, 0)
    return quoted or depth > 0


def enter_runs(text: str, multiline: bool) -> bool:
    """Whether Enter runs the line (else it opens a new one)."""
    if unbalanced(text):
        return False
    if not multiline or text.lstrip().startswith((":", "\\")):
        return True
    # In multi-line mode a query runs on Enter at an empty last line (or on Alt-Enter).
    return not text.strip() or text.endswith("\n")


def shell_bindings(multiline: Callable[[], bool], toggle: Callable[[], None]) -> KeyBindings:
    """`multiline` tells whether multi-line mode is on; `toggle` switches it (F3)."""
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

    prompt = has_focus("DEFAULT_BUFFER")

    @bindings.add("enter", filter=prompt)
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if enter_runs(buffer.text, multiline()):
            buffer.text = buffer.text.rstrip("\n")
            buffer.validate_and_handle()
        else:
            buffer.newline(copy_margin=False)

    @bindings.add("escape", "enter", filter=prompt)
    def _alt_enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if multiline() and not unbalanced(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.newline(copy_margin=False)

    @bindings.add("f3")
    def _toggle(event: KeyPressEvent) -> None:
        toggle()
        event.app.invalidate()

    return bindings
