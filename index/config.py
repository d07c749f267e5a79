"""Where things live: the index directory, the user's config and data directories, the seed corpus.

Every path is resolved here, once: a command-line flag beats an environment variable beats a default.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "newsdex"
INDEX_ENV = "NEWSDEX_INDEX"
CONFIG_ENV = "NEWSDEX_CONFIG"
CONFIG_NAME = "config.toml"
# Articles per commit of an indexing run: what an interruption keeps. Every Whoosh commit writes
# a segment and merges small ones again, so small batches cost more than extraction at scale:
# writing 20,000 articles took 139 s in batches of 500 and 66 s in batches of 2,000.
COMMIT_EVERY = 2000


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def user_config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False)


def user_cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path(APP, appauthor=False)


def default_index_dir() -> Path:
    """The index used when neither --index nor NEWSDEX_INDEX is given."""
    return user_data_dir() / "index"


def resolve_index_dir(flag: str | Path | None) -> Path:
    """--index DIR > $NEWSDEX_INDEX > the default under the platformdirs user data dir."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get(INDEX_ENV)
    if env:
        return Path(env).expanduser()
    return default_index_dir()


def config_file() -> Path:
    """The user's config file (boilerplate rules, organization aliases): $NEWSDEX_CONFIG or default."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return user_config_dir() / CONFIG_NAME


def config_value(key: str) -> str | None:
    """A top-level string setting of the config file (`opensearch_url`, `cluster`), or None; a
    broken file reads as none here (the rules and alias readers report it)."""
    import tomllib

    path = config_file()
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get(key)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return value if isinstance(value, str) and value else None


def config_flag(key: str) -> bool | None:
    """A top-level true/false setting of the config file (`accurate`), or None when absent,
    not a boolean or the file is broken (as config_value)."""
    import tomllib

    try:
        value = tomllib.loads(config_file().read_text(encoding="utf-8")).get(key)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return value if isinstance(value, bool) else None


def history_file() -> Path:
    return user_data_dir() / "history"


def seeds_dir() -> Path:
    """The bundled sample corpus: inside the installed package, or next to it in a source checkout."""
    packaged = Path(__file__).resolve().parent / "seeds"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "seeds"
