"""check-template: every problem in an edited template at once, where it is, in plain words."""

from __future__ import annotations

import json
import re
import typing
import uuid
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from plangen.build import build
from plangen.cli import cli
from plangen.errors import TemplateError, TemplateProblems
from plangen.inputs.merge import place
from plangen.inputs.validate import validate
from plangen.problems import Problem, Severity
from plangen.template import check as templatecheck
from plangen.template.check import check_template
from plangen.template.context import context, context_types

from conftest import ROOT, SAMPLE_INPUTS, TEMPLATE, template_where
from docx_reading import all_text
from template_editing import edit_body, edit_parts, paragraph_of, replace_text, text_element, w

Block = str | tuple[str, str] | list[list[str | tuple[str, ...]]]


def template(path: Path, *blocks: Block) -> Path:
    """A small template: strings are paragraphs, (text, style) styled paragraphs, lists of rows
    tables (a cell given as a tuple holds several paragraphs)."""
    document = Document()
    for block in blocks:
        if isinstance(block, list):
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for row_number, row in enumerate(block):
                for cell_number, value in enumerate(row):
                    cell = table.cell(row_number, cell_number)
                    texts = value if isinstance(value, tuple) else (value,)
                    cell.paragraphs[0].text = texts[0]
                    for text in texts[1:]:
                        cell.add_paragraph(text)
        elif isinstance(block, tuple):
            document.add_paragraph(block[0], style=block[1])
        else:
            document.add_paragraph(block)
    document.save(str(path))
    return path


def found(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(problem.code, template_where(problem).tag) for problem in problems]


# --------------------------------------------------------------------------------------------------
# Names, checked against the plan model


def test_the_shipped_template_has_no_problems() -> None:
    assert check_template(TEMPLATE) == []


def test_a_mistyped_field_names_the_field_it_probably_means(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", ("Action plan", "Heading 1"),
                    "{%p for theme in themes %}", ("{{ theme.nam }}", "Heading 2"),
                    "{%p endfor %}")
    [problem] = check_template(path)
    assert problem.code == "unknown-field"
    assert problem.is_error
    where = template_where(problem)
    assert where.tag == "{{ theme.nam }}"
    assert (where.part, where.heading, where.paragraph) == (
        "body", "Action plan", 3)
    assert "a theme has actions, code, name, new_actions and priorities" in problem.message
    assert "Did you mean “theme.name”?" in problem.fix
    assert str(problem).startswith("body · paragraph 3 · under “Action plan” — {{ theme.nam }} — ")


def test_an_unknown_name_is_matched_against_the_names_the_plan_gives(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "{{ partnershp }} and {{ owner }}")
    problems = check_template(path)
    assert found(problems) == [("unknown-field", "{{ partnershp }}"),
                               ("unknown-field", "{{ owner }}")]
    assert "Did you mean “partnership”?" in problems[0].fix
    assert "Did you mean" not in problems[1].fix


def test_a_loop_item_used_outside_its_loop_is_an_unknown_loop_variable(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "{%p for action in themes[0].actions %}",
                    "{{ acton.text }}", "{%p endfor %}", "{{ action.text }}")
    problems = check_template(path)
    assert found(problems) == [("unknown-loop-variable", "{{ acton.text }}"),
                               ("unknown-loop-variable", "{{ action.text }}")]
    assert "Did you mean “action”?" in problems[0].fix
    assert "only exists inside the loop {%p for action in themes[0].actions %}" in (
        problems[1].message)


def test_a_loop_item_has_the_type_of_the_list_it_comes_from(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx",
                    [["{%tr for count in glance.leads %}", ""],
                     ["{{ count.lead }}", "{{ count.theme }}"],
                     ["{%tr endfor %}", ""]])
    [problem] = check_template(path)
    assert (problem.code, template_where(problem).tag) == ("unknown-field", "{{ count.theme }}")
    assert "a lead count has actions and lead" in problem.message
    where = template_where(problem)
    assert (where.table, where.row, where.cell) == (1, 2, 2)


