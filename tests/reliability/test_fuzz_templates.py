"""Template fuzzer: whatever a schedule file holds, loading it ends well and quickly.

Every case either loads, with no control character in any title, label or detail (the
loader refuses them: `opsplanner/safe_text.py`), or raises ScheduleError whose problems are
each one line ``FILE:LINE:COL: message`` pointing inside the file; never any other
exception. Inputs: mutated and truncated copies of the bundled templates, values
of the wrong type put into the real template, random bytes and text, deep nesting, files
over the size limit and dense ones just under it, alias bombs (also through `extends:`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from time import perf_counter

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsplanner.safe_text import first_unsafe
from opsplanner.schedule.errors import ScheduleError
from opsplanner.schedule.loader import MAX_FILE_BYTES, load_schedule
from opsplanner.schedule.models import Schedule
from opsplanner.schedule.paths import bundled_dir
from tests.conftest import harness_log
from tests.reliability.hostile import HOSTILE_TEXT

PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: \S")
# The line breaks PyYAML counts (its marks are what problems report).
YAML_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
TEMPLATE_NAMES = ("taobao-operator.yaml", "taobao-operator.zh.yaml")
TEMPLATES: dict[str, str] = {
    name: (bundled_dir() / name).read_text(encoding="utf-8") for name in TEMPLATE_NAMES
}
FUZZ = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

CASES: Counter[str] = Counter()
SLOWEST: dict[str, float] = {}


@pytest.fixture(scope="module", autouse=True)
def report_case_counts() -> Iterator[None]:
    started = perf_counter()
    yield
    total = sum(CASES.values())
    detail = ", ".join(
        f"{kind} {count} (slowest {SLOWEST[kind]:.3f}s)" for kind, count in sorted(CASES.items())
    )
    harness_log(f"template fuzzer: {total} cases in {perf_counter() - started:.1f}s: {detail}")


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-templates")


# ---------------------------------------------------------------- the oracle


def _is(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except OSError:  # a name too long to look up
        return False


def _lines_of(path: Path) -> list[str]:
    """The file's lines as the loader counts them (characters, YAML line breaks); a device or
    folder has one empty line (its problems can only be at 1:1)."""
    if not _is(path.is_file):
        return [""]
    with path.open("rb") as stream:
        raw = stream.read(MAX_FILE_BYTES + 1)
    return YAML_LINE_BREAK.split(raw.decode("utf-8-sig", errors="replace"))


def _shown(data: bytes) -> str:
    return repr(data[:300]) + (f" … ({len(data):,} bytes)" if len(data) > 300 else "")


def check_case(path: Path, kind: str, data: bytes | None = None) -> None:
    """Load ``path`` (writing ``data`` there first) and hold the result to the contract."""
    if data is not None:
        path.write_bytes(data)
    content = path.read_bytes()[: MAX_FILE_BYTES + 1] if _is(path.is_file) else b""
    started = perf_counter()
    try:
        schedule = load_schedule(path)
    except ScheduleError as error:
        elapsed = perf_counter() - started
        _check_problems(error, path, content)
    except Exception as error:
        pytest.fail(
            f"{kind}: load_schedule raised {type(error).__name__}: {error!s:.300} "
            f"for {_shown(content)}"
        )
    else:
        elapsed = perf_counter() - started
        for what, text in _texts(schedule):
            unsafe = first_unsafe(text, line_breaks=what == "detail")
            assert unsafe is None, (
                f"{kind}: a {what} holds {unsafe}: {text!r} from {_shown(content)}"
            )
    CASES[kind] += 1
    SLOWEST[kind] = max(SLOWEST.get(kind, 0.0), elapsed)  # reported, never asserted: the
    # loader's own size, node and alias limits bound the work, whatever the machine's load


def _texts(schedule: Schedule) -> Iterator[tuple[str, str]]:
    """Every text a loaded schedule will show: ids, titles, labels, details."""
    yield "id", schedule.id
    yield "title", schedule.title
    for metric in schedule.metrics:
        yield "label", metric.label
    for block in schedule.blocks:
        yield "title", block.title
    for task in schedule.tasks():
        yield "title", task.title
        yield "detail", task.detail
    for campaign in schedule.campaigns:
        yield "title", campaign.title
        for item in campaign.tasks:
            yield "title", item.title
            yield "detail", item.detail


def _check_problems(error: ScheduleError, path: Path, content: bytes) -> None:
    assert error.problems, f"ScheduleError without problems for {_shown(content)}"
    text = str(error)
    assert len(text.split("\n")) == len(error.problems), f"a problem spans lines: {text!r:.500}"
    files: dict[str, list[str]] = {}
    for problem in error.problems:
        line = str(problem)
        assert "\r" not in line, f"a problem spans lines: {line!r}"
        assert PROBLEM_LINE.match(line), f"not FILE:LINE:COL: message: {line!r}"
        assert line.startswith(f"{problem.file}:{problem.line}:{problem.column}: ")
        if problem.file not in files and not _is(Path(problem.file).exists):
            assert (problem.line, problem.column) == (1, 1), line
            continue
        if problem.file not in files:
            source = Path(problem.file)
            assert _is(source.exists) or problem.message.startswith("cannot read"), (
                f"problem names no file: {line!r}"
            )
            files[problem.file] = _lines_of(source)
        lines = files[problem.file]
        assert 1 <= problem.line <= len(lines), (
            f"line {problem.line} outside the file ({len(lines)} lines): {line!r:.300} "
            f"for {_shown(content)}"
        )
        width = len(lines[problem.line - 1])
        assert 1 <= problem.column <= width + 1, (
            f"column {problem.column} outside line {problem.line} ({width} characters): "
            f"{line!r:.300} for {_shown(content)}"
        )


# ---------------------------------------------------------------- mutated templates


def _pick(draw: st.DrawFn, items: list[str]) -> int:
    return draw(st.integers(0, len(items) - 1))


def _delete(draw: st.DrawFn, lines: list[str]) -> None:
    del lines[_pick(draw, lines)]


def _duplicate(draw: st.DrawFn, lines: list[str]) -> None:
    index = _pick(draw, lines)
    lines.insert(index, lines[index])


def _swap(draw: st.DrawFn, lines: list[str]) -> None:
    first, second = _pick(draw, lines), _pick(draw, lines)
    lines[first], lines[second] = lines[second], lines[first]


def _replace_char(draw: st.DrawFn, lines: list[str]) -> None:
    index = _pick(draw, lines)
    line = lines[index]
    at = draw(st.integers(0, max(0, len(line) - 1)))
    lines[index] = line[:at] + draw(st.characters()) + line[at + 1 :]


def _reindent(draw: st.DrawFn, lines: list[str]) -> None:
    index = _pick(draw, lines)
    body = lines[index].lstrip(" ")
    indent = draw(st.sampled_from(["", " ", "   ", "\t", " \t", "      ", " " * 40]))
    lines[index] = indent + body


def _inject(draw: st.DrawFn, lines: list[str]) -> None:
    index = _pick(draw, lines)
    line = lines[index]
    at = draw(st.integers(0, len(line)))
    junk = draw(
        st.one_of(
            st.text(min_size=1, max_size=12),
            st.sampled_from(
                [
                    "\u2028",
                    "\x85",
                    "\ufeff",
                    "\r",
                    "\t",
                    "\x00",
                    "\u202e",
                    "：",
                    "　",
                    "＃",
                    "｛",
                    "］",
                    "\U0001f600",
                    "&a",
                    "*a",
                    "!!",
                    "? ",
                    "- ",
                    ": ",
                    "|",
                    ">",
                    "%YAML 1.1\n",
                    "---\n",
                    "...\n",
                    "'",
                    '"',
                    "#",
                ]
            ),
        )
    )
    lines[index] = line[:at] + junk + line[at:]


MUTATIONS: tuple[Callable[[st.DrawFn, list[str]], None], ...] = (
    _delete,
    _duplicate,
    _swap,
    _replace_char,
    _reindent,
    _inject,
)


@st.composite
def mutated_templates(draw: st.DrawFn) -> bytes:
    text = TEMPLATES[draw(st.sampled_from(TEMPLATE_NAMES))]
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        draw(st.sampled_from(MUTATIONS))(draw, lines)
    data = "".join(lines).encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def truncated_templates(draw: st.DrawFn) -> bytes:
    data = TEMPLATES[draw(st.sampled_from(TEMPLATE_NAMES))].encode()
    return data[: draw(st.integers(0, len(data)))]


@settings(FUZZ, max_examples=400)
@given(data=mutated_templates())
def test_mutated_templates(case_dir: Path, data: bytes) -> None:
    check_case(case_dir / "mutated.yaml", "mutated", data)


@settings(FUZZ, max_examples=150)
@given(data=truncated_templates())
def test_templates_truncated_at_any_byte(case_dir: Path, data: bytes) -> None:
    check_case(case_dir / "truncated.yaml", "truncated", data)


# ---------------------------------------------------------------- wrong types


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of every node below the root."""
    spans: list[tuple[int, int]] = []
    pending: list[yaml.Node] = [yaml.compose(text, Loader=yaml.SafeLoader)]
    while pending:
        node = pending.pop()
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        for child in children:
            spans.append((child.start_mark.index, child.end_mark.index))
            pending.append(child)
    return sorted(set(spans))


