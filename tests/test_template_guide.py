"""docs/template-guide.md tells officers the truth: every field, every style, every message."""

from __future__ import annotations

import re
import typing
from dataclasses import fields, is_dataclass
from types import UnionType
from typing import Any

import pytest

from plangen import docs
from plangen.template.check import PROBLEM_IDS
from plangen.template.context import context, context_types
from plangen.template.tags import read_template

from conftest import ROOT, TEMPLATE, Sample

GUIDE = ROOT / "docs" / "template-guide.md"


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_the_guide_is_generated_from_the_current_model_sample_and_messages(
        guide: str, sample: Sample) -> None:
    assert guide == docs.updated_guide(guide, context(sample.result.plan)), (
        "docs/template-guide.md is out of date: run `make docs`")


def _members(kind: Any) -> dict[str, Any]:
    """Fields and properties of a model dataclass, read here independently of plangen."""
    hints = typing.get_type_hints(kind)
    members = {item.name: hints[item.name] for item in fields(kind)}
    for klass in kind.__mro__:
        for name, member in vars(klass).items():
            if isinstance(member, property) and not name.startswith("_"):
                members[name] = typing.get_type_hints(member.fget)["return"]
    return members


def _tags(owner: str, name: str, kind: Any, path: str) -> list[str]:
    """How the guide writes each reachable field: a loop for a list, a condition for yes/no,
    dotted names below a record, otherwise a print."""
    if typing.get_origin(kind) is UnionType:
        kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
    if typing.get_origin(kind) is tuple:
        item = docs.loop_name(owner, name)
        element = typing.get_args(kind)[0]
        found = [f"{{%p for {item} in {path} %}}"]
        if isinstance(element, type) and is_dataclass(element):
            found += [tag for field_name, hint in _members(element).items()
                      for tag in _tags(element.__name__, field_name, hint,
                                       f"{item}.{field_name}")]
        return found
    if kind is bool:
        return [f"{{% if {path} %}}"]
    if isinstance(kind, type) and is_dataclass(kind):
        return [tag for field_name, hint in _members(kind).items()
                for tag in _tags(kind.__name__, field_name, hint, f"{path}.{field_name}")]
    return [f"{{{{ {path} }}}}"]


def test_every_field_reachable_from_the_template_context_is_in_the_guide(guide: str) -> None:
    tags = [tag for name, kind in context_types().items() for tag in _tags("", name, kind, name)]
    assert "{{ action.timescale.text }}" in tags and "{{ count.lead }}" in tags
    assert len(tags) > 50
    missing = [tag for tag in tags if f"`{tag}`" not in guide]
    assert missing == [], "run `make docs` (and describe new fields in plangen.docs.FIELD_HELP)"


def test_a_field_nobody_described_stops_the_guide_being_generated(
        monkeypatch: pytest.MonkeyPatch, sample: Sample) -> None:
    help_without = {k: v for k, v in docs.FIELD_HELP.items() if k != "Theme.new_actions"}
    monkeypatch.setattr(docs, "FIELD_HELP", help_without)
    message = "describe Theme.new_actions in plangen.docs.FIELD_HELP"
    with pytest.raises(ValueError, match=re.escape(message)):
        docs.template_reference(context(sample.result.plan))


def test_the_guide_shows_each_field_with_its_value_in_the_sample_plan(guide: str) -> None:
    assert ("| `{{ partnership }}` | The partnership's name. | "
            "“Preston Community Safety Partnership” |") in guide
    assert "| `{{ glance.actions }}` | How many actions the plan has. | 27 |" in guide
    assert "### Each action: inside `{%p for action in theme.actions %}`" in guide


def test_the_styles_the_guide_describes_are_the_styles_the_template_uses(guide: str) -> None:
    section = guide.split("## Changing the look: styles")[1].split("\n## ")[0]
    described = set(re.findall(r"^\| \*\*(.+?)\*\* \|", section, re.MULTILINE))
    template = read_template(TEMPLATE)
    names = {style.name.casefold(): style for style in template.styles.values()}
    assert {name for name in described if name.casefold() not in names} == set()
    used = {match for part in template.parts for paragraph in part.paragraphs
            for match in re.findall(r'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"',
                                    _xml(paragraph.element))}
    used |= {match for part in template.parts
             for match in re.findall(r'w:tblStyle w:val="([^"]+)"', _xml(part.root))}
    used_names = {template.styles[style_id].name.casefold() for style_id in used}
    assert used_names <= {name.casefold() for name in described} | {"heading 1", "heading 2"}


def _xml(element: Any) -> str:
    from lxml import etree

    text: str = etree.tostring(element, encoding="unicode")
    return text


def test_every_problem_id_the_checker_reports_is_explained(guide: str) -> None:
    source = "".join(path.read_text(encoding="utf-8")
                     for path in sorted((ROOT / "src" / "plangen" / "template").glob("*.py")))
    reported = set(re.findall(r'(?:add\(|template_problem\(|code(?:, message)? = )\s*"([a-z-]+)"',
                              source))
    assert len(reported) > 25
    assert reported == set(PROBLEM_IDS)
    for code in PROBLEM_IDS:
        assert f"| `{code}` |" in guide


def test_the_readme_points_officers_to_the_guide_and_check_template() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/template-guide.md" in readme
    assert "plangen check-template" in readme
