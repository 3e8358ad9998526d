"""What filling in a template makes from the template alone, kept between builds.

Before docxtpl fills in a part of the template it rewrites the part's XML into Jinja source
(patch_xml), and Jinja compiles that source into Python. Both depend on the template alone, yet
they were a third of rendering the shipped plan, repeated on every build although the template
changes far less often than the returns. So each result is kept, named by a hash of everything
it is made from (the text it is made from, and the versions of docxtpl, Jinja and Python), in
memory for the process and on disk between builds. A template edited in Word is new text, so
its results are made afresh: nothing kept can go stale, only unused.

On disk the results are files in the "templates" folder of $PLANGEN_CACHE_DIR, else of
$XDG_CACHE_HOME/plangen, else of ~/.cache/plangen. Setting PLANGEN_CACHE_DIR to nothing
(`PLANGEN_CACHE_DIR= make plan`) keeps them in memory only. Compiled code is run when it is
read back, so no one else may write to that folder: plangen makes it for its owner alone,
and keeps nothing on disk when the folder is someone else's or others can write to it. On Windows,
where that cannot be checked the same way, nothing is kept on disk. Any trouble with the folder
(unwritable, full, a damaged file) only means the work is done again; plangen removes nothing
in it but its own files.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import re
import stat
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

#: Files kept on disk: when there are more, the least recently used are removed, down to
#: KEEP // 2. The shipped template's parts come to nine files of 1 to 20 KB.
KEEP = 256
#: Results kept in memory by one process (the tests fill in a hundred templates).
IN_MEMORY = 64
#: Each file starts with the SHA-256 of the rest, so a damaged file is never used.
_CHECK = 32
#: The names of plangen's files in the folder: a SHA-256 in hex; a file being written has a
#: "." before the name and a random ending after it.
_ENTRY = re.compile(r"[0-9a-f]{64}")
_PARTLY_WRITTEN = re.compile(r"\.[0-9a-f]{64}\..+")
#: A file being written that is older than this was left by a build that was stopped.
_ABANDONED_SECONDS = 3600
#: Marks the folder as a cache for backup tools (https://bford.info/cachedir/).
_TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# plangen's template cache\n"


def cache_directory() -> Path | None:
    """The folder that holds the folder of results, or None for none: PLANGEN_CACHE_DIR set
    to nothing, Windows (see the module's notes), or no home folder to put it in."""
    configured = os.environ.get("PLANGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured).expanduser() if configured.strip() else None
    if not hasattr(os, "getuid"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative, which the XDG rules say to ignore
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError, OSError):  # no HOME and no entry in the password file
            return None
    return Path(base) / "plangen"


def _private(folder: Path) -> bool:
    """Make folder (readable by its owner only) if it is not there; whether it is a folder
    of this user's that no one else can write to."""
    if not hasattr(os, "getuid"):
        return False  # Windows: who may write is in the folder's ACL, not checked here
    try:
        made = not folder.exists()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
        if made:
            (folder / "CACHEDIR.TAG").write_bytes(_TAG)
    except OSError:
        return False
    return (stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid()
            and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


class TemplateCache:
    """Results kept by the hash of what they are made from: in memory, and on disk in the
    folder "templates" of directory (None: in memory only)."""

    def __init__(self, directory: Path | None) -> None:
        folder = directory / "templates" if directory is not None else None
        self.folder = folder if folder is not None and _private(folder) else None
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
        if self.folder is None:
            return None
        path = self.folder / key
        try:
            stored = path.read_bytes()
            data = stored[_CHECK:]
            if stored[:_CHECK] != hashlib.sha256(data).digest():
                return None  # damaged: made again and written over
            value = load(data)
        except (OSError, EOFError, ValueError, TypeError, UnicodeDecodeError):
            return None  # not there, or unreadable
        with contextlib.suppress(OSError):  # a read-only cache is still used
            os.utime(path)  # recently used: kept when older files are removed
        self._remember(key, value)
        return value

    def _keep(self, key: str, value: Any, data: bytes) -> None:
        self._remember(key, value)
        if self.folder is None:
            return
        written = ""
        try:
            with tempfile.NamedTemporaryFile(dir=self.folder, prefix=f".{key}.",
                                             delete=False) as file:
                written = file.name
                file.write(hashlib.sha256(data).digest() + data)
            os.replace(written, self.folder / key)  # whole, or not at all
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
        """Remove plangen's least recently used files when there are more than KEEP, and
        files left half-written by a stopped build. Nothing else in the folder is touched."""
        assert self.folder is not None
        try:
            entries, abandoned = [], []
            for entry in os.scandir(self.folder):
                if _ENTRY.fullmatch(entry.name) and entry.is_file():
                    entries.append(entry)
                elif _PARTLY_WRITTEN.fullmatch(entry.name) and entry.is_file() and (
                        time.time() - entry.stat().st_mtime > _ABANDONED_SECONDS):
                    abandoned.append(entry)
            if len(entries) > KEEP:
                entries.sort(key=lambda entry: entry.stat().st_mtime)
                abandoned += entries[:len(entries) - KEEP // 2]
            for entry in abandoned:
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


_current: tuple[Path | None, TemplateCache] | None = None


def template_cache() -> TemplateCache:
    """The cache for this process, in cache_directory() as it is now. Never raises: a folder
    that cannot be used leaves a cache in memory only."""
    global _current
    directory = cache_directory()
    if _current is None or _current[0] != directory:
        _current = (directory, TemplateCache(directory))
    return _current[1]


def forget() -> None:
    """Drop what this process keeps in memory, so the next render reads the folder as a new
    process would (the bench times rebuilds that way)."""
    global _current
    _current = None