SPANS = {name: _spans(text) for name, text in TEMPLATES.items()}

WRONG_VALUES = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(repr),
    st.text(max_size=30).map(json.dumps),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30).map(
        lambda s: json.dumps(s, ensure_ascii=False)
    ),
    st.sampled_from(
        [
            "[]",
            "{}",
            "[1, 2]",
            "{a: 1}",
            "[[[]]]",
            "{id: {id: {id: x}}}",
            "~",
            "null",
            "true",
            "no",
            "''",
            '""',
            "' '",
            "0",
            "-1",
            "1e999",
            ".inf",
            "-.nan",
            "0x1F",
            "0o17",
            "1_000",
            "2026-02-30",
            "2026-13-01",
            "0000-00-00",
            "99999-01-01",
            "25:61",
            "24:00",
            "8:30",
            '"08:30"',
            "-1d",
            "+99999999999999999999d",
            "1w",
            "20%",
            "-100%",
            "1e3%",
            "%",
            "!!binary aGk=",
            "!!python/object/apply:os.system ['true']",
            "!!set {a}",
            "!!omap []",
            "!custom x",
            "*nope",
            "&x 1",
            "? complex",
            "[*undefined]",
            '"\\u0000"',
            '"\\x85"',
            '"\\ud83d"',
            '"\\U0010ffff"',
            '"\\t\\n"',
            "'''",
            '"a\\\nb"',
            "日本語",
            "Ｔｉｔｌｅ",
            "RRULE:FREQ=SECONDLY",
            "RRULE:FREQ=DAILY;COUNT=0",
            "RRULE:",
            "every 0 days",
            "every 99999999999999999999 days",
            "monthly on 32",
            "weekly on",
            "every -1 days",
            "visitors < ",
            "visitors drops 1e999% vs avg7",
            "(((((((((((1)))))))))))",
            "visitors / 0",
            "__import__('os')",
            "orders / visitors * 100 +",
            "Asia/Nowhere",
            "../../../../etc/passwd",
            "/dev/zero",
            "/",
            "UTC",
            "carry",
            "expire",
            "yesterday",
        ]
    ),
)


