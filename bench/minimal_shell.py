"""The floor for a shell's time-to-prompt: prompt_toolkit + Whoosh, the index and a searcher opened,
then a prompt. Run: python bench/minimal_shell.py INDEX_DIR (Ctrl-D to leave).
"""

from __future__ import annotations

import sys

from prompt_toolkit import PromptSession
from whoosh import index

PROMPT = "minimal> "


def main(directory: str) -> None:
    ix = index.open_dir(directory)
    session: PromptSession[str] = PromptSession()
    with ix.searcher() as searcher:
        while True:
            try:
                line = session.prompt(PROMPT)
            except EOFError:
                return
            print(searcher.doc_count(), line)


if __name__ == "__main__":
    main(sys.argv[1])
