"""seamfinder: find the seams in a Python monolith, statically."""

__version__ = "0.1.0"