@st.composite
def wrong_typed_templates(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(TEMPLATE_NAMES))
    text = TEMPLATES[name]
    spans = SPANS[name]
    for _ in range(draw(st.integers(1, 3))):
        start, end = spans[draw(st.integers(0, len(spans) - 1))]
        if end > len(text):
            continue
        text = text[:start] + draw(WRONG_VALUES) + text[end:]
    return text.encode("utf-8", errors="surrogatepass")


@settings(FUZZ, max_examples=300)
@given(data=wrong_typed_templates())
def test_values_of_the_wrong_type(case_dir: Path, data: bytes) -> None:
    check_case(case_dir / "wrong-types.yaml", "wrong-types", data)


@st.composite
def hostile_titles(draw: st.DrawFn) -> bytes:
    """The real template with titles, labels and details replaced by markup and control
    pieces, written as YAML escapes ("\\e[2J") or, now and then, as raw characters."""
    text = TEMPLATES[draw(st.sampled_from(TEMPLATE_NAMES))]
    fields = list(re.finditer(r"((?:title|label|detail): )([^\n{}]+)", text))
    for match in sorted(
        draw(st.lists(st.sampled_from(fields), min_size=1, max_size=4, unique_by=id)),
        key=lambda m: m.start(),
        reverse=True,
    ):
        value = draw(HOSTILE_TEXT)
        written = json.dumps(value) if draw(st.integers(0, 4)) else f'"{value}"'
        text = text[: match.start(2)] + written + text[match.end(2) :]
    return text.encode("utf-8", errors="surrogatepass")


@settings(FUZZ, max_examples=200)
@given(data=hostile_titles())
def test_titles_with_markup_and_control_characters(case_dir: Path, data: bytes) -> None:
    check_case(case_dir / "hostile-titles.yaml", "hostile titles", data)


# ---------------------------------------------------------------- random input


@settings(FUZZ, max_examples=250)
@given(data=st.binary(max_size=2000))
def test_random_bytes(case_dir: Path, data: bytes) -> None:
    check_case(case_dir / "bytes.yaml", "random-bytes", data)


