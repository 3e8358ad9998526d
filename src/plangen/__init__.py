"""plangen: a Community Safety Partnership Plan from partners' Excel returns and a Word template."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("plangen")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
