"""Media Inspector's Qt front end: windows and widgets that drive the core in ``inspector``."""

from ._none_guard import guard_none_refcount

guard_none_refcount()
