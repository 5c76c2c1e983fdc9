"""seamfinder's version: in the kernel, so that every stage may name it in its output."""

__version__ = "0.1.0"
