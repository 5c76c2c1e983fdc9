"""seamfinder: find the seams in a Python monolith, statically."""

from seamfinder.core.version import __version__

__all__ = ["__version__"]
