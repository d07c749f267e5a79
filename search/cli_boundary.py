"""Where the command line meets errors: a library error, an interrupt or a refused write becomes
one line and an exit code from one table (index.errors.ExitCode); a bug, one line and exit 5."""

from __future__ import annotations

import os
import re
import sys
from functools import partial
from typing import Any

import typer
from typer.core import TyperGroup

from index.errors import ExitCode, NewsdexError, is_utf8
from search.messages import describe, refused_write
from search.repl.launch import TRACEBACK_FLAG


class NewsdexGroup(TyperGroup):
    """The one boundary where library errors become a message and an exit code."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """click's main, with a usage error (a bad option or value) as one line, exit 2."""
        _refuse_undecodable(sys.argv[1:] if args is None else args)
        run = partial(super().main, args, prog_name, complete_var, False, windows_expand_args)
        if not standalone_mode:
            return run(**extra)
        try:
            code = run(**extra)
        except Exception as exc:  # click's exceptions: typer vendors its own copy of click
            if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
                raise
            _report_usage(exc)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(int(ExitCode.INTERRUPTED))
        sys.exit(code if isinstance(code, int) else int(ExitCode.OK))

    def invoke(self, ctx: Any) -> Any:  # click's Context (typer vendors click)
        try:
            return super().invoke(ctx)
        except (NewsdexError, KeyboardInterrupt, OSError) as exc:
            code = reported(exc, bool((ctx.obj or {}).get("traceback")))
            if code is None:
                raise
            ctx.exit(code)


def _refuse_undecodable(args: Any) -> None:
    """Exit 2 naming an argument whose bytes are not UTF-8 (Python keeps them as surrogates), before
    it can reach the index, where it would fail like damage."""
    for arg in args:
        if not is_utf8(str(arg)):
            shown = str(arg).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            typer.echo(
                f"Error: argument {shown!r} is not valid UTF-8 text (\ufffd marks the bad bytes); "
                "set your terminal to UTF-8 or retype it",
                err=True,
            )
            sys.exit(int(ExitCode.USAGE))


def _report_usage(exc: Any) -> None:
    """One line for a bad option or value; help for a bare command; click's own text else."""
    ctx = getattr(exc, "ctx", None)
    if ctx is None or type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()
    else:
        message = _own_words(exc.format_message())
        typer.echo(f"Error: {message} (see {ctx.command_path} --help)", err=True)
    sys.exit(exc.exit_code)


_NOT_ONE_OF = re.compile(r"Value error, '([^']*)' is not one of (.*?)\.?$")


def _own_words(message: str) -> str:
    """click/pydantic's wording of a choice made plain: "'yaml' is not one of: use table, ..."."""
    found = _NOT_ONE_OF.search(message)
    if found is None:
        return message
    accepted = found.group(2).replace("'", "")
    return f"{message[: found.start()]}{found.group(1)!r} is not accepted; use one of {accepted}"


def reported(exc: NewsdexError | KeyboardInterrupt | OSError, show_traceback: bool) -> int | None:
    """Write the one-line message for an error and return its exit code (None: re-raise it)."""
    if isinstance(exc, BrokenPipeError):  # `newsdex export | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OK)
    if show_traceback:
        return None
    if isinstance(exc, NewsdexError):
        typer.echo(f"Error: {describe(exc)}", err=True)
        return int(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        typer.echo("Interrupted.", err=True)
        return int(ExitCode.INTERRUPTED)
    refused = refused_write(exc)
    if refused is not None:
        typer.echo(f"Error: {refused}", err=True)
        return int(ExitCode.WRITE_REFUSED)
    # The system refused something: say what, without a traceback.
    typer.echo(f"Error: {exc} (run again with --traceback for details)", err=True)
    return int(ExitCode.USAGE)


def internal_error(exc: BaseException) -> str:
    """The line for a bug in newsdex: not the user's input, not the index (no rebuild advice)."""
    return (
        f"Error: newsdex bug ({type(exc).__name__}: {exc}). Your index is not at fault; please "
        f"report it with the output of: newsdex {TRACEBACK_FLAG} {' '.join(sys.argv[1:])}"
    )
