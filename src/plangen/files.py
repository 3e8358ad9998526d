"""Writing outputs so that a failed build never replaces the last good one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from plangen.errors import OutputNotWritable

Writer = Callable[[Path], None]


def write_atomically(path: Path, write: Writer) -> None:
    """Call write() on a temporary file beside path, then move it into place in one step.

    If write() raises, path is untouched and the temporary file is removed.
    """
    write_together([(path, write)])


def write_together(outputs: Sequence[tuple[Path, Writer]]) -> None:
    """Write every output to a temporary file beside it, then move them all into place.

    Nothing is replaced until every output has been written in full, so a failure while
    writing leaves all the previous outputs as they were. Moving a file into place can still
    fail (on Windows, while another program has it open); the error then names the outputs
    already replaced, and the rest stay as they were.
    """
    written: list[tuple[Path, Path]] = []
    try:
        for path, write in outputs:
            written.append((_temporary(path), path))
            write(written[-1][0])
            os.chmod(written[-1][0], 0o666 & ~_umask())  # mkstemp makes it private (0600)
        for index, (temporary, path) in enumerate(written):
            try:
                _replace(temporary, path)
            except OutputNotWritable as error:
                done = [str(replaced) for _, replaced in written[:index]]
                if not done:
                    raise
                raise OutputNotWritable(f"{error} ({' and '.join(done)} already written; "
                                        "the rest were left as they were)") from error
    except BaseException:
        for temporary, _path in written:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        raise


def _temporary(path: Path) -> Path:
    if path.is_dir():
        raise OutputNotWritable(f"{path} is a folder: give the name of a file to write")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix,
                                             dir=path.parent)
    except OSError as error:
        raise OutputNotWritable(f"{path} cannot be written ({error.strerror or error}): "
                                "choose a folder you can write to") from error
    os.close(handle)
    return Path(temporary)


def _replace(temporary: Path, path: Path) -> None:
    try:
        os.replace(temporary, path)
    except OSError as error:
        raise OutputNotWritable(f"{path} cannot be replaced ({error.strerror or error}): if it "
                                "is open in Word, Excel or a browser, close it and try "
                                "again") from error


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