YAMLISH = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("[]{}:-,?&*!|>'\"#%@` \n\t\r0123456789abc._")), st.characters()
    ),
    max_size=300,
)


@settings(FUZZ, max_examples=250)
@given(text=st.one_of(st.text(max_size=300), YAMLISH))
def test_random_text(case_dir: Path, text: str) -> None:
    check_case(case_dir / "text.yaml", "random-text", text.encode("utf-8", errors="surrogatepass"))


# ---------------------------------------------------------------- deep nesting


DEPTHS = (100, 1_000, 5_000, 50_000)


def _valid_prefix(value: str) -> str:
    return f"schedule: deep\ntitle: {value}\nblocks: []\n"


NESTINGS: dict[str, Callable[[int], str]] = {
    "flow-lists": lambda n: "[" * n + "]" * n,
    "flow-maps": lambda n: "{a: " * n + "1" + "}" * n,
    "unclosed-lists": lambda n: "[" * n,
    "mixed": lambda n: "[{a: " * (n // 2) + "x" + "}]" * (n // 2),
    "block-lists": lambda n: "- " * n + "x\n",
    "block-maps": lambda n: "".join(" " * i + "a:\n" for i in range(min(n, 1_000))) + "x",
    "title-nested": lambda n: _valid_prefix("[" * n + "]" * n),
    "blocks-nested": lambda n: "schedule: x\ntitle: y\nblocks: " + "[" * n + "]" * n + "\n",
    "tasks-nested": lambda n: (
        "schedule: x\ntitle: y\nblocks:\n  - {id: b, title: t, start: '08:00', end: '09:00', "
        "tasks: " + "[{id: " * n + "x" + "}]" * n + "}\n"
    ),
}


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("shape", sorted(NESTINGS))
def test_deep_nesting(case_dir: Path, shape: str, depth: int) -> None:
    check_case(case_dir / f"deep-{shape}.yaml", "deep-nesting", NESTINGS[shape](depth).encode())


def _formula_chain(length: int, cycle: bool) -> str:
    metrics = "".join(f"  m{i}: {{label: m, formula: m{i + 1} + 1}}\n" for i in range(length))
    last = "  m{n}: {{label: m, formula: m0 + 1}}\n" if cycle else "  m{n}: {{label: m}}\n"
    return (
        "schedule: x\ntitle: y\nmetrics:\n"
        + metrics
        + last.format(n=length)
        + "blocks:\n  - {id: b, title: t, start: '08:00', end: '09:00', tasks: "
        "[{id: t, title: t, metrics: [m0], checks: ['m0 < 1']}]}\n"
    )


@pytest.mark.parametrize("cycle", [False, True])
@pytest.mark.parametrize("length", [10, 1_500, 4_000])
def test_deep_formula_dependencies(case_dir: Path, length: int, cycle: bool) -> None:
    check_case(
        case_dir / "formula-chain.yaml", "deep-nesting", _formula_chain(length, cycle).encode()
    )


def test_a_short_formula_chain_loads(case_dir: Path) -> None:
    path = case_dir / "short-chain.yaml"
    path.write_text(_formula_chain(10, cycle=False), encoding="utf-8")
    assert load_schedule(path).metric("m0") is not None


# ---------------------------------------------------------------- huge files


def _many(item: str, size: int) -> str:
    return item * (size // len(item))


HUGE: dict[str, Callable[[], bytes]] = {
    # Over the limit: refused before parsing.
    "comment-padding": lambda: (TEMPLATES[TEMPLATE_NAMES[0]] + "#" * MAX_FILE_BYTES).encode(),
    "long-title": lambda: _valid_prefix("x" * (2 * MAX_FILE_BYTES)).encode(),
    "zeros": lambda: b"\0" * (MAX_FILE_BYTES + 1),
    "random-5mb": lambda: bytes(range(256)) * (5 * MAX_FILE_BYTES // 256),
    # Just under the limit, as dense as YAML gets.
    "flow-list": lambda: (
        "schedule: x\ntitle: y\nblocks: [" + _many("1,", MAX_FILE_BYTES - 60) + "1]\n"
    ).encode(),
    "block-list": lambda: (
        "schedule: x\ntitle: y\nblocks:\n" + _many("- 1\n", MAX_FILE_BYTES - 60)
    ).encode(),
    "mapping": lambda: ("".join(f"k{i}: {i}\n" for i in range(80_000))).encode(),
    "metrics": lambda: (
        "schedule: x\ntitle: y\nblocks: []\nmetrics:\n"
        + "".join(f"  m{i}: {{label: m}}\n" for i in range(40_000))
    ).encode(),
    "blocks": lambda: (
        "schedule: x\ntitle: y\nblocks:\n"
        + "".join(
            f"  - {{id: b{i}, title: t, start: '08:00', end: '09:00'}}\n" for i in range(15_000)
        )
    ).encode(),
    "tasks": lambda: (
        "schedule: x\ntitle: y\nblocks:\n  - id: b\n    title: t\n"
        "    start: '08:00'\n    end: '09:00'\n    tasks:\n"
        + "".join(f"      - {{id: t{i}, title: t, metrics: [m{i}]}}\n" for i in range(20_000))
    ).encode(),
    "long-string": lambda: _valid_prefix("x" * (MAX_FILE_BYTES - 100)).encode(),
    "long-lines": lambda: _many("#" * 10_000 + "\n", MAX_FILE_BYTES - 10).encode(),
    "empty-lines": lambda: b"\n" * (MAX_FILE_BYTES - 10),
}


@pytest.mark.parametrize("kind", sorted(HUGE))
def test_huge_files(case_dir: Path, kind: str) -> None:
    check_case(case_dir / f"huge-{kind}.yaml", "huge", HUGE[kind]())


# ---------------------------------------------------------------- alias bombs


def _laughs(levels: int, first: str = "[lol, lol, lol, lol, lol, lol, lol, lol, lol]") -> str:
    lines = [f"  - &l0 {first}"]
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"  - &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


def _map_laughs(levels: int, fan: int = 9) -> str:
    """Mappings of mappings through aliases: each level multiplies the tree by ``fan``."""
    lines = ["  m0: &m0 {" + ", ".join(f"k{j}: v" for j in range(fan)) + "}"]
    for level in range(1, levels):
        refs = ", ".join(f"k{j}: *m{level - 1}" for j in range(fan))
        lines.append(f"  m{level}: &m{level} {{{refs}}}")
    return "\n".join(lines) + "\n"


BLOCK = "{id: b, title: t, start: '08:00', end: '09:00', tasks: [{id: t, title: t}]}"
TASK = "{id: t, title: t, checks: [x < 1]}"
BOMBS: dict[str, str] = {
    "classic": "lols:\n" + _laughs(9) + "schedule: x\ntitle: y\nblocks: []\n",
    "as-blocks": "schedule: x\ntitle: y\nlols:\n" + _laughs(9, f"[{BLOCK}]") + "blocks: *l8\n",
    "as-tasks": (
        "schedule: x\ntitle: y\nlols:\n"
        + _laughs(9, f"[{TASK}]")
        + "blocks:\n  - {id: b, title: t, start: '08:00', end: '09:00', tasks: *l8}\n"
    ),
    "as-metric-list": (
        "schedule: x\ntitle: y\nmetrics: {x: {label: x}}\nlols:\n"
        + _laughs(9, "[x, x, x]")
        + "blocks:\n  - {id: b, title: t, "
        "start: '08:00', end: '09:00', tasks: [{id: t, title: t, metrics: *l8}]}\n"
    ),
    "as-mapping-keys": "schedule: x\ntitle: y\nblocks: []\nmetrics:\n  ? &k "
    + "[" * 30
    + "]" * 30
    + "\n  : {label: x}\n  ? *k\n  : {label: x}\n",
    "recursive": "schedule: &s x\ntitle: &t [*t]\nblocks: &b [*b, *b]\nmetrics: &m {m: *m}\n",
    "self-merge": "&a {schedule: x, title: y, blocks: [], <<: *a}\n",
}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_alias_bombs(case_dir: Path, kind: str) -> None:
    check_case(case_dir / f"bomb-{kind}.yaml", "alias-bomb", BOMBS[kind].encode())


# The same bombs in a base file that a child `extends:` (the loader then merges and prunes).
BASE_EXTRAS: dict[str, str] = {
    "laughs": "lols:\n" + _laughs(9),
    "laughs-as-blocks": "lols:\n" + _laughs(9, f"[{BLOCK}]").replace("blocks", "x"),
    "recursive-list": "extra: &r [*r, *r]\n",
    "recursive-map": "extra: &r {a: *r, b: *r}\n",
    "complex-keys": "metrics:\n  ? [a, b]\n  : {label: x}\n  ? {k: v}\n  : {label: y}\n",
    "deep": "extra: " + "[" * 900 + "]" * 900 + "\n",
    "map-laughs": "extra:\n" + _map_laughs(9),
}
CHILDREN: dict[str, str] = {
    "plain": "extends: base.yaml\ntitle: child\n",
    "remove": "extends: base.yaml\nremove: [b]\n",
    "override": (
        "extends: base.yaml\nremove: [nothing]\nlols: {a: 1}\nextra: {a: 1, b: 2}\n"
        "metrics:\n  ? [a, b]\n  : {label: z}\n"
    ),
    "bomb-too": "extends: base.yaml\nremove: [b]\nlols:\n" + _laughs(9) + "extra: &q [*q]\n",
    "map-laughs-too": "extends: base.yaml\nextra:\n" + _map_laughs(9),
    "wide-merge": "extends: base.yaml\nextra:\n" + _map_laughs(3, fan=60),
}


@pytest.mark.parametrize("child", sorted(CHILDREN))
@pytest.mark.parametrize("extra", sorted(BASE_EXTRAS))
def test_alias_bombs_through_extends(case_dir: Path, extra: str, child: str) -> None:
    folder = case_dir / f"extends-{extra}-{child}"
    folder.mkdir()
    (folder / "base.yaml").write_text(
        "schedule: base\ntitle: base\nblocks:\n  - {id: b, title: t, start: '08:00', "
        "end: '09:00'}\n" + BASE_EXTRAS[extra],
        encoding="utf-8",
    )
    check_case(folder / "child.yaml", "alias-bomb", CHILDREN[child].encode())


# ---------------------------------------------------------------- big, legal-looking files


def _schedule(body: str) -> str:
    return "schedule: x\ntitle: y\n" + body


def _blocks(count: int, extra: Callable[[int], str] = lambda i: "") -> str:
    return "blocks:\n" + "".join(
        f"  - {{id: b{i}, title: t, start: '08:00', end: '09:00'{extra(i)}}}\n"
        for i in range(count)
    )


def _metrics(count: int, name: str = "metric") -> str:
    return "metrics:\n" + "".join(f"  {name}_{i}: {{label: m}}\n" for i in range(count))


def _one_task(field: str, items: str) -> str:
    return (
        "blocks:\n  - {id: a, title: t, start: '08:00', end: '09:00', tasks: "
        f"[{{id: t, title: t, {field}: [{items}]}}]}}\n"
    )


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXTREMES: dict[str, Callable[[], str]] = {
    "identical-blocks": lambda: _schedule(_blocks(1_100)),
    "weekly-blocks": lambda: _schedule(
        _blocks(1_000, lambda i: f", repeat: weekly on {DAYS[i % 7]}")
    ),
    "rrule-blocks": lambda: _schedule(
        _blocks(
            300,
            lambda i: (
                f", repeat: 'RRULE:FREQ=YEARLY;BYMONTH={i % 12 + 1};BYMONTHDAY={i // 12 % 28 + 1}'"
            ),
        )
    ),
    "rrule-never": lambda: _schedule(
        _blocks(2, lambda i: ", repeat: 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'" if i else "")
    ),
    "rrule-never-setpos": lambda: _schedule(
        _blocks(2, lambda i: ", repeat: 'RRULE:FREQ=DAILY;BYSETPOS=2'" if i else "")
    ),
    "unknown-metrics": lambda: _schedule(
        _metrics(1_200) + _one_task("metrics", ", ".join(f"metrik_{i}" for i in range(5_000)))
    ),
    "unknown-check-metrics": lambda: _schedule(
        _metrics(1_200) + _one_task("checks", ", ".join(f"metrik_{i} < 1" for i in range(5_000)))
    ),
    "unknown-formula-inputs": lambda: _schedule(
        "blocks: []\nmetrics:\n"
        + "".join(f"  metric_{i}: {{label: m, formula: metrik_{i} + 1}}\n" for i in range(1_600))
    ),
    "unknown-keys": lambda: _schedule(
        "blocks:\n  - {id: a, title: t, start: '08:00', end: "
        "'09:00', " + ", ".join(f"tasx{i}: 1" for i in range(4_900)) + "}\n"
    ),
    "duplicate-keys": lambda: _schedule("blocks: []\n" + "title: y\n" * 4_900),
    "holiday-ranges": lambda: _schedule(
        "blocks: []\ncalendar: {holidays: ["
        + ", ".join(["2026-01-01..2026-12-31"] * 3_000)
        + "]}\n"
    ),
    "long-check": lambda: _schedule(
        "metrics: {a: {label: a}}\n" + _one_task("checks", "'" + "a + " * 50_000 + "a < 1'")
    ),
}


@pytest.mark.parametrize("kind", sorted(EXTREMES))
def test_big_files_that_look_legal(case_dir: Path, kind: str) -> None:
    check_case(case_dir / f"extreme-{kind}.yaml", "extreme", EXTREMES[kind]().encode())


MERGES: dict[str, tuple[str, str]] = {
    "metrics": (
        _schedule("blocks: []\n" + _metrics(2_400, "m")),
        "extends: base.yaml\n" + _metrics(2_400, "n"),
    ),
    "same-metrics": (
        _schedule("blocks: []\n" + _metrics(2_400, "m")),
        "extends: base.yaml\n" + _metrics(2_400, "m"),
    ),
    "blocks": (
        _schedule(_blocks(1_000, lambda i: f", repeat: monthly on {i % 28 + 1}")),
        "extends: base.yaml\nblocks:\n" + "".join(f"  - {{id: c{i}}}\n" for i in range(3_000)),
    ),
    "remove-many": (
        _schedule(_blocks(600, lambda i: f", repeat: monthly on {i % 28 + 1}")),
        "extends: base.yaml\nremove: [" + ", ".join(f"x{i}" for i in range(6_000)) + "]\n",
    ),
}


@pytest.mark.parametrize("kind", sorted(MERGES))
def test_big_files_through_extends(case_dir: Path, kind: str) -> None:
    folder = case_dir / f"merge-{kind}"
    folder.mkdir()
    base, child = MERGES[kind]
    (folder / "base.yaml").write_text(base, encoding="utf-8")
    check_case(folder / "child.yaml", "extreme", child.encode())


# ---------------------------------------------------------------- odd paths


def _odd_paths(folder: Path) -> list[str]:
    return [
        "/dev/zero",
        "/dev/null",
        "/",
        str(folder),
        str(folder / ("x" * 5_000)),
        str(folder / "nowhere.yaml"),
        str(folder / "loop.yaml"),
        "taobao-operator",
        "~",
        "",
        ".",
        "..",
        "extends.yaml",
        "/dev/urandom",
    ]


@pytest.mark.parametrize("index", range(len(_odd_paths(Path()))))
def test_odd_files_and_extends_targets(case_dir: Path, index: int) -> None:
    folder = case_dir / f"odd-{index}"
    folder.mkdir()
    (folder / "loop.yaml").write_text("extends: extends.yaml\n", encoding="utf-8")
    target = _odd_paths(folder)[index]
    if target not in ("", "taobao-operator"):
        check_case(Path(target) if target.startswith("/") else folder / target, "odd-path")
    check_case(
        folder / "extends.yaml",
        "odd-path",
        f"extends: {json.dumps(target)}\nschedule: x\ntitle: y\nblocks: []\n".encode(),
    )


# ---------------------------------------------------------------- regressions
# Each of these failed (a traceback, or seconds to minutes of work) before the loader fix.


def _problems(path: Path, data: str | bytes) -> list[str]:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    return [str(p).replace(f"{path.parent}/", "") for p in caught.value.problems]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"\x00", "1:1"),
        (b"a: 1\nb: \x1f", "2:4"),
        ("a: 日本\x7f".encode(), "1:6"),
        (b"a: 1\r\n\x08", "2:1"),
    ],
)
def test_a_control_character_is_a_problem_not_a_reader_error(
    case_dir: Path, data: bytes, where: str
) -> None:
    [problem] = _problems(case_dir / "control.yaml", data)
    code = next(ch for ch in data.decode() if ch in "\x00\x1f\x7f\x08")
    assert (
        problem == f"control.yaml:{where}: invalid YAML: character U+{ord(code):04X} is not "
        "allowed here"
    )


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ("title: 数据诊断".encode() + b"\xff\n", "1:12"),  # characters, not bytes (would be 1:20)
        (b"\r\x80", "2:1"),  # PyYAML counts a lone CR as a line break
        (b"a: 1\r\nb: \xe6\x95", "2:4"),
    ],
)
def test_invalid_utf8_is_placed_as_pyyaml_places_everything_else(
    case_dir: Path, data: bytes, where: str
) -> None:
    assert _problems(case_dir / "latin1.yaml", data) == [
        f"latin1.yaml:{where}: the file is not valid UTF-8 text"
    ]


