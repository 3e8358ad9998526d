"""What filling in a template makes from the template alone, kept between builds.

Before docxtpl fills in a part of the template it rewrites the part's XML into Jinja source
(patch_xml), and Jinja compiles that source into Python. Both depend on the template alone, yet
they were a third of rendering the shipped plan, repeated on every build although the template
changes far less often than the returns. So each result is kept, named by a hash of everything
it is made from (the text it is made from, and the versions of docxtpl, Jinja and Python), in
memory for the process and on disk between builds. A template edited in Word is new text, so
its results are made afresh: nothing kept can go stale, only unused.

The directory is $PLANGEN_CACHE_DIR, else $XDG_CACHE_HOME/plangen, else ~/.cache/plangen.
Setting PLANGEN_CACHE_DIR to nothing (`PLANGEN_CACHE_DIR= make plan`) turns the disk cache
off. Compiled code is run when it is read back, so the directory must be private: plangen
makes it readable by its owner only, and uses none that others can write to. Any trouble with
the directory (unwritable, full, a damaged file) only means the work is done again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import stat
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

#: Files kept on disk: when there are more, the least recently used are removed, down to
#: KEEP // 2. A template's parts come to a few files; each is 10 to 200 KB.
KEEP = 256
#: Results kept in memory by one process (the tests fill in a hundred templates).
IN_MEMORY = 64
#: Each file starts with the SHA-256 of the rest, so a damaged file is never used.
_CHECK = 32


def cache_directory() -> Path | None:
    """Where results are kept on disk, or None when PLANGEN_CACHE_DIR is set to nothing."""
    configured = os.environ.get("PLANGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured).expanduser() if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "plangen"


def _private(directory: Path) -> bool:
    """Make directory (readable by its owner only) if it is not there; whether it is a
    directory of this user's that no one else can write to."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = directory.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(status.st_mode):
        return False
    if not hasattr(os, "getuid"):  # Windows: access is by the folder's ACL, not these bits
        return True
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class TemplateCache:
    """Results kept by the hash of what they are made from: in memory, and on disk in
    directory (None: in memory only)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory if directory is not None and _private(directory) else None
        self._memory: OrderedDict[str, Any] = OrderedDict()

    def patched(self, xml: str, patch: Callable[[str], str], version: str) -> str:
        """patch(xml): docxtpl's rewriting of a part's XML into Jinja source (docxtpl
        version)."""
        key = _key("docxtpl patch_xml", version, xml)
        found = self._recall(key, lambda data: data.decode())
        if isinstance(found, str):
            return found
        result = patch(xml)
        self._keep(key, result, result.encode())
        return result

    def compiled(self, source: str, settings: str, compile_source: Callable[[str], CodeType],
                 ) -> CodeType:
        """compile_source(source): Jinja's compiling of a template into Python, with the
        environment's settings (those that change the code) written out in settings."""
        import jinja2

        key = _key("jinja2 compile", f"{jinja2.__version__} {settings}", source)
        found = self._recall(key, marshal.loads)
        if isinstance(found, CodeType):
            return found
        code = compile_source(source)
        self._keep(key, code, marshal.dumps(code))
        return code

    def _recall(self, key: str, load: Callable[[bytes], Any]) -> Any:
        if key in self._memory:
            self._memory.move_to_end(key)
            return self._memory[key]
        if self.directory is None:
            return None
        path = self.directory / key
        try:
            stored = path.read_bytes()
            data = stored[_CHECK:]
            if stored[:_CHECK] != hashlib.sha256(data).digest():
                return None  # damaged: made again and written over
            value = load(data)
            os.utime(path)  # recently used: kept when older files are removed
        except (OSError, EOFError, ValueError, TypeError, UnicodeDecodeError):
            return None  # not there, or unreadable
        self._remember(key, value)
        return value

    def _keep(self, key: str, value: Any, data: bytes) -> None:
        self._remember(key, value)
        if self.directory is None:
            return
        written = ""
        try:
            with tempfile.NamedTemporaryFile(dir=self.directory, prefix=f".{key}.",
                                             delete=False) as file:
                written = file.name
                file.write(hashlib.sha256(data).digest() + data)
            os.replace(written, self.directory / key)  # whole, or not at all
        except OSError:
            if written:
                with contextlib.suppress(OSError):
                    os.unlink(written)
            return
        self._prune()

    def _remember(self, key: str, value: Any) -> None:
        self._memory[key] = value
        self._memory.move_to_end(key)
        while len(self._memory) > IN_MEMORY:
            self._memory.popitem(last=False)

    def _prune(self) -> None:
        """Remove the least recently used files when there are more than KEEP."""
        assert self.directory is not None
        try:
            files = [entry for entry in os.scandir(self.directory)
                     if entry.is_file() and not entry.name.startswith(".")]
            if len(files) <= KEEP:
                return
            files.sort(key=lambda entry: entry.stat().st_mtime)
            for entry in files[:len(files) - KEEP // 2]:
                os.unlink(entry.path)
        except OSError:
            pass


def _key(kind: str, version: str, text: str) -> str:
    """The name of a result: a hash of what makes it, and of the Python that will run it."""
    digest = hashlib.sha256()
    for piece in (kind, version, importlib.util.MAGIC_NUMBER.hex(), text):
        digest.update(piece.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


_shared: dict[Path | None, TemplateCache] = {}


def template_cache() -> TemplateCache:
    """The cache for this process, in cache_directory() as it is now."""
    directory = cache_directory()
    if directory not in _shared:
        _shared[directory] = TemplateCache(directory)
    return _shared[directory]