def _paths(kind: Any, path: str, depth: int = 0) -> list[str]:
    """Tags reaching every field and property below kind, walked here independently of
    plangen: loops for lists, dotted names for records, a print for everything else."""
    kind = next((a for a in typing.get_args(kind) if a is not type(None)), kind) if (
        typing.get_origin(kind) in (typing.Union, __import__("types").UnionType)) else kind
    if typing.get_origin(kind) is tuple:
        item = f"item{depth}"
        return [f"{{%p for {item} in {path} %}}",
                *_paths(typing.get_args(kind)[0], item, depth + 1), "{%p endfor %}"]
    if is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        names = {f.name: hints[f.name] for f in fields(kind)}
        for klass in kind.__mro__:
            for name, member in vars(klass).items():
                if isinstance(member, property) and not name.startswith("_"):
                    names[name] = typing.get_type_hints(member.fget)["return"]
        lines = [line for name, hint in names.items()
                 for line in _paths(hint, f"{path}.{name}", depth)]
        return ([f"{{{{ {path} }}}}"] if "__str__" in vars(kind) else []) + lines
    return [f"{{{{ {path} }}}}"]


def test_every_field_reachable_from_the_plan_is_accepted_and_renders(tmp_path: Path) -> None:
    lines = [line for name, kind in context_types().items() for line in _paths(kind, name)]
    assert "{{ item1.timescale.text }}" in lines and "{{ glance.actions }}" in lines
    path = template(tmp_path / "t.docx", *lines)
    assert check_template(path) == []  # including the trial render with a made-up plan


def test_a_field_added_to_the_model_is_known_without_changing_the_checker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclass(frozen=True)
    class Ward:
        ward_name: str
        councillors: tuple[str, ...]

    monkeypatch.setattr(templatecheck, "context_types", lambda: {"wards": tuple[Ward, ...]})
    path = template(tmp_path / "t.docx", "{%p for ward in wards %}",
                    "{{ ward.ward_name }} {{ ward.councillors|join(', ') }} {{ ward.wardname }}",
                    "{%p endfor %}")
    [problem] = check_template(path, trial_render=False)
    assert (problem.code, template_where(problem).tag) == ("unknown-field", "{{ ward.wardname }}")
    assert "Did you mean “ward.ward_name”?" in problem.fix


def test_the_names_checked_are_exactly_the_names_rendering_gives() -> None:
    plan = place(validate(SAMPLE_INPUTS)).plan
    values, types = context(plan), context_types()
    assert set(values) == set(types)
    for name, value in values.items():
        hint = types[name]
        origin = typing.get_origin(hint)
        # A union (Changes | None) is checked as it is; tuple[str, ...] as a tuple.
        kind = hint if origin in (typing.Union, __import__("types").UnionType) else (
            origin or hint)
        assert isinstance(value, kind), name


# --------------------------------------------------------------------------------------------------
# Blocks and structural tags


def test_unbalanced_and_mismatched_blocks_are_all_reported_at_once(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx",
                    "{%p for theme in themes %}",
                    "{%p if theme.priorities %}",
                    "{{ theme.priorities }}",
                    "{%p endfor %}",  # closes the loop while the if is still open
                    "{%p endif %}",  # nothing left to close
                    "{%p for priority in priorities %}",
                    "{{ priority.name }}",
                    "{% endfor %}",  # a paragraph loop closed by an inline tag
                    "{%p if draft %}")  # never closed
    problems = check_template(path)
    assert found(problems) == [
        ("unclosed-block", "{%p if theme.priorities %}"),
        ("unopened-block", "{%p endif %}"),
        ("mismatched-block", "{% endfor %}"),
        ("unclosed-block", "{%p if draft %}"),
    ]
    assert [template_where(p).paragraph for p in problems] == [2, 5, 8, 9]
    assert "never closed before {%p endfor %}" in problems[0].message
    assert problems[0].fix.startswith("Add {%p endif %}")
    assert "Type {%p endfor %}" in problems[2].fix


def test_a_block_closed_by_the_wrong_end_names_the_open_one(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "{%p for theme in themes %}", "{%p endif %}",
                    "{%p endfor %}")
    [problem] = check_template(path)
    assert (problem.code, template_where(problem).tag) == ("mismatched-block", "{%p endif %}")
    assert "{%p for theme in themes %} (at body · paragraph 1) is still open" in problem.message