def test_json_style_escapes_for_emoji_are_joined_and_half_a_character_is_a_problem(
    case_dir: Path,
) -> None:
    path = case_dir / "emoji.yaml"
    path.write_text('schedule: x\ntitle: "shop \\ud83d\\ude00"\nblocks: []\n', encoding="utf-8")
    assert load_schedule(path).title == "shop \U0001f600"
    assert _problems(path, 'schedule: x\ntitle: "shop \\ud83d!"\nblocks: []\n') == [
        "emoji.yaml:2:8: `title` has an escape for half a character (a lone surrogate like "
        "\\ud83d); write the character itself"
    ]


@pytest.mark.parametrize("extra", ["recursive-list", "recursive-map", "laughs", "complex-keys"])
def test_a_base_with_aliases_or_list_keys_fails_cleanly_under_remove(
    case_dir: Path, extra: str
) -> None:
    folder = case_dir / f"regression-{extra}"
    folder.mkdir()
    (folder / "base.yaml").write_text(
        _schedule("blocks: []\n" + BASE_EXTRAS[extra]), encoding="utf-8"
    )
    found = _problems(folder / "child.yaml", "extends: base.yaml\nremove: [zz]\n")
    expected = {
        "recursive-list": "base.yaml:4:8: this collection contains an alias to itself",
        "recursive-map": "base.yaml:4:8: this collection contains an alias to itself",
        "laughs": "base.yaml:1:1: the schedule is too large: more than 10,000 YAML values once "
        "aliases (*name) are written out",
        "complex-keys": "base.yaml:5:5: metric id should be text, not a list",
    }[extra]
    assert any(line.startswith(expected) for line in found), found


