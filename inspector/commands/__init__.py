"""The command-line front ends (``run``, ``scenarios``): thin drivers of the core.

Nothing in the core imports this package; ``inspector.cli`` dispatches into it.
"""
