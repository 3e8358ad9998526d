"""Running the input stages that make many small objects without Python's cycle collector.

Validation and the merge both use it, and neither should import it from the other.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a block without Python's cycle collector; reference counting still frees memory.

    check() and place() make tens of thousands of small objects (cells, problems, actions, row
    fates) that form no cycles, and each full pass of the collector over everything alive
    found nothing to free: at 300 returns the passes took a third of the merge. A cycle made
    meanwhile is collected after the block. A caller who paused the collector keeps it paused.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