def test_a_long_chain_of_formulas_is_a_problem_not_a_recursion_error(case_dir: Path) -> None:
    found = _problems(case_dir / "chain.yaml", _formula_chain(1_500, cycle=False))
    assert found == [
        "chain.yaml:1453:30: metric 'm1449' `formula` is number 51 in a chain of "
        "formulas that use each other; a chain may hold at most 50"
    ]
    path = case_dir / "chain50.yaml"
    path.write_text(_formula_chain(49, cycle=False), encoding="utf-8")
    assert load_schedule(path).metric("m0") is not None


def test_a_dense_file_under_the_size_limit_is_refused_quickly(case_dir: Path) -> None:
    found = _problems(case_dir / "dense.yaml", HUGE["flow-list"]())
    assert found == ["dense.yaml:3:19996: the schedule is too large: more than 10,000 YAML values"]


def test_each_overlapping_block_is_reported_once(case_dir: Path) -> None:
    found = _problems(case_dir / "overlaps.yaml", EXTREMES["identical-blocks"]())
    assert len(found) == 1_099
    assert found[0] == (
        "overlaps.yaml:5:5: block 'b1' (08:00-09:00) overlaps block 'b0' "
        "(08:00-09:00) on days both occur, e.g. Mon 2026-01-05"
    )