def test_a_row_loop_closed_outside_its_table_is_reported_once(tmp_path: Path) -> None:
    def move_out(root: Any) -> None:
        loop_end = [t for t in root.iter(w("t")) if t.text == "{%tr endfor %}"][3]
        paragraph = loop_end.getparent().getparent()
        row = paragraph.getparent().getparent()
        table = row.getparent()
        table.remove(row)
        table.addnext(paragraph)

    [problem] = check_template(edit_body(TEMPLATE, tmp_path / "t.docx", move_out))
    assert (problem.code, template_where(problem).tag) == ("loop-crosses-table", "{%tr endfor %}")
    where = template_where(problem)
    assert where.heading == "{{ theme.name }}" and where.table is None
    assert ("{%tr for action in theme.actions %} starts at table 4, row 2, cell 1 but "
            "{%tr endfor %} is at paragraph") in problem.message


def test_a_paragraph_loop_opened_in_a_cell_must_close_in_that_cell(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", [["{%p for source in sources %}", "x"]],
                    "{{ source }}", "{%p endfor %}")
    problems = check_template(path)
    assert ("loop-crosses-table", "{%p endfor %}") in found(problems)
    crossing = next(p for p in problems if p.code == "loop-crosses-table")
    assert "starts at table 1, row 1, cell 1" in crossing.message


def test_two_structural_tags_in_one_paragraph_or_row_lose_one(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "{%p if draft %}{%p endif %}",
                    [["{%tr for source in sources %}", "{%tr endfor %}"]])
    problems = check_template(path)
    assert ("two-structural-tags", "{%p if draft %}") in found(problems)
    assert ("two-structural-tags", "{%tr for source in sources %}") in found(problems)
    lost = next(p for p in problems if template_where(p).tag == "{%p if draft %}")
    assert "also holds {%p endif %}" in lost.message  # docxtpl keeps the last one


def test_words_beside_a_structural_tag_are_a_warning(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "Our themes: {%p for theme in themes %}",
                    "{{ theme.name }}", "{%p endfor %}")
    [problem] = check_template(path)
    assert problem.code == "text-beside-structural-tag"
    assert problem.severity is Severity.WARNING
    assert "“Our themes:”" in problem.message


def test_a_row_tag_outside_a_table_and_rich_text_prints_are_errors(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "{%tr for theme in themes %}", "{%tr endfor %}",
                    "{{p area }}")
    assert found(check_template(path)) == [
        ("structural-tag-outside-table", "{%tr for theme in themes %}"),
        ("structural-print", "{{p area }}")]


# --------------------------------------------------------------------------------------------------
# How tags are typed


def test_unclosed_tags_stray_closers_and_spaced_braces(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "{{ area }", "{{ area %}", "area }}",
                    "{ { area } }")
    problems = check_template(path)
    assert found(problems) == [("unclosed-tag", "{{ area }"), ("unclosed-tag", "{{ area %}"),
                               ("unopened-tag", "}}"), ("spaced-delimiter", "{ {"),
                               ("spaced-delimiter", "} }")]
    assert [p.is_error for p in problems] == [True, True, False, False, False]
    assert "It ends with %} instead." in problems[1].message


def test_a_missing_space_is_a_warning_unless_docxtpl_needs_it(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "{{area}}", "{%pfor source in sources %}",
                    "{{ source }}", "{% p endfor %}")
    problems = check_template(path)
    assert [(p.code, p.severity.value, template_where(p).tag) for p in problems] == [
        ("missing-space-in-tag", "warning", "{{area}}"),
        ("missing-space-in-tag", "error", "{%pfor source in sources %}"),
        ("space-before-prefix", "error", "{% p endfor %}")]
    assert problems[1].fix == "Type {%p for source in sources %}"
    assert problems[2].fix == "Remove that space: type {%p endfor %}"


def test_smart_quotes_are_a_warning_and_the_tag_still_renders(
        tmp_path: Path, inputs: Any) -> None:
    path = template(tmp_path / "t.docx", "{{ sources|join(“ and ”) }}")
    [problem] = check_template(path)
    assert (problem.code, problem.severity) == ("smart-quotes-in-tag", Severity.WARNING)
    output = tmp_path / "plan.docx"
    build(inputs.write(tmp_path / "in"), path, output)
    assert all_text(output) == ("Testshire Strategic Assessment 2016 and "
                                "Testshire District Local Profile")


