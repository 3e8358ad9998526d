"""plangen: a Community Safety Partnership Plan from partners' Excel returns and a Word template."""

from __future__ import annotations

# The single source of the version: pyproject.toml reads it from here (setuptools dynamic), and
# keeping it a literal spares `plangen --version` the cost of importlib.metadata.
__version__ = "0.1.0"