def test_unknown_names_still_get_suggestions_in_a_normal_file(case_dir: Path) -> None:
    found = _problems(
        case_dir / "suggest.yaml", _schedule(_metrics(3) + _one_task("metrics", "metrik_1"))
    )
    assert found == [
        "suggest.yaml:8:89: task 't' names unknown metric 'metrik_1'; did you mean 'metric_1'?"
    ]


def test_a_rule_that_never_occurs_is_answered_quickly() -> None:
    from datetime import date

    from opsplanner.schedule.recurrence import parse_repeat

    for text in (
        "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "RRULE:FREQ=DAILY;BYSETPOS=2",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYMONTH=4;BYMONTHDAY=31",
    ):
        rule = parse_repeat(text)
        assert not rule.occurs_on(date(2027, 2, 1), anchor=date(2026, 11, 2))
        assert rule.next_on_or_after(date(2026, 11, 2), anchor=date(2026, 11, 2)) is None
    leap = parse_repeat("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO")
    assert leap.next_on_or_after(date(2026, 11, 2), anchor=date(2026, 11, 2)) == date(2044, 2, 29)


def test_an_endless_file_is_read_only_up_to_the_limit() -> None:
    with pytest.raises(ScheduleError) as caught:
        load_schedule("/dev/zero")
    assert [str(p) for p in caught.value.problems] == [
        "/dev/zero:1:1: the file is over 1,000,000 bytes; a schedule must be under 1,000,000 bytes"
    ]


def test_extends_naming_a_file_too_long_for_the_file_system(case_dir: Path) -> None:
    name = "x" * 5_000
    found = _problems(
        case_dir / "long.yaml", f"extends: {name}\nschedule: x\ntitle: y\nblocks: []\n"
    )
    assert len(found) == 1
    assert found[0].startswith(f"long.yaml:1:10: `extends`: no schedule file '{name}'")