def test_unknown_tags_filters_and_broken_syntax(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "{% if draft %}DRAFT{% edif %}", "{{ area|uper }}",
                    "{{ }}", "{% for x themes %}{% endfor %}", "{% include 'other.docx' %}",
                    "{{ area is emtpy }}")
    problems = check_template(path)
    assert found(problems) == [
        ("unknown-tag", "{% edif %}"), ("unknown-filter", "{{ area|uper }}"),  # edif read as endif
        ("syntax", "{{ }}"), ("syntax", "{% for x themes %}"),
        ("unknown-tag", "{% include 'other.docx' %}"), ("unknown-filter", "{{ area is emtpy }}")]
    assert "Did you mean “endif”?" in problems[0].fix
    assert "Did you mean “|upper”?" in problems[1].fix
    assert "expected token 'in', got 'themes'" in problems[3].message
    assert "A loop is written {%p for theme in themes %}" in problems[3].fix


def test_printing_a_whole_list_or_record_or_looping_over_text_is_refused(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "{{ sources }}", "{{ themes|first }}",
                    "{% for letter in area %}{{ letter }}{% endfor %}",
                    "{{ sources|join(', ') }} {{ period }} {{ themes|length }}")
    problems = check_template(path)
    assert found(problems) == [("prints-a-list", "{{ sources }}"),
                               ("prints-a-record", "{{ themes|first }}"),
                               ("not-a-list", "{% for letter in area %}")]
    assert "{{ sources|join(\", \") }}" in problems[0].fix
    assert "e.g. {{ (themes|first).name }}" in problems[1].fix


# --------------------------------------------------------------------------------------------------
# The rest of the document: styles, revisions, headers, properties


def test_a_deleted_style_is_reported_where_it_is_first_used(tmp_path: Path) -> None:
    def delete(root: Any) -> None:
        for style in list(root.iter(w("style"))):
            if style.get(w("styleId")) in ("TableText", "ActionTable"):
                style.getparent().remove(style)

    problems = check_template(edit_parts(TEMPLATE, tmp_path / "t.docx",
                                         {"word/styles.xml": delete}))
    assert found(problems) == [("missing-style", "style “Table Text”"),
                               ("missing-style", "style “Action Table”")]
    table_text, action_table = problems
    where = template_where(table_text)
    assert (where.heading, where.table, where.row) == (
        "Actions by theme", 1, 3)
    assert "It is used in 10 places." in table_text.message
    assert template_where(action_table).table == 4
    assert "Create a table style named “Action Table” again" in action_table.fix


def test_tracked_changes_are_a_warning_but_a_tag_deleted_with_them_is_an_error(
        tmp_path: Path) -> None:
    def inserted(root: Any) -> None:
        paragraph = paragraph_of(root, "{{ glance.actions }}")
        run = paragraph.find(w("r"))
        wrapper = etree.SubElement(paragraph, w("ins"), {w("id"): "1", w("author"): "Officer"})
        wrapper.append(run)

    def deleted(root: Any) -> None:
        run = text_element(root, "{{ theme.name }}").getparent()
        wrapper = etree.Element(w("del"), {w("id"): "2", w("author"): "Officer"})
        etree.SubElement(etree.SubElement(wrapper, w("r")), w("delText")).text = "{{ theme.old }}"
        run.addnext(wrapper)

    [warning] = check_template(edit_body(TEMPLATE, tmp_path / "a.docx", inserted))
    assert (warning.code, warning.severity, template_where(warning).heading) == (
        "tracked-changes", Severity.WARNING, "The plan at a glance")
    [error] = check_template(edit_body(TEMPLATE, tmp_path / "b.docx", deleted))
    assert (error.code, error.severity, template_where(error).tag) == (
        "tracked-changes", Severity.ERROR, "{{ theme.old }}")


