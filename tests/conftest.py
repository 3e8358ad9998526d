from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from workbooks import InputsBuilder

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INPUTS = ROOT / "inputs"
TEMPLATE = ROOT / "templates" / "plan.docx"
# A copy of ../shared/reference/preston-partnership-plan.txt, so a clone alone can run the tests.
REFERENCE = ROOT / "tests" / "reference" / "preston-partnership-plan.txt"


@pytest.fixture(autouse=True, scope="session")
def private_template_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled templates are kept in a directory of the test run's own, not the user's
    ~/.cache/plangen; commands the tests run inherit it."""
    os.environ["PLANGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("template-cache"))


@pytest.fixture
def inputs() -> InputsBuilder:
    """A small valid plan, as rows, for a test to change and write."""
    return InputsBuilder()


@pytest.fixture
def sample_inputs(tmp_path: Path) -> Path:
    """A copy of the shipped sample inputs, safe to change."""
    return Path(shutil.copytree(SAMPLE_INPUTS, tmp_path / "inputs"))


def need_program(*names: str) -> str:
    """The path of the first program found, for tests that need LibreOffice or Chromium.

    Locally a missing program skips the test; in CI (CI=true) it fails it, so a machine without
    it can never pass by skipping."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{' or '.join(names)} is not installed (.ci/run installs it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
