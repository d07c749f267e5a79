"""The library's errors say what is wrong with fields to match; the faces add the fix."""

from __future__ import annotations

import pytest

from index.errors import (
    DocumentNotFound,
    DuplicateIds,
    IndexBusy,
    IndexDamaged,
    IndexNotFound,
    NewsdexError,
    QuerySyntaxError,
)
from search.messages import describe

ERRORS = [
    (IndexNotFound("/tmp/idx"), "Create one with: newsdex index PATH --index /tmp/idx"),
    (
        IndexDamaged("/tmp/idx", "EOFError"),
        "Rebuild it with: newsdex index --index /tmp/idx --rebuild "
        "(it re-reads the folders the index recorded; add PATH if it recorded none)",
    ),
    (DuplicateIds("/tmp/idx", "a1b2"), "Repair it with: newsdex index --index /tmp/idx"),
    (IndexBusy("/tmp/idx"), "Wait for it to finish, or pass --wait SECONDS"),
    (DocumentNotFound("a1b2"), "List ids with: newsdex search QUERY --format ids"),
]


@pytest.mark.parametrize(("error", "fix"), ERRORS)
def test_library_messages_name_no_command_and_the_face_adds_the_fix(
    error: NewsdexError, fix: str
) -> None:
    assert "--" not in str(error) and "newsdex index" not in str(error)
    assert describe(error) == f"{error}. {fix}"


def test_an_error_that_carries_its_own_hint_is_left_as_it_is() -> None:
    error = QuerySyntaxError("place:", 6, "place: needs a value", "Write place:NAME")
    assert describe(error) == str(error)