def test_problems_in_headers_footers_and_properties_name_their_part(tmp_path: Path) -> None:
    def title(root: Any) -> None:
        for element in root:
            if element.tag.endswith("}title"):
                element.text = "{{ partnershp|safe }}"

    path = edit_parts(TEMPLATE, tmp_path / "t.docx", {
        "word/header1.xml": replace_text("{% if draft %}", "{% if drafts %}"),
        "word/footer1.xml": replace_text("{{ full_title|truncate(60) }}", "{{ period.year }}"),
        "docProps/core.xml": title})
    problems = check_template(path)
    places = map(template_where, problems)
    assert [(where.part, where.setting, where.tag) for where in places] == [
        ("header", "", "{% if drafts %}"),
        ("footer", "", "{{ period.year }}"),
        ("document properties", "Title", "{{ partnershp|safe }}")]
    assert "Did you mean “period.years”?" in problems[1].fix
    assert str(problems[2]).startswith("document properties · Title — {{ partnershp|safe }}")


def test_a_render_time_error_is_placed_at_its_table_cell(tmp_path: Path) -> None:
    path = edit_body(TEMPLATE, tmp_path / "t.docx",
                     replace_text("{{ action.timescale }}", "{{ action.timescale + 1 }}"))
    [problem] = check_template(path)
    assert problem.code == "render-failed"
    where = template_where(problem)
    assert (where.table, where.row, where.cell) == (4, 3, 2)
    assert where.tag == "{{ action.timescale + 1 }}"
    assert "unsupported operand type(s) for +: 'Timescale' and 'int'" in problem.message


def test_every_problem_is_reported_at_once_in_document_order(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", ("Cover", "Title"), "{{ partnershp }}",
                    ("Themes", "Heading 1"), "{%p for theme in themes %}", "{{ theme.nam }}",
                    [["{%tr for action in theme.actions %}", ""],
                     ["{{ action.txt }}", "{{ action.leads|joyn(', ') }}"],
                     ["{%tr endfor %}", ""]],
                    "{%p endfor %}", "{{area}}")
    problems = check_template(path)
    assert [(p.code, template_where(p).heading) for p in problems] == [
        ("unknown-field", "Cover"), ("unknown-field", "Themes"), ("unknown-field", "Themes"),
        ("unknown-filter", "Themes"), ("missing-space-in-tag", "Themes")]
    assert [template_where(p).table for p in problems] == [None, None, 1, 1, None]


def test_a_file_that_is_not_a_word_document_is_a_plain_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_text("not a zip")
    with pytest.raises(TemplateError, match="not a Word document"):
        check_template(path)
    with pytest.raises(TemplateError, match="does not exist"):
        check_template(tmp_path / "none.docx")


# --------------------------------------------------------------------------------------------------
# The command line and the build


def test_check_template_prints_every_problem_and_exits_1_on_errors(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", ("Action plan", "Heading 1"),
                    "{%p for theme in themes %}", "{{ theme.nam }}", "{%p endfor %}",
                    "{{area}}")
    result = CliRunner().invoke(cli, ["check-template", str(path)])
    assert result.exit_code == 1
    assert ("error [unknown-field]: body · paragraph 3 · under “Action plan” — {{ theme.nam }} "
            "— “theme.nam” is not part of a theme") in result.output
    assert ("warning [missing-space-in-tag]: body · paragraph 5 · under “Action plan” — "
            "{{area}} —") in result.output
    assert "1 error, 1 warning" in result.output
    assert "Traceback" not in result.output


def test_check_template_exits_0_with_warnings_only(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "{{area}}")
    result = CliRunner().invoke(cli, ["check-template", str(path)])
    assert result.exit_code == 0
    assert "0 errors, 1 warning" in result.output


