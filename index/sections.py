"""The section of an article that names none: read from where its file sits.

Collections often file a section in the name (BBC's business-001.txt) or in a folder
(politics/story.txt); docs/indexing.md states the rule.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

# A numbered series: a name of letters (words joined by spaces, - or _), then -NNN or _NNN.
_NUMBERED = re.compile(r"^(?P<name>[^\W\d_](?:[^\W\d]|[ -])*?)[-_]\d{3,}$")


def path_section(relpath: str) -> str:
    """The file name's prefix before -NNN (business-001.txt: business), else the name of the
    folder the file is in, below its indexed root and holding a letter (politics/x.txt:
    politics); "" when neither says anything."""
    path = PurePosixPath(relpath.replace("\\", "/"))
    numbered = _NUMBERED.match(path.stem)
    if numbered:
        return numbered.group("name").replace(",", " ").strip(" -_")
    if len(path.parts) > 1 and any(c.isalpha() for c in path.parent.name):
        return path.parent.name.replace(",", " ")
    return ""
