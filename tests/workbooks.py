"""Writing input workbooks for tests: a small valid plan that each test bends out of shape."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

Rows = list[list[Any]]


def write_workbook(path: Path, sheets: dict[str, Rows]) -> Path:
    """Write sheets (name -> rows, row 1 first) to an .xlsx file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def coordinator() -> dict[str, Rows]:
    return {
        "Settings": [["Setting", "Value"],
                     ["Partnership", "Testshire Community Safety Partnership"],
                     ["Area", "Testshire"], ["Plan title", "Partnership Plan"],
                     ["Plan starts", "April 2018"], ["Plan ends", "March 2019"]],
        "Sources": [["Source"], ["Testshire Strategic Assessment 2016"],
                    ["Testshire District Local Profile"]],
        "Priorities": [["Priority", "Page title"], ["Violent Crime", "Violent crime"],
                       ["Re-offending", ""]],
        "Statistics": [["Priority", "Statistic", "Fact"],
                       ["Violent Crime", "Serious Assault", "Accounts for 35% of Harm"],
                       ["Violent Crime", "Serious Assault", "Main groups aged 20-24 years"],
                       ["Re-offending", "Recidivism", "32% of those on probation re-offend"]],
        "Aims": [["Priority", "Aim"], ["Violent Crime", "A safe place to live"],
                 ["Re-offending", "Fewer people offending"]],
        "Commitments": [["Priority", "Commitment"],
                        ["Violent Crime", "Enhance the effectiveness of CCTV"],
                        ["Re-offending", "Increase Restorative Justice opportunities"]],
        "Themes": [["Theme", "Priorities"], ["City Safe", "Early Intervention, Violent Crime."],
                   ["Reoffending", ""]],
        "Glossary": [["Acronym", "Meaning"], ["PCC", "Preston City Council"],
                     ["CCTV", "Closed Circuit Television"]],
        "Partners": [["Partner", "Full name", "Sends a return", "Other names"],
                     ["Police", "Testshire Constabulary", "Yes", ""],
                     ["PCC", "Preston City Council", "Yes", "Council"],
                     ["Probation", "Probation Service", "No", "Probation Services"]],
    }


def partner_return(partner: str, actions: Rows | None = None,
                   current_work: Rows | None = None) -> dict[str, Rows]:
    return {
        "About": [["Setting", "Value"], ["Partner", partner], ["Contact", "A. Person"],
                  ["Email", "a.person@example.org"]],
        "Actions": [["Theme", "Key action", "Timescale", "Leads", "New"], *(actions or [])],
        "Current work": [["Priority", "Initiative"], *(current_work or [])],
    }


@dataclass
class InputsBuilder:
    """A coordinator workbook and returns, as rows, written to a folder on demand."""

    plan: dict[str, Rows] = field(default_factory=coordinator)
    returns: dict[str, dict[str, Rows]] = field(default_factory=lambda: {
        "police.xlsx": partner_return("Police", [
            ["City Safe", "Develop City Safe to sustain community safety.", "March 2019",
             "Police/ PCC", "Yes"],
            ["Reoffending", "Provide co-ordinated prison release arrangements.", "Ongoing",
             "Probation", ""],
        ], [["Violent Crime", "Street Pastors"], ["Violent Crime", "CCTV"]]),
        "council.xlsx": partner_return("PCC", [
            ["City Safe", "Deliver multi agency activity on street drinking.", "Ongoing",
             "PCC", ""],
        ], [["Re-offending", "Provide health care"], ["Violent Crime", "CCTV"]]),
    })

    def copy(self) -> InputsBuilder:
        return InputsBuilder(copy.deepcopy(self.plan), copy.deepcopy(self.returns))

    def write(self, folder: Path) -> Path:
        write_workbook(folder / "plan.xlsx", self.plan)
        (folder / "returns").mkdir(parents=True, exist_ok=True)
        for name, sheets in self.returns.items():
            write_workbook(folder / "returns" / name, sheets)
        return folder
