"""Regenerate the schema-driven parts of the documentation (run by `make docs`)."""

from __future__ import annotations

from pathlib import Path

from plangen.docs import GENERATED, updated_file

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    for name in GENERATED:
        path = ROOT / "docs" / name
        path.write_text(updated_file(name, path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"Updated {path.relative_to(ROOT)}")
