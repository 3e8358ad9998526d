from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbooks import InputsBuilder

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INPUTS = ROOT / "inputs"
TEMPLATE = ROOT / "templates" / "plan.docx"
# A copy of ../shared/reference/preston-partnership-plan.txt, so a clone alone can run the tests.
REFERENCE = ROOT / "tests" / "reference" / "preston-partnership-plan.txt"


@pytest.fixture
def inputs() -> InputsBuilder:
    """A small valid plan, as rows, for a test to change and write."""
    return InputsBuilder()


@pytest.fixture
def sample_inputs(tmp_path: Path) -> Path:
    """A copy of the shipped sample inputs, safe to change."""
    return Path(shutil.copytree(SAMPLE_INPUTS, tmp_path / "inputs"))
