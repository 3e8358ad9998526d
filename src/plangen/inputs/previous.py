"""Last year's plan, as next year's inputs hold it: inputs/previous-plan.json.

`plangen new NEXT --from THIS` copies THIS year's outputs/plan.json there; from then on the
returns are written pre-filled from it (plangen.inputs.blank), and the build compares with it
(plangen.inputs.carry): references kept, NEW worked out, and what changed.

The file is the coordinator's, but it is read as untrusted as any return: bounded in size,
parsed as JSON with nothing executed, every value checked against the model's types
(plangen.serial), and anything wrong said as one problem at the file, never a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from plangen.model import Action, CellRef, Plan, Theme
from plangen.problems import Problem, Severity
from plangen.serial import plan_from_record

#: Where last year's plan is kept, in the inputs folder.
PREVIOUS_PLAN = "previous-plan.json"
#: A plan.json bigger than this is not read (a county's plan of 3,000 actions is about 3 MB).
MAX_PREVIOUS_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Previous:
    """Last year's plan, with its actions by reference."""

    plan: Plan
    file: str = PREVIOUS_PLAN

    @property
    def actions(self) -> dict[str, tuple[Theme, Action]]:
        """Each of last year's actions (and its theme) by its reference, in plan order."""
        return {action.reference: (theme, action)
                for theme in self.plan.themes for action in theme.actions if action.reference}

    @property
    def references(self) -> frozenset[str]:
        """Every reference last year's plan gave or had retired: none may go to a new action."""
        return frozenset((*self.actions, *self.plan.retired))


def read_previous(inputs_dir: Path) -> tuple[Previous | None, list[Problem]]:
    """Last year's plan from inputs_dir, if it has one; else None. A file that cannot be used
    is None and an error saying why: building as if there were no previous plan would mark
    every action new and renumber them all."""
    path = inputs_dir / PREVIOUS_PLAN
    if not path.exists():
        return None, []
    plan, problems = read_plan_file(
        path, PREVIOUS_PLAN, "Put back the plan.json that last year's build wrote (its "
        f"outputs folder), or remove {PREVIOUS_PLAN} to build without comparing with last "
        "year.")
    return (Previous(plan) if plan is not None else None), problems


def read_plan_file(path: Path, name: str, fix: str) -> tuple[Plan | None, list[Problem]]:
    """A plan.json plangen wrote, read as untrusted: the plan, or None and one
    bad-previous-plan error at `name` (how the file is called in messages) with `fix`."""
    where = CellRef(name)
    try:
        if not path.is_file():
            raise ValueError("it is not a file")
        size = path.stat().st_size
        if size > MAX_PREVIOUS_BYTES:
            raise ValueError(f"it is {size / 1024 / 1024:.0f} MB, more than the "
                             f"{MAX_PREVIOUS_BYTES // 1024 // 1024} MB a plan.json can be")
        with path.open("rb") as stream:
            record = json.loads(stream.read(MAX_PREVIOUS_BYTES + 1).decode("utf-8"))
        if not isinstance(record, dict):
            raise ValueError("it is not a JSON object")
        plan = plan_from_record(record)
    except (OSError, UnicodeDecodeError) as error:
        return None, [_problem(where, f"{name} cannot be read: {error}", fix)]
    except json.JSONDecodeError as error:
        return None, [_problem(where, f"{name} is not JSON (line {error.lineno}, "
                               f"column {error.colno}: {error.msg})", fix)]
    except (ValueError, TypeError, KeyError, AttributeError, StopIteration,
            RecursionError) as error:
        detail = f"{error.args[0]!s}" if error.args else type(error).__name__
        if isinstance(error, KeyError):
            detail = f"it has no {detail}"
        return None, [_problem(where, f"{name} is not a plan plangen wrote: {detail}", fix)]
    return plan, []


def _problem(where: CellRef, message: str, fix: str) -> Problem:
    return Problem(where, message, fix, Severity.ERROR, "bad-previous-plan")
