"""Reading X data archives of every era: ``open_archive(path)`` gives an ``XArchive``."""

from ._model import Account, HandleHint, Profile, ScreenNameChange, Warning, XList
from ._reader import (
    DATA_TYPES,
    RELATIONS,
    REQUEST_ARCHIVE_URL,
    TWEET_KINDS,
    XArchive,
    open_archive,
)

__all__ = [
    "open_archive",
    "XArchive",
    "Account",
    "Profile",
    "ScreenNameChange",
    "XList",
    "HandleHint",
    "Warning",
    "DATA_TYPES",
    "RELATIONS",
    "TWEET_KINDS",
    "REQUEST_ARCHIVE_URL",
]
