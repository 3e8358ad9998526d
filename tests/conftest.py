from __future__ import annotations

import os
import shutil
from functools import cached_property
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangen.build import BuildResult, build
from plangen.cli import cli
from plangen.model import CellRef
from plangen.problems import Problem, TemplateLocation

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


class Sample:
    """The shipped sample built once for the whole run, each output on first use: the plan with
    its web page and returns report, a draft of it, the plan with its PDF, and what
    `plangen validate` prints.

    Many tests read these; none may change them. A test that needs to change an output copies
    it into its own tmp_path first.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @cached_property
    def result(self) -> BuildResult:
        """build(SAMPLE_INPUTS, TEMPLATE, ..., html=True): the .docx, the .html, the report."""
        return build(SAMPLE_INPUTS, TEMPLATE, self.folder / "plan" / "plan.docx", html=True)

    @property
    def docx(self) -> Path:
        return self.result.outputs[0]

    @property
    def html(self) -> Path:
        return self.result.outputs[1]

    @property
    def report(self) -> Path:
        return self.result.report

    @cached_property
    def draft(self) -> BuildResult:
        """The same plan built as a draft, with its web page."""
        return build(SAMPLE_INPUTS, TEMPLATE, self.folder / "draft" / "plan.docx", html=True,
                     draft=True)

    @cached_property
    def published(self) -> BuildResult:
        """The plan built with its PDF (LibreOffice must be installed) and web page."""
        return build(SAMPLE_INPUTS, TEMPLATE, self.folder / "published" / "plan.docx", pdf=True,
                     html=True)

    @cached_property
    def validate_output(self) -> str:
        """What `plangen validate --inputs inputs` prints for the sample (it exits 0)."""
        result = CliRunner().invoke(cli, ["validate", "--inputs", str(SAMPLE_INPUTS)])
        assert result.exit_code == 0, result.output
        return result.output


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    """The shipped sample, built at most once per run (see Sample)."""
    return Sample(tmp_path_factory.mktemp("sample"))


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


def cell_where(problem: Problem) -> CellRef:
    """The cell of a problem found in the inputs (failing the test if it is placed otherwise)."""
    assert isinstance(problem.where, CellRef), problem
    return problem.where


def template_where(problem: Problem) -> TemplateLocation:
    """The place in the template of a problem found there (failing the test otherwise)."""
    assert isinstance(problem.where, TemplateLocation), problem
    return problem.where