def test_check_template_checks_the_shipped_template_by_default(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check-template"])
    assert result.exit_code == 0, result.output
    assert "templates/plan.docx: no problems found." in result.output


def test_check_template_json_lists_each_problem_with_its_location(tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", [["{{ area }}", "{{ aera }}"]])
    result = CliRunner().invoke(cli, ["check-template", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [{
        "code": "unknown-field", "severity": "error", "file": str(path),
        "where": "body · table 1, row 1, cell 2, paragraph 1 — {{ aera }}",
        "location": {"kind": "template", "file": str(path), "part": "body", "setting": None,
                     "heading": None, "paragraph": 1, "table": 1, "row": 1, "cell": 2,
                     "tag": "{{ aera }}"},
        "message": "“aera” is not a name the plan gives the template.",
        "fix": "Did you mean “area”? The names you can use are listed in "
               "docs/template-guide.md."}]


def test_check_template_on_a_missing_file_is_a_plain_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check-template", str(tmp_path / "none.docx")])
    assert result.exit_code == 1
    assert "Error:" in result.output and "the template does not exist" in result.output


def test_build_refuses_a_broken_template_lists_its_problems_and_writes_nothing(
        tmp_path: Path) -> None:
    path = template(tmp_path / "t.docx", "{{ partnershp }}", "{%p if draft %}")
    output = tmp_path / "plan.docx"
    result = CliRunner().invoke(cli, ["build", "--inputs", str(SAMPLE_INPUTS), "--template",
                                      str(path), "--output", str(output)])
    assert result.exit_code == 1
    assert not output.exists()
    assert "error [unknown-field]: body · paragraph 1 — {{ partnershp }} —" in result.output
    assert ("error [unclosed-block]: body · paragraph 2 — {%p if draft %} — This condition is "
            "never closed.") in result.output
    assert "2 errors in the template" in result.output and "nothing was written" in result.output
    with pytest.raises(TemplateProblems):
        build(SAMPLE_INPUTS, path, output)
    assert list(tmp_path.iterdir()) == [path]


def test_a_render_time_error_in_the_build_is_located_and_nothing_is_written(
        tmp_path: Path) -> None:
    """themes[20] exists for the checker (a theme) but not in the sample plan (7 themes)."""
    path = edit_body(TEMPLATE, tmp_path / "t.docx",
                     replace_text("{{ glance.actions }} actions", "{{ themes[20].name }} actions"))
    assert [p for p in check_template(path, trial_render=False) if p.is_error] == []
    output = tmp_path / "out" / "plan.docx"
    result = CliRunner().invoke(cli, ["build", "--inputs", str(SAMPLE_INPUTS), "--template",
                                      str(path), "--output", str(output)])
    assert result.exit_code == 1
    assert not output.parent.exists() or list(output.parent.iterdir()) == []
    assert ("error [unknown-field]: body · paragraph 10 · under “The plan at a glance” — "
            "{{ themes[20].name }} — A tag names something the plan does not have (tuple object "
            "has no element 20).") in result.output
    assert "Traceback" not in result.output


_PIECES = ["{", "}", "%", "#", " ", ".", "|", '"', "“", "p", "r", "tr", "x", "(", ")",
           "endfor", "endif", "for ", "if ", "{%p ", "{{ ", " }}", " %}", "{%tr ", "theme",
           "themes", "action"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6),
                                st.sampled_from(["delete", "insert", "cut"]),
                                st.sampled_from(_PIECES)), min_size=1, max_size=3))
def test_when_check_template_finds_no_error_the_build_works_and_warns_of_leftovers(
        tmp_path: Path, edits: list[tuple[int, int, str, str]]) -> None:
    """Slips typed into the tags of the shipped template: the checker never fails, and a
    template it passes builds, with any braces left in the plan warned about."""
    def slip(root: Any) -> None:
        texts = [t for t in root.iter(w("t")) if t.text and ("{" in t.text or "}" in t.text)]
        for which, where, how, piece in edits:
            element = texts[which % len(texts)]
            text = element.text
            at, other = where % (len(text) + 1), (where // 7) % (len(text) + 1)
            element.text = (text[:at] + text[at + 1:] if how == "delete"
                             else text[:at] + piece + text[at:] if how == "insert"
                             else text[:min(at, other)] + text[max(at, other):])

    path = edit_body(TEMPLATE, tmp_path / f"slip-{uuid.uuid4().hex}.docx", slip)
    problems = check_template(path)
    if any(problem.is_error for problem in problems):
        return
    output = path.with_suffix(".plan.docx")
    build(SAMPLE_INPUTS, path, output)
    leftovers = re.findall(r"\{\{|\{%|%\}|\}\}", all_text(output))
    assert not leftovers or problems
