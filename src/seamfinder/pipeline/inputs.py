"""What a run reads from disk, read once; light to import, so that a remembered run stays
fast."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from seamfinder.collect.source import read_source
from seamfinder.core.progress import current
from seamfinder.core.project import Project
from seamfinder.discover.files import discover

if TYPE_CHECKING:
    from seamfinder.config.options import RunOptions


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a run reads from disk, read once: the project and every file's bytes."""

    project: Project
    data: dict[str, bytes]  # by path; a file that cannot be read is absent


def read_inputs(options: RunOptions) -> Inputs:
    current().stage("reading files")
    project = discover(options.path, options.config, options.display)
    data: dict[str, bytes] = {}
    limit = options.config.max_file_size
    for source in project.files:
        # Bounded and non-blocking: a FIFO or a device must not hang the key's hash.
        content = read_source(project.absolute(source.path), source.path, limit)
        if isinstance(content, bytes):
            data[source.path] = content
    return Inputs(project, data)
