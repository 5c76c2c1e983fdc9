"""Errors that end a run with exit code 2 and one line that says how to fix it."""

from __future__ import annotations


class SeamfinderError(Exception):
    """The run itself failed (bad path, bad config, shadowed package...): exit code 2."""


class ConfigError(SeamfinderError):
    """A configuration value is wrong; the message names the file and the field."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        self.source = source
        self.field = field
        self.problem = problem
        super().__init__(f"{source}: {field}: {problem}")


class ProjectError(SeamfinderError):
    """The analysed path cannot be analysed as it is (no package, shadowed package...)."""
