"""Ships the repository's templates/ inside the package when a wheel is built.

templates/ at the top of the repository is the one master copy (make plan, the tests and an
editable install read it there); a wheel gets a copy as plangen/templates/, which
`plangen new` finds with importlib.resources (plangen.inputs.starter.shipped_templates).
Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TEMPLATES = Path(__file__).resolve().parent / "templates"


class BuildWithTemplates(build_py):
    """build_py, then the shipped templates (as MANIFEST.in names them) copied into the built
    package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "plangen" / "templates"
        target.mkdir(parents=True, exist_ok=True)
        for template in sorted((*TEMPLATES.glob("*.docx"), *TEMPLATES.glob("*.html"))):
            if not template.name.startswith("~$"):  # Word's lock file, not a template
                shutil.copy2(template, target / template.name)


setup(cmdclass={"build_py": BuildWithTemplates})
