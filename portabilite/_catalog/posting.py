"""What posting says: the redirect post, the queue, its states. English source texts; the French is in ``locale/fr``."""

from ._registry import message, plural  # noqa: F401
