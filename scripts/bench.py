"""`make bench`: plangen's speed and memory at three sizes against the floor, and hostile ones.

Sizes: the sample inputs as shipped; 60 returns of 50 actions; 300 returns of 50 actions; and
those 300 returns as next year's, a rebuild with last year's plan (next_year_inputs: most
actions carried, some new, some last year's in no return). The large ones are written by
scripts/synthetic.py (plangen's own blank returns, filled in) and cached under $BENCH_DIR
(default: <tmp>/plangen-bench), keyed by size and by the code that writes them, so a rerun
starts at once; writing them is not timed.

For each size a fresh Python process times each stage of `plangen build`, in its order
(template check, read, validate, merge, render, report, accessibility: the median of a few
runs), then the floor for the same content: a bare python-calamine read of the same files
(every sheet of every workbook) plus a bare docxtpl render of the same context. read + validate
+ merge + render over the floor is the "ratio to floor" (the floor has no counterpart for the
other three); the whole build over the floor is shown beside it. The same process measures
memory (tracemalloc's peak per stage; the process's maximum resident set size), an openpyxl
read of the same files for comparison, near-duplicate detection with rapidfuzz, and whether
reading the returns on both cores pays. The command line itself is timed as a user meets it:
`plangen --help`, `plangen --version` and `plangen build`, each a new process, and the PDF
by plangen.outputs.pdf.write_pdf.

Each size gets a template cache (plangen.template.cache) of its own, filled by one `plangen
build` before the timing starts, so the timed builds are rebuilds, as the analyst meets them
while partners fix their returns; each render reads the cache from disk, as a new process
does. The render is also timed as a template's first build (a new, empty cache each time),
with its ratio.

The hostile size (`hostile`) is scripts/hostile.py's inputs: the sample beside returns no
partner would write (100,000 rows, a 1 MB cell, 2,000 cells of 32 KB, templated rows, …). Each
is read and validated in a fresh process, with a time limit (HOSTILE_SECONDS), for the time
and the process's peak memory; nothing is built from them.

    make bench                      # all three sizes, then the hostile one; PDF for all but
                                    # the largest
    BENCH_PDF=1 make bench          # PDF for the largest too (LibreOffice: 1.5 minutes here)
    BENCH_PDF=0 make bench          # no PDF at all
    BENCH_SIZES=sample,60x50 make bench
    BENCH_SIZES=hostile make bench  # the hostile inputs only

No number here is asserted by a test: machines differ. docs/performance.md has a run's output
and what it means.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from hostile import Case

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INPUTS = ROOT / "inputs"
TEMPLATE = ROOT / "templates" / "plan.docx"
BIN = Path(sys.executable).parent
MB = 1024 * 1024

#: The targets the issue sets (docs/performance.md).
TARGET_BUILD_SECONDS = 5.0  # validate + build of 60 × 50
TARGET_RATIO = 1.3
TARGET_START_SECONDS = 0.15  # plangen --help, plangen --version

T = TypeVar("T")


@dataclass(frozen=True)
class Size:
    name: str
    returns: int | None  # None: the sample inputs as shipped
    actions: int | None
    repeat: int  # runs per stage; the median is reported
    #: The same inputs as next year's: with last year's plan (see next_year_inputs).
    next_year: bool = False

    @property
    def key(self) -> str:
        size = "sample" if self.returns is None else f"{self.returns}x{self.actions}"
        return f"{size}-next" if self.next_year else size


SIZES = (Size("sample", None, None, 5), Size("60 × 50", 60, 50, 3),
         Size("300 × 50", 300, 50, 1),
         Size("300 × 50, with last year's plan", 300, 50, 1, next_year=True))
#: Of last year's actions in next_year_inputs: every how-manyth was worded otherwise (so this
#: year's row is new, and read against last year's theme for one it reads like), and how many
#: more last year had that no return mentions.
REWORDED_EVERY = 10
NOT_RETURNED = 500
#: The name of the hostile size in BENCH_SIZES, and how long one of its cases may take.
HOSTILE = "hostile"
HOSTILE_SECONDS = 300


# --- The inputs ------------------------------------------------------------------------------

def bench_dir() -> Path:
    return Path(os.environ.get("BENCH_DIR") or Path(tempfile.gettempdir()) / "plangen-bench")


def generator_digest() -> str:
    """A hash of everything that shapes the synthetic files: regenerate when any changes."""
    digest = hashlib.sha256()
    source = ROOT / "src" / "plangen"
    for path in (ROOT / "scripts" / "synthetic.py", source / "inputs" / "blank.py",
                 source / "inputs" / "schema.py", source / "docs.py",
                 SAMPLE_INPUTS / "plan.xlsx"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def inputs_for(size: Size) -> Path:
    """The inputs folder for size, written (and cached) if need be."""
    if size.next_year:
        return next_year_inputs(inputs_for(Size(size.name, size.returns, size.actions,
                                                size.repeat)))
    if size.returns is None or size.actions is None:
        return SAMPLE_INPUTS
    folder = bench_dir() / f"{size.key}-{generator_digest()}"
    if (folder / "complete").exists():
        return folder
    from synthetic import write_inputs

    print(f"Writing the {size.name} inputs to {folder} (once; not timed) …", flush=True)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    write_inputs(partial, size.returns, size.actions, workers=os.cpu_count() or 1)
    (partial / "complete").write_text(f"{time.perf_counter() - started:.1f} s\n")
    for stale in folder.parent.glob(f"{size.key}-*"):  # written by older code
        if stale != partial:
            shutil.rmtree(stale, ignore_errors=True)
    partial.rename(folder)
    return folder


def next_year_inputs(inputs: Path) -> Path:
    """`inputs` as next year's: the same workbooks, and as previous-plan.json the plan built
    from them, a year earlier. Its actions are the rows' own words (each row then keeps its
    reference, as a cleared one), but every REWORDED_EVERY-th is worded otherwise (the row is
    new, and read against last year's for one it reads like), and it has NOT_RETURNED actions
    more that no return mentions."""
    folder = inputs.with_name(inputs.name + "-next")
    if (folder / "complete").exists():
        return folder
    from plangen.build import build
    from plangen.inputs.previous import PREVIOUS_PLAN

    print(f"Writing next year's inputs for {inputs.name} to {folder} (once; not timed) …",
          flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in ("plan.xlsx", "returns"):
        (folder / name).symlink_to(inputs / name)
    built = Path(tempfile.mkdtemp(prefix="plangen-bench-last-year-"))
    try:
        build(inputs, TEMPLATE, built / "plan.docx")
        record = json.loads((built / "plan.json").read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(built, ignore_errors=True)
    for key in ("start", "end"):
        year, rest = record["period"][key].split("-", 1)
        record["period"][key] = f"{int(year) - 1}-{rest}"
    count = 0
    for theme in record["themes"]:
        for action in theme["actions"]:
            count += 1
            if count % REWORDED_EVERY == 0:
                action["text"] = "Last year: " + action["text"][::-1]
        if theme["actions"]:
            for extra in range(NOT_RETURNED // len(record["themes"])):
                theme["actions"].append({**theme["actions"][0], "text": f"Retired work {extra}.",
                                         "reference": f"{theme['code']}-{900 + extra}"})
    (folder / PREVIOUS_PLAN).write_text(json.dumps(record), encoding="utf-8")
    (folder / "complete").write_text("")
    return folder


def hostile_inputs(case: Case) -> Path:
    """The inputs folder for one of scripts/hostile.py's cases, written (and cached) if need be."""
    digest = hashlib.sha256((ROOT / "scripts" / "hostile.py").read_bytes())
    digest.update(generator_digest().encode())
    folder = bench_dir() / f"hostile-{digest.hexdigest()[:12]}" / case.key
    if (folder / "complete").exists():
        return folder
    print(f"Writing the hostile inputs {case.key} to {folder} (once; not timed) …", flush=True)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    # In a process of its own: a child's peak memory starts from its parent's (fork, then exec).
    subprocess.run([sys.executable, ROOT / "scripts" / "hostile.py", partial, case.key],
                   check=True, stdout=subprocess.DEVNULL)
    (partial / "complete").write_text("")
    partial.rename(folder)
    return folder


def workbooks(inputs: Path) -> list[Path]:
    return [inputs / "plan.xlsx", *sorted((inputs / "returns").glob("*.xlsx"))]


# --- Measuring, inside one fresh process per size ----------------------------------------------

def timed(function: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def floor_read(paths: Sequence[Path]) -> int:
    """The least a reader can do: open each workbook and turn every sheet into Python rows."""
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in paths:
        with CalamineWorkbook.from_path(str(path)) as book:
            for name in book.sheet_names:
                cells += sum(len(row) for row in book.get_sheet_by_name(name).to_python())
    return cells


def openpyxl_read(paths: Sequence[Path]) -> int:
    """The same files read with openpyxl in read-only mode, for comparison."""
    from openpyxl import load_workbook

    cells = 0
    for path in paths:
        book = load_workbook(path, read_only=True, data_only=True)
        for sheet in book.worksheets:
            cells += sum(len(row) for row in sheet.iter_rows(values_only=True))
        book.close()
    return cells


def floor_render(template: Path, names: dict[str, Any]) -> int:
    """The least a renderer can do: docxtpl with a plain autoescaping environment."""
    from io import BytesIO

    import jinja2
    from docxtpl import DocxTemplate

    document = DocxTemplate(template)
    document.render(names, jinja2.Environment(autoescape=True), autoescape=True)
    out = BytesIO()
    document.save(out)
    return out.tell()


def near_duplicates(texts: Sequence[str], scorer: Any = None, cutoff: int = 90,
                    workers: int = -1, symmetric: bool = True) -> set[tuple[int, int]]:
    """Pairs (i, j), i < j, of texts at least `cutoff` alike: the prototype to adopt.

    One vectorised rapidfuzz.process.cdist over the texts of one theme: scores as uint8, those
    under the cutoff as 0, and only the upper triangle kept. Passing the same list as queries
    and choices lets rapidfuzz score each pair once (symmetric=False passes a copy, to show
    what that saves).
    """
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    if len(texts) < 2:
        return set()
    processed = [utils.default_process(text) for text in texts]
    choices = processed if symmetric else list(processed)
    scores = process.cdist(processed, choices, scorer=scorer or fuzz.ratio,
                           score_cutoff=cutoff, dtype=np.uint8, workers=workers)
    first, second = np.nonzero(np.triu(scores, k=1))
    return set(zip(first.tolist(), second.tolist(), strict=True))


def bounded_near_duplicates(texts: Sequence[str], cutoff: int = 90) -> set[tuple[int, int]]:
    """The validator's way: pairs whose letter counts cannot reach the cutoff are skipped, the
    rest scored with fuzz.ratio (exact: the same pairs as scoring every pair)."""
    from rapidfuzz import utils

    from plangen.inputs.checks import alike_pairs

    return set(alike_pairs([utils.default_process(text) for text in texts], cutoff))


def near_duplicates_by_words(texts: Sequence[str], cutoff: int = 90, words: int = 60,
                             workers: int = -1) -> set[tuple[int, int]]:
    """The same, with a cheaper first pass: texts as sequences of word numbers (about 25 items
    instead of 150 characters) at least `words` alike, then characters only for those pairs."""
    from rapidfuzz import fuzz, utils

    processed = [utils.default_process(text) for text in texts]
    numbers: dict[str, int] = {}
    sequences = [[numbers.setdefault(word, len(numbers)) for word in text.split()]
                 for text in processed]
    candidates = near_duplicates_of_sequences(sequences, words, workers)
    return {(i, j) for i, j in candidates
            if fuzz.ratio(processed[i], processed[j], score_cutoff=cutoff)}


def near_duplicates_of_sequences(sequences: Sequence[Sequence[int]], cutoff: int,
                                 workers: int) -> set[tuple[int, int]]:
    import numpy as np
    from rapidfuzz import fuzz, process

    if len(sequences) < 2:
        return set()
    scores = process.cdist(sequences, sequences, scorer=fuzz.ratio, score_cutoff=cutoff,
                           dtype=np.uint8, workers=workers)
    first, second = np.nonzero(np.triu(scores, k=1))
    return set(zip(first.tolist(), second.tolist(), strict=True))


def near_duplicates_everywhere(texts: Sequence[str], scorer: Any, cutoff: int,
                               workers: int, chunk: int = 1000) -> int:
    """Every action against every other, whatever its theme, in row chunks (for comparison)."""
    import numpy as np
    from rapidfuzz import process, utils

    processed = [utils.default_process(text) for text in texts]
    found = 0
    for start in range(0, len(processed), chunk):
        scores = process.cdist(processed[start:start + chunk], processed[start:],
                               scorer=scorer, score_cutoff=cutoff, dtype=np.uint8,
                               workers=workers)
        found += int(np.count_nonzero(np.triu(scores, k=1)))
    return found


def measure_hostile(inputs: Path, out: Path) -> None:
    """Read and validate one hostile case, in this fresh process; written to out as JSON."""
    from collections import Counter

    from plangen.inputs.read import load_inputs
    from plangen.inputs.validate import check

    imports = max_rss_mb()
    read, read_seconds = timed(lambda: load_inputs(inputs))
    checked, validate_seconds = timed(lambda: check(read))
    codes = Counter(problem.code for problem in checked.problems)
    out.write_text(json.dumps({
        "read": read_seconds, "validate": validate_seconds, "rss": max_rss_mb(),
        "imports": imports, "problems": len(checked.problems), "actions": len(checked.actions),
        "near": codes["near-duplicate"], "acronyms": codes["acronym-not-in-glossary"]}))


def hostile_results(work: Path) -> dict[str, dict[str, Any]]:
    """Each hostile case measured in a fresh process (None for one over HOSTILE_SECONDS)."""
    from hostile import CASES

    results: dict[str, dict[str, Any]] = {}
    for case in CASES:
        inputs = hostile_inputs(case)
        print(f"Measuring the hostile {case.key} …", flush=True)
        out = work / f"hostile-{case.key}.json"
        try:
            subprocess.run([sys.executable, __file__, "--hostile", str(inputs), "--out",
                            str(out)], check=True, timeout=HOSTILE_SECONDS)
            results[case.name] = json.loads(out.read_text())
        except subprocess.TimeoutExpired:
            results[case.name] = {}
    return results


def hostile_report(results: dict[str, dict[str, Any]]) -> str:
    rows = []
    for name, result in results.items():
        if not result:
            rows.append([name, f"over {HOSTILE_SECONDS} s", "", "", "", "", ""])
            continue
        rows.append([name, seconds_text(result["read"]), seconds_text(result["validate"]),
                     f"{result['rss']:.0f} MB (+{result['rss'] - result['imports']:.0f})",
                     f"{result['actions']:,}", f"{result['problems']:,}",
                     f"{result['near']:,} / {result['acronyms']:,}"])
    return "\n".join([
        "### Hostile inputs (read and validate only; peak memory of the process, and above its "
        "imports)", "",
        table(["input", "read", "validate", "peak memory", "actions kept", "problems",
               "near duplicates / acronyms"], rows)])


def measure(inputs: Path, repeat: int, out: Path, docx: Path, experiments: bool) -> None:
    """Everything measured in-process for one size; written to out as JSON."""
    started = time.perf_counter()
    import plangen.build  # noqa: F401  (everything a build imports, docxtpl and pandas too)
    imports = time.perf_counter() - started
    import openpyxl  # noqa: F401  (the bench's own imports, outside any timing)
    import rapidfuzz  # noqa: F401

    result: dict[str, Any] = {"imports": imports, "rss": {"imports": max_rss_mb()}}
    result |= time_runs(inputs, repeat, docx, result["rss"])
    traced, actions = trace_memory(inputs, docx)
    result["traced"] = traced
    if experiments:
        result["near"] = near_experiments(actions)
        result["parallel"] = parallel_experiments(workbooks(inputs)[1:])
    result["rss"]["end"] = max_rss_mb()
    out.write_text(json.dumps(result))


#: The stages of `plangen build` (build.build), in its order. The first four are what the floor
#: does too (read the files, render the document); the others have no counterpart there.
CORE = ("read", "validate", "merge", "render")
STAGES = ("template check", "read", "validate", "merge", "render", "report", "accessibility")


def render_docx(plan: Any, docx: Path) -> None:
    """The render stage as build.build does it: the template filled in with the plan, then
    written atomically."""
    from plangen.files import write_atomically
    from plangen.template.context import context
    from plangen.template.render import render_template

    write_atomically(docx, render_template(TEMPLATE, context(plan)).save)


def build_stages(inputs: Path, docx: Path, stage: Callable[[str, Callable[[], Any]], Any]
                 ) -> tuple[Any, Any]:
    """One build, stage by stage, as build.build does it (no draft, no web page, no PDF):
    `stage(name, function)` runs each. Returns the checked inputs and the placement."""
    from plangen.accessibility.check import check_file
    from plangen.files import write_atomically
    from plangen.inputs.merge import place
    from plangen.inputs.read import load_inputs
    from plangen.inputs.validate import check
    from plangen.outputs.report import report_workbook
    from plangen.template.cache import forget
    from plangen.template.check import check_template

    report = docx.with_name(docx.stem + "-report.xlsx")
    stage("template check", lambda: check_template(TEMPLATE, trial_render=False))
    read = stage("read", lambda: load_inputs(inputs))
    checked = stage("validate", lambda: check(read))
    placement = stage("merge", lambda: place(checked))
    def render() -> None:
        forget()  # what a new process has: the cache on disk, nothing in memory
        render_docx(placement.plan, docx)

    stage("render", render)
    stage("report", lambda: write_atomically(report, report_workbook(
        placement.ledger, checked.problems, placement.fates).save))
    stage("accessibility", lambda: check_file(docx))
    return checked, placement


def time_runs(inputs: Path, repeat: int, docx: Path, rss: dict[str, float]) -> dict[str, Any]:
    """Each stage timed `repeat` times, then the floor and openpyxl on the same content."""
    import gc

    from plangen.template.context import context

    times: dict[str, list[float]] = {stage: [] for stage in
                                     (*STAGES, "floor read", "floor render", "openpyxl read")}
    result: dict[str, Any] = {"times": times}
    paths = workbooks(inputs)

    def stage(name: str, function: Callable[[], T]) -> T:
        value, seconds = timed(function)
        times[name].append(seconds)
        return value

    for run in range(repeat):
        gc.collect()
        checked, placement = build_stages(inputs, docx, stage)
        if run == 0:
            rss["pipeline"] = max_rss_mb()
            result["first run"] = sum(times[name][0] for name in STAGES)
    errors = [str(problem) for problem in checked.errors]
    if errors:
        raise SystemExit(f"{inputs} has errors, so the bench would not be fair:\n"
                         + "\n".join(errors[:20]))
    plan, ledger = placement.plan, placement.ledger
    names = context(plan)
    for _ in range(repeat):
        gc.collect()
        times["floor read"].append(timed(lambda: floor_read(paths))[1])
        times["floor render"].append(timed(lambda: floor_render(TEMPLATE, names))[1])
    rss["floor"] = max_rss_mb()
    for _ in range(max(1, min(repeat, 3))):
        times["openpyxl read"].append(timed(lambda: openpyxl_read(paths))[1])
    times["render, new template"] = new_template_renders(placement.plan, docx, repeat)
    result["returns"] = len(checked.counts)
    result["rows"] = len(checked.actions)  # action rows read and accepted
    result["actions"] = len(plan.actions)  # after merging duplicates
    result["merged"] = sum(entry.merged for entry in ledger)
    result["warnings"] = len(checked.problems)
    return result


def new_template_renders(plan: Any, docx: Path, repeat: int) -> list[float]:
    """The render stage as a template's first build meets it: nothing kept from rendering the
    template before (plangen.template.cache), in memory or on disk."""
    kept = os.environ.get("PLANGEN_CACHE_DIR")
    times = []
    try:
        for _ in range(repeat):
            with tempfile.TemporaryDirectory(prefix="plangen-bench-cache-") as directory:
                os.environ["PLANGEN_CACHE_DIR"] = directory  # a cache of its own: empty
                times.append(timed(lambda: render_docx(plan, docx))[1])
    finally:
        if kept is None:
            os.environ.pop("PLANGEN_CACHE_DIR", None)
        else:
            os.environ["PLANGEN_CACHE_DIR"] = kept
    return times


def trace_memory(inputs: Path, docx: Path) -> tuple[dict[str, float], Any]:
    """What each stage allocates at its peak over what it started with, and the pipeline's
    peak (MB), by tracemalloc; and the checked actions, for the experiments.

    Only Python's allocations are traced: calamine's (Rust) and lxml's (C) are not, which is
    what the process's RSS is for.
    """
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    traced: dict[str, float] = {}

    def stage(name: str, function: Callable[[], T]) -> T:
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        value = function()
        peak = tracemalloc.get_traced_memory()[1]
        traced[name] = (peak - held) / MB
        traced["pipeline"] = max(traced.get("pipeline", 0.0), peak / MB)
        return value

    checked, _ = build_stages(inputs, docx, stage)
    tracemalloc.stop()
    return traced, checked.actions


def near_experiments(actions: Any) -> list[dict[str, Any]]:
    """Near-duplicate detection over the plan's distinct actions, timed several ways."""
    from rapidfuzz import fuzz

    distinct = actions.drop_duplicates(["theme", "key"])
    by_theme = [list(group["action"]) for _theme, group in distinct.groupby("theme", sort=False)]
    pairs = sum(len(texts) * (len(texts) - 1) // 2 for texts in by_theme)
    largest = max(len(texts) for texts in by_theme)
    variants: list[tuple[str, Callable[[list[str]], set[tuple[int, int]]]]] = [
        ("ratio, 1 thread", lambda texts: near_duplicates(texts, workers=1)),
        ("ratio, all cores (every pair scored)", lambda texts: near_duplicates(texts)),
        ("letter counts bound each pair first, then ratio (the validator's checks.alike_pairs)",
         lambda texts: bounded_near_duplicates(texts)),
        ("ratio, all cores, choices a copy (every pair scored twice)",
         lambda texts: near_duplicates(texts, symmetric=False)),
        ("words ≥ 60 first, then ratio, all cores",
         lambda texts: near_duplicates_by_words(texts)),
        ("token_sort_ratio, all cores",
         lambda texts: near_duplicates(texts, fuzz.token_sort_ratio)),
    ]
    if pairs < 2_000_000:  # these take minutes at 15,000 actions
        variants += [("token_set_ratio, all cores",
                      lambda texts: near_duplicates(texts, fuzz.token_set_ratio)),
                     ("WRatio (as suggest.py), all cores",
                      lambda texts: near_duplicates(texts, fuzz.WRatio))]
    rows: list[dict[str, Any]] = []
    reference: list[set[tuple[int, int]]] = []
    for label, find in variants:
        found, seconds = timed(lambda: [find(texts) for texts in by_theme])  # noqa: B023
        if not reference:
            reference = found
        rows.append({"label": f"within each theme: {label}", "seconds": seconds,
                     "pairs": pairs, "largest": largest, "found": sum(map(len, found)),
                     "same": found == reference})
    everything = list(distinct["action"])
    count, seconds = timed(lambda: near_duplicates_everywhere(everything, fuzz.ratio, 90, -1))
    rows.append({"label": "whole plan, every theme together: ratio, all cores",
                 "seconds": seconds, "pairs": len(everything) * (len(everything) - 1) // 2,
                 "largest": len(everything), "found": count, "same": None})
    return rows


def parallel_experiments(returns: Sequence[Path]) -> list[dict[str, Any]]:
    """Reading the returns one after another, in two threads, and in two processes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
    from functools import partial

    from plangen.inputs.read import read_book
    from plangen.inputs.schema import RETURN

    def names(paths: Sequence[Path]) -> list[str]:
        return [f"returns/{path.name}" for path in paths]

    read = partial(read_book, schema=RETURN)
    cores = os.cpu_count() or 1
    rows: list[dict[str, Any]] = []

    def best(function: Callable[[], Any]) -> float:
        return min(timed(function)[1] for _ in range(3))

    rows.append({"label": "plangen read_book, one after another",
                 "seconds": best(lambda: [read(path, name) for path, name in
                                          zip(returns, names(returns), strict=True)])})
    with ThreadPoolExecutor(cores) as pool:
        rows.append({"label": f"plangen read_book, {cores} threads",
                     "seconds": best(lambda: list(pool.map(read, returns, names(returns))))})
    for method in ("fork", "forkserver"):
        context = multiprocessing.get_context(method)

        def in_processes() -> list[Any]:
            with ProcessPoolExecutor(cores, mp_context=context) as pool:  # noqa: B023
                chunk = max(1, len(returns) // (cores * 4))
                return list(pool.map(read, returns, names(returns), chunksize=chunk))

        rows.append({"label": f"plangen read_book, {cores} processes ({method}, "
                     "pool started each time)", "seconds": best(in_processes)})
    import plangen.inputs.read

    inputs = returns[0].parent.parent if returns else Path()
    shipped = plangen.inputs.read.READ_THREADS
    for threads in sorted({1, shipped}):
        plangen.inputs.read.READ_THREADS = threads
        rows.append({"label": f"plangen load_inputs (the build's read), READ_THREADS = {threads}"
                     + (" (as shipped)" if threads == shipped else ""),
                     "seconds": best(lambda: plangen.inputs.read.load_inputs(inputs))})
    plangen.inputs.read.READ_THREADS = shipped
    rows.append({"label": "bare calamine, one after another",
                 "seconds": best(lambda: [floor_read_one(path) for path in returns])})
    with ThreadPoolExecutor(cores) as pool:
        rows.append({"label": f"bare calamine, {cores} threads",
                     "seconds": best(lambda: list(pool.map(floor_read_one, returns)))})
    return rows


def floor_read_one(path: Path) -> int:
    return floor_read([path])


# --- Measuring from outside: the command as a user runs it -------------------------------------

def run(command: Sequence[str]) -> tuple[float, float, int]:
    """Wall time, maximum RSS (MB) and exit code of one child process (its messages are
    shown only if it fails)."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            stderr.seek(0)
            sys.stderr.write(stderr.read().decode(errors="replace")[-4000:])
    return seconds, usage.ru_maxrss / 1024, code


def startup(runs: int = 15) -> dict[str, Any]:
    """`plangen --help` and `--version` as new processes, and what importing costs."""
    plangen = str(BIN / "plangen")
    result: dict[str, Any] = {}
    for label, command in (("python -c pass", [sys.executable, "-c", "pass"]),
                           ("plangen --version", [plangen, "--version"]),
                           ("plangen --help", [plangen, "--help"])):
        run(command)  # warm the file cache
        result[label] = statistics.median(run(command)[0] for _ in range(runs))
    result["importtime"] = import_offenders([sys.executable, "-X", "importtime", "-c",
                                             "import plangen.cli"])
    result["importtime build"] = import_offenders([sys.executable, "-X", "importtime", "-c",
                                                   "import plangen.build"])
    return result


def import_offenders(command: Sequence[str], top: int = 8) -> list[tuple[str, float]]:
    """The packages that take longest to import (median ms over 5 runs), by top-level name."""
    runs = []
    for _ in range(5):
        stderr = subprocess.run(command, capture_output=True, text=True, check=True).stderr
        found: dict[str, float] = {}
        for line in stderr.splitlines():
            match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| +(\S+)", line)
            if match:
                package = match.group(2).split(".")[0]
                found[package] = max(found.get(package, 0.0), int(match.group(1)) / 1000)
        runs.append(found)
    names = set().union(*runs) - {"plangen"}
    medians = {name: statistics.median(found.get(name, 0.0) for found in runs)
               for name in names}
    return sorted(medians.items(), key=lambda item: -item[1])[:top]


def cli_build(inputs: Path, output: Path, repeat: int) -> tuple[float, float]:
    """`plangen build` as a new process: median wall time and its maximum RSS."""
    command = [str(BIN / "plangen"), "build", "--inputs", str(inputs), "--template",
               str(TEMPLATE), "--output", str(output)]
    runs = [run(command) for _ in range(repeat)]
    if any(code != 0 for _, _, code in runs):
        raise SystemExit(f"plangen build failed on {inputs}")
    return statistics.median(s for s, _, _ in runs), max(m for _, m, _ in runs)


def pdf(docx: Path, folder: Path) -> float | None:
    """Seconds plangen's PDF stage (publish.write_pdf, as `plangen build --pdf` runs it: a new
    LibreOffice profile, the tagged-PDF macro) takes on docx; None without LibreOffice."""
    from plangen.errors import LibreOfficeMissing
    from plangen.outputs.pdf import find_libreoffice, write_pdf

    try:
        find_libreoffice()
    except LibreOfficeMissing:
        return None
    return timed(lambda: write_pdf(docx, folder / docx.with_suffix(".pdf").name))[1]


# --- The report --------------------------------------------------------------------------------

def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def seconds_text(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows,
                                                                        strict=True)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(str(c).rjust(w) if i else str(c).ljust(w)
                                for i, (c, w) in enumerate(zip(row, widths, strict=True))) + " |"
              for row in rows]
    return "\n".join(lines)


def report(results: dict[str, dict[str, Any]], start: dict[str, Any], machine: str) -> str:
    out: list[str] = [f"plangen bench · {machine}", ""]
    rows, extra, memory, user, first = [], [], [], [], []
    short = {"template check": "template", "accessibility": "access."}
    for name, r in results.items():
        t = {stage: median(values) for stage, values in r["times"].items()}
        total = sum(t[stage] for stage in CORE)
        whole = sum(t[stage] for stage in STAGES)
        floor = t["floor read"] + t["floor render"]
        r["total"], r["whole"], r["floor"] = total, whole, floor
        r["ratio"], r["whole ratio"] = total / floor, whole / floor
        new_total = total - t["render"] + t["render, new template"]
        r["new template ratio"] = new_total / floor
        first.append([name, seconds_text(t["render"]), seconds_text(t["render, new template"]),
                      f"{r['ratio']:.2f}", f"{r['new template ratio']:.2f}"])
        rows.append([name, str(r["returns"]), f"{r['rows']:,}", f"{r['actions']:,}",
                     *(seconds_text(t[stage]) for stage in CORE), seconds_text(total),
                     seconds_text(floor), f"{r['ratio']:.2f}"])
        extra.append([name, *(seconds_text(t[stage]) for stage in STAGES if stage not in CORE),
                      seconds_text(whole), f"{r['whole ratio']:.2f}"])
        user.append([name, seconds_text(r["cli"]), seconds_text(r["imports"]),
                     seconds_text(r["first run"]), seconds_text(r.get("pdf"))])
        traced, rss = r["traced"], r["rss"]
        per_k = 1000 / r["rows"] if r["rows"] >= 1000 else None
        memory.append([name, *(f"{traced[stage]:.1f}" for stage in STAGES),
                       f"{traced['pipeline']:.1f}",
                       f"{traced['pipeline'] * per_k:.1f}" if per_k else "–",
                       f"{rss['pipeline']:.0f}",
                       f"{(rss['pipeline'] - rss['imports']) * per_k:.1f}" if per_k else "–",
                       f"{r['cli rss']:.0f}"])
    out.append("Time in one process, imports done (median of runs; plangen = read + validate + "
               "merge + render, the work the floor does too; floor = bare calamine read + bare "
               "docxtpl render)")
    out.append(table(["size", "returns", "action rows", "plan actions", *CORE, "plangen",
                      "floor", "ratio"], rows))
    out.append("")
    out.append("The rest of `plangen build`, which the floor has no counterpart for, and the "
               "whole build (all seven stages) over the same floor")
    out.append(table(["size", *(stage for stage in STAGES if stage not in CORE), "whole build",
                      "whole build / floor"], extra))
    out.append("")
    for name, r in results.items():
        out.append(f"{name}: ratio to floor: {r['ratio']:.2f} (whole build: "
                   f"{r['whole ratio']:.2f})")
    out.append("")
    out.append("A template's first build: the render above is a rebuild, which finds docxtpl's "
               "Jinja source and the compiled template kept from the build before "
               "(plangen.template.cache); a new or edited template is rendered without them")
    out.append(table(["size", "render", "render, new template", "ratio",
                      "ratio, new template"], first))
    out.append("")
    out.append("As a user meets it: `plangen build` as a new process (median), what importing "
               "plangen's modules takes, the first (cold) build in a process, and LibreOffice's "
               "PDF of the result")
    out.append(table(["size", "`plangen build`", "imports", "first build in-process", "PDF"],
                     user))
    out.append("")
    out.append("Memory (MB; traced = Python allocations at each stage's peak over what it "
               "started with; RSS = the process's high-water mark)")
    out.append(table(["size", *(short.get(stage, stage) for stage in STAGES), "pipeline peak",
                      "per 1000 rows", "RSS", "RSS over imports per 1000 rows",
                      "`plangen build` RSS"], memory))
    out.append("")
    reading = []
    for name, r in results.items():
        calamine, openpyxl = median(r["times"]["floor read"]), median(r["times"]["openpyxl read"])
        reading.append([name, str(len(r["paths"])), seconds_text(median(r["times"]["read"])),
                        seconds_text(calamine), seconds_text(openpyxl),
                        f"{openpyxl / calamine:.1f}×"])
    out.append("Reading the same files (every sheet of every workbook)")
    out.append(table(["size", "workbooks", "plangen read", "bare calamine", "openpyxl read-only",
                      "calamine speed-up"], reading))
    for name, r in results.items():
        if "near" in r:
            out += ["", f"Near-duplicate actions at {name} ({r['rows']:,} rows; distinct "
                    "actions compared, score cutoff 90, default_process, uint8 scores)"]
            same = {True: "yes", False: "no", None: "–"}
            out.append(table(["method", "pairs", "largest group", "time", "pairs found",
                              "same pairs as ratio"],
                             [[n["label"], f"{n['pairs']:,}", f"{n['largest']:,}",
                               seconds_text(n["seconds"]), f"{n['found']:,}", same[n["same"]]]
                              for n in r["near"]]))
    for name, r in results.items():
        if "parallel" in r:
            out += ["", f"Reading the {r['returns']} returns of {name} in parallel "
                    f"(best of 3; {os.cpu_count()} cores)"]
            out.append(table(["how", "time"], [[p["label"], seconds_text(p["seconds"])]
                                               for p in r["parallel"]]))
    out += ["", "Start-up (median of 15 new processes)"]
    out.append(table(["command", "time"], [[label, seconds_text(start[label])] for label in
                                            ("python -c pass", "plangen --version",
                                             "plangen --help")]))
    out.append("Slowest imports for `plangen --help` (import plangen.cli): " + ", ".join(
        f"{name} {ms:.0f} ms" for name, ms in start["importtime"]))
    out.append("Slowest imports for `plangen build` (import plangen.build): " + ", ".join(
        f"{name} {ms:.0f} ms" for name, ms in start["importtime build"]))
    out += ["", "Targets"]
    out += targets(results, start)
    return "\n".join(out)


def targets(results: dict[str, dict[str, Any]], start: dict[str, Any]) -> list[str]:
    def line(ok: bool, text: str) -> str:
        return f"  [{'met' if ok else 'MISSED'}] {text}"

    lines = []
    county = results.get("60 × 50")
    if county is not None:
        lines.append(line(county["cli"] < TARGET_BUILD_SECONDS,
                          f"validate + build of 60 × 50 under {TARGET_BUILD_SECONDS:.0f} s: "
                          f"`plangen build` {seconds_text(county['cli'])} as a new process "
                          f"(in-process {seconds_text(county['whole'])})"))
    ratios = ", ".join(f"{name} {r['ratio']:.2f}" for name, r in results.items())
    new = ", ".join(f"{name} {r['new template ratio']:.2f}" for name, r in results.items())
    lines.append(line(all(r["ratio"] <= TARGET_RATIO for r in results.values()),
                      f"ratio to the floor at most {TARGET_RATIO}: {ratios}"))
    lines.append(line(all(r["new template ratio"] <= TARGET_RATIO for r in results.values()),
                      f"the same for a template's first build: {new}"))
    slowest = max(start["plangen --help"], start["plangen --version"])
    lines.append(line(slowest < TARGET_START_SECONDS,
                      f"plangen --help and --version under {TARGET_START_SECONDS * 1000:.0f} ms:"
                      f" {seconds_text(start['plangen --help'])} and "
                      f"{seconds_text(start['plangen --version'])}"))
    big = [(name, r) for name, r in results.items() if r["rows"] >= 1000]
    if len(big) >= 2:
        per_k = [(name, r["traced"]["pipeline"] * 1000 / r["rows"]) for name, r in big]
        spread = max(v for _, v in per_k) / min(v for _, v in per_k)
        lines.append(line(spread < 1.5, "memory grows linearly with the actions: "
                          + ", ".join(f"{name} {v:.1f} MB per 1000 rows" for name, v in per_k)
                          + f" (largest/smallest {spread:.2f})"))
    speedups = [median(r["times"]["openpyxl read"]) / median(r["times"]["floor read"])
                for r in results.values()]
    lines.append(line(min(speedups) > 1, "reading with calamine, faster than openpyxl: "
                      + ", ".join(f"{s:.1f}×" for s in speedups)))
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", ""),
                        help="comma-separated: sample,60x50,300x50,hostile (default: all)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--docx", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--experiments", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--hostile", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure is not None:  # the child process for one size
        measure(args.measure, args.repeat, args.out, args.docx, args.experiments)
        return
    if args.hostile is not None:  # the child process for one hostile case
        measure_hostile(args.hostile, args.out)
        return

    wanted = [s for s in args.sizes.split(",") if s]
    sizes = [size for size in SIZES if not wanted or size.key in wanted]
    pdf_setting = os.environ.get("BENCH_PDF", "")
    work = Path(tempfile.mkdtemp(prefix="plangen-bench-run-"))
    results: dict[str, dict[str, Any]] = {}
    hostile: dict[str, dict[str, Any]] = {}
    start: dict[str, Any] = {}
    try:
        folders = {size.name: inputs_for(size) for size in sizes}
        for size in sizes:
            inputs = folders[size.name]
            print(f"Measuring {size.name} ({inputs}) …", flush=True)
            out, docx = work / f"{size.key}.json", work / f"{size.key}.docx"
            command = [sys.executable, __file__, "--measure", str(inputs), "--repeat",
                       str(size.repeat), "--out", str(out), "--docx", str(docx)]
            if size.returns is not None and not size.next_year:
                command.append("--experiments")
            # A template cache of the size's own, filled by one build before (the analyst's
            # last run), so every timed build is a rebuild; each render reads the cache from
            # disk, as a new process does. new_template_renders times a first build.
            os.environ["PLANGEN_CACHE_DIR"] = str(work / f"{size.key}-cache")
            cli_build(inputs, work / f"{size.key}-cli.docx", 1)
            subprocess.run(command, check=True)
            result = json.loads(out.read_text())
            result["paths"] = [str(path) for path in workbooks(inputs)]
            result["cli"], result["cli rss"] = cli_build(inputs, work / f"{size.key}-cli.docx",
                                                         size.repeat)
            wants_pdf = pdf_setting == "1" or (pdf_setting != "0" and size.returns != 300)
            if wants_pdf:
                result["pdf"] = pdf(docx, work)
            results[size.name] = result
        if sizes:
            start = startup()
        if not wanted or HOSTILE in wanted:
            hostile = hostile_results(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    machine = (f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, "
               f"{time.strftime('%Y-%m-%d %H:%M')}, load average at the end {load} (other "
               "work on the machine slows every figure)")
    print()
    if sizes:
        print(report(results, start, machine))
    if hostile:
        print(f"{hostile_report(hostile)}\n\n{machine}." if not sizes else
              f"\n{hostile_report(hostile)}")


if __name__ == "__main__":
    main()
