"""Regenerate the generated parts of the documentation (run by `make docs`).

docs/returns.md from the input schema; docs/template-guide.md from the plan model, the sample
plan built from inputs/ (for its examples) and check-template's own messages.
"""

from __future__ import annotations

from pathlib import Path

from plangen.docs import GENERATED, updated_file, updated_guide
from plangen.inputs.merge import place
from plangen.inputs.validate import validate
from plangen.template.context import context

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    for name in GENERATED:
        path = ROOT / "docs" / name
        path.write_text(updated_file(name, path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"Updated {path.relative_to(ROOT)}")
    plan = place(validate(ROOT / "inputs")).plan
    guide = ROOT / "docs" / "template-guide.md"
    guide.write_text(updated_guide(guide.read_text(encoding="utf-8"), context(plan)),
                     encoding="utf-8")
    print(f"Updated {guide.relative_to(ROOT)}")
