"""Regenerate the schema-driven parts of the documentation (run by `make docs`)."""

from __future__ import annotations

from pathlib import Path

from plangen.docs import updated

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    path = ROOT / "docs" / "returns.md"
    path.write_text(updated(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"Updated {path.relative_to(ROOT)}")
