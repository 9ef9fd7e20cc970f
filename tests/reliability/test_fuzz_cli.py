"""CLI fuzzer: `opsplanner` called with random arguments for every verb.

Every call exits 0, 1 (a refused action) or 2 (bad input); on failure stderr is exactly one
line ``opsplanner: error: …``; never a traceback. Arguments that are bad for sure (an
impossible date, `--days 0`, an unknown option or metric, a missing argument) exit 2.
Calls run in-process against a temporary database; the nastiest also run in a real
``python -m opsplanner`` process. Whatever was typed (markup, ESC sequences, C1, bidi
controls), no call sends a raw control character to stdout or stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsplanner.cli import main
from opsplanner.safe_text import one_line
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import bundled_dir
from tests.conftest import harness_log
from tests.reliability.hostile import HOSTILE_TEXT, has_controls, has_markup, raw_controls

NOW = "2026-11-23T02:00:00+00:00"
TEMPLATE = bundled_dir() / "taobao-operator.yaml"
_SCHEDULE = load_schedule(TEMPLATE)
TASKS = [t.id for t in _SCHEDULE.tasks()] + [
    f"{c.id}/{t.id}" for c in _SCHEDULE.campaigns for t in c.tasks
]
METRICS = [m.id for m in _SCHEDULE.metrics]
TYPED_METRICS = [m.id for m in _SCHEDULE.metrics if not m.derived]

CASES: Counter[str] = Counter()
STATUSES: Counter[int] = Counter()
HOSTILE: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_case_counts() -> Iterator[None]:
    started = perf_counter()
    yield
    verbs = ", ".join(f"{verb} {count}" for verb, count in sorted(CASES.items()))
    statuses = ", ".join(f"exit {status}: {count}" for status, count in sorted(STATUSES.items()))
    harness_log(
        f"CLI fuzzer: {sum(CASES.values())} calls in {perf_counter() - started:.1f}s "
        f"({statuses}); {verbs}; hostile text: {HOSTILE['markup']} markup cases, "
        f"{HOSTILE['control']} control-sequence cases, {HOSTILE['raw']} raw escapes in "
        f"{HOSTILE['outputs']} outputs"
    )


@dataclass(frozen=True)
class Place:
    """Where a fuzzed call may read and write: nothing outside the test's folder."""

    root: Path

    @property
    def db(self) -> str:
        return str(self.root / "fuzz.sqlite3")

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def template(self) -> str:
        """A copy of the bundled template (a shuffled `-o` may overwrite it)."""
        return str(self.root / TEMPLATE.name)


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Place:
    # Shuffled arguments can make any word a file to write (`--db done`, `-o store-data`):
    # the calls run in the test's folder and only name files inside it.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPSPLANNER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    for name in ("OPSPLANNER_DB", "OPSPLANNER_SCHEDULE", "OPSPLANNER_OPERATOR"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "out").mkdir()
    (tmp_path / TEMPLATE.name).write_bytes(TEMPLATE.read_bytes())
    (tmp_path / "broken.yaml").write_text("schedule: [\n", encoding="utf-8")
    (tmp_path / "bad-values.yaml").write_text(
        "schedule: x\ntitle: y\nblocks:\n  - {id: a, title: t, start: '25:00', end: x}\n",
        encoding="utf-8",
    )
    return Place(tmp_path)


ERROR_PREFIXES = ("opsplanner: error: ", "opsplanner：错误：")
"""A refusal's one line, in English or in Chinese (the zh schedule speaks Chinese)."""


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str], verb: str = "") -> int:
    """Call main(argv) in-process and hold the outcome to the contract; the exit status."""
    capsys.readouterr()
    try:
        status = main(argv)
    except BaseException as error:  # a SystemExit or anything else escaping main is the bug
        out, err = capsys.readouterr()
        pytest.fail(
            f"main({argv!r}) raised {type(error).__name__}: {error!s:.300}\nstderr: {err[-1000:]}"
        )
    out, err = capsys.readouterr()
    for stream, text in (("stdout", out), ("stderr", err)):
        found = raw_controls(text)
        HOSTILE["raw"] += bool(found)
        assert not found, f"main({argv!r}) sent {found!r} raw to {stream}: {text!r:.800}"
    HOSTILE["outputs"] += 2
    HOSTILE["markup"] += any(has_markup(arg) for arg in argv)
    HOSTILE["control"] += any(has_controls(arg) for arg in argv)
    assert status in (0, 1, 2), f"main({argv!r}) returned {status!r}; stderr {err!r:.500}"
    assert "Traceback" not in err, f"main({argv!r}) printed a traceback: {err[-1500:]}"
    if status:
        assert err.startswith(ERROR_PREFIXES) and err.count("\n") == 1 and err.endswith("\n"), (
            f"main({argv!r}) exit {status}, stderr: {err!r:.800}"
        )
    else:
        assert err == "", f"main({argv!r}) succeeded but wrote to stderr: {err!r:.800}"
    CASES[verb or (argv[0] if argv else "(none)")] += 1
    STATUSES[status] += 1
    return status


# ---------------------------------------------------------------- argument strategies
# A drawn argument is (tokens, bad): bad is True when it is bad input for sure, so the call
# must exit 2, and False when it may or may not be acceptable.

Arg = tuple[list[str], bool]

# All of Unicode, surrogates included: bytes a shell passes that are not UTF-8 reach
# sys.argv as lone surrogates.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
SHORT_TEXT = st.one_of(
    ANY_TEXT,
    HOSTILE_TEXT,
    st.sampled_from(
        [
            "",
            " ",
            "no time",
            "等待供应商",
            "-",
            "--",
            "-x",
            "--note",
            "a\nb",
            "\t",
            "x" * 5_000,
            "\u202e",
            "'; DROP TABLE day; --",
            "%s",
            "{}",
            "\\",
            "\x7f",
            "\udcff",
            "\x00",
        ]
    ),
)
GOOD_DATES = st.dates(
    min_value=__import__("datetime").date(2025, 1, 1),
    max_value=__import__("datetime").date(2028, 12, 31),
).map(str)
BAD_DATES = st.sampled_from(
    [
        "2026-02-30",
        "2026-13-01",
        "2026-00-10",
        "2026-11-31",
        "0000-01-01",
        "garbage",
        "",
        "2026/11/23",
        "23.11.2026",
        "2026-11-23T10:00",
        "tomorrow",
        "-1",
        "１２",
        "2026-11-23 ",
        "9999-12-31",
        "0001-01-01",
        "9999-12-25",
        "0001-01-07",
        "10000-01-01",
    ]
)
# full-width digits are what a Chinese input method types: a number all the same
DAYS_GOOD = st.one_of(st.integers(1, 400).map(str), st.sampled_from(["366", "3660", "+7", "７"]))
DAYS_BAD = st.sampled_from(
    ["0", "-1", "-7", "3661", "99999999999999999999", "1.5", "seven", "", "1e3", " 7 x"]
)
UNKNOWN_OPTIONS = st.sampled_from(
    [
        "--frobnicate",
        "-x",
        "--dat",
        "--json=1",
        "--days=",
        "-Z",
        "--no-such",
        "---",
        "--note",
        "--reason",
    ]
)
METRIC_VALUES = st.one_of(
    st.sampled_from(
        [
            "1234",
            "1,234",
            "1.2万",
            "¥1,234.50",
            "3.5%",
            "１２３",
            "-3",
            "0",
            "abc",
            "1e9",
            "9" * 101,
            "",
            "1.2.3",
            "nan",
            "inf",
            "-0",
        ]
    ),
    ANY_TEXT,
)


@st.composite
def pick(
    draw: st.DrawFn,
    good: st.SearchStrategy[str],
    bad: st.SearchStrategy[str] | None = None,
    unsure: st.SearchStrategy[str] = SHORT_TEXT,
) -> tuple[str, bool]:
    """A value that is mostly fine, sometimes surely bad, sometimes anything at all."""
    roll = draw(st.integers(0, 9))
    if roll == 9 and bad is not None:
        return draw(bad), True
    if roll >= 7:
        return draw(unsure), False
    return draw(good), False


TASK = pick(st.sampled_from(TASKS))
METRIC = pick(st.sampled_from(METRICS), st.sampled_from(["visitor", "Sales", "no_such"]))
TYPED_METRIC = pick(
    st.sampled_from(TYPED_METRICS),
    st.sampled_from(["visitor", "Sales", "no_such", "conversion_rate"]),
)
TEXT = pick(st.sampled_from(["no time", "waiting on others", "UV 下降"]))
DATE = pick(GOOD_DATES, BAD_DATES)
DAYS = pick(DAYS_GOOD, DAYS_BAD)


@dataclass(frozen=True)
class Verb:
    words: tuple[str, ...]
    positionals: tuple[st.SearchStrategy[tuple[str, bool]], ...] = ()
    options: tuple[tuple[str, st.SearchStrategy[tuple[str, bool]] | None], ...] = ()
    store: bool = True  # takes --db and --operator


def _outputs(place: Place) -> st.SearchStrategy[tuple[str, bool]]:
    return st.sampled_from(
        [
            (str(place.out / "report.txt"), False),
            (str(place.out / "报告 1.csv"), False),
            (str(place.out), False),
            (str(place.out / "missing" / "x.md"), False),
            ("", False),
            (str(place.root / "fuzz.sqlite3" / "x"), False),
            ("\x00", False),
        ]
    )


def verbs(place: Place) -> dict[str, Verb]:
    output = _outputs(place)
    return {
        "today": Verb(("today",), options=(("--json", None),)),
        "done": Verb(("done",), (TASK,), (("--note", TEXT),)),
        "undo": Verb(("undo",), (TASK,)),
        "skip": Verb(("skip",), (TASK,), (("--reason", TEXT),)),
        "carry": Verb(("carry",), (TASK,), (("--reason", TEXT),)),
        "note": Verb(("note",), (TASK, TEXT)),
        "metric set": Verb(("metric", "set"), (TYPED_METRIC, pick(METRIC_VALUES))),
        "metric show": Verb(("metric", "show"), (METRIC,), (("--days", DAYS), ("--json", None))),
        "review": Verb(
            ("review",),
            options=(
                ("--close", None),
                ("--carry-rest", TEXT),
                ("--tomorrow", TEXT),
                ("--reopen", None),
                ("--json", None),
            ),
        ),
        "explain": Verb(
            ("explain",),
            (METRIC,),
            (("--cause", TEXT), ("--follow-up", TEXT), ("--tomorrow", None)),
        ),
        "report": Verb(
            ("report",),
            (
                pick(
                    st.sampled_from(["day", "week", "month"]),
                    st.sampled_from(["year", "Day", "", "weeks"]),
                ),
            ),
            (
                (
                    "--format",
                    pick(
                        st.sampled_from(["md", "csv", "json"]), st.sampled_from(["xml", "MD", ""])
                    ),
                ),
                ("--output", output),
                ("-o", output),
            ),
        ),
        "export ics": Verb(
            ("export", "ics"), options=(("--days", DAYS), ("--output", output)), store=False
        ),
        "check": Verb(("check",), store=False),
    }


REQUIRED = {"skip": "--reason", "carry": "--reason"}
CONVERTED = {"--date", "--days", "--format"}  # argparse checks each occurrence


@st.composite
def invocations(draw: st.DrawFn, place: Place) -> tuple[str, list[str], bool]:
    """A random call of a random verb: (verb, argv, surely bad input)."""
    table = verbs(place)
    name = draw(st.sampled_from(sorted(table)))
    verb = table[name]
    argv, bad = list(verb.words), False
    for index, positional in enumerate(verb.positionals):
        optional = name == "metric show" and index == 0
        if draw(st.integers(0, 15)) == 0:  # left out
            bad |= not optional
            continue
        value, surely_bad = draw(positional)
        argv.append(value)
        bad |= surely_bad
    options: list[tuple[str, st.SearchStrategy[tuple[str, bool]] | None]] = [
        *verb.options,
        ("--date", DATE),
        (
            "--schedule",
            pick(
                st.sampled_from([place.template, "taobao-operator.zh", "taobao-operator"]),
                st.sampled_from(
                    [
                        str(place.root / "broken.yaml"),
                        str(place.root / "bad-values.yaml"),
                        str(place.root / "nowhere.yaml"),
                        "",
                        str(place.root),
                    ]
                ),
            ),
        ),
    ]
    if verb.store:
        options.append(("--operator", TEXT))
    chosen = draw(st.lists(st.sampled_from(options), max_size=4))
    last_bad: dict[str, bool] = {}  # a repeated option: the last one counts...
    for flag, values in chosen:
        if values is None:
            argv.append(flag)
            continue
        value, surely_bad = draw(values)
        if flag == "--schedule" and (value == "" or name == "check"):
            surely_bad = False  # empty is the default; `check` reports a bad template with 1
        argv += [flag, value]
        last_bad[flag] = surely_bad
        bad |= surely_bad and flag in CONVERTED  # ...but argparse converts every one
    bad |= any(last_bad.values())
    flags = {flag for flag, _ in chosen}
    if name in REQUIRED and REQUIRED[name] not in flags:
        bad = True
    if name == "explain":
        bad |= ("--cause" in flags) == ("--follow-up" in flags)  # exactly one is required
    if draw(st.integers(0, 19)) == 0:
        argv.append(draw(UNKNOWN_OPTIONS))
        bad = True
    if verb.store and draw(st.integers(0, 9)) > 0:
        argv += ["--db", place.db]
    if name == "check" and draw(st.booleans()):
        argv += draw(
            st.lists(
                st.sampled_from(
                    [
                        place.template,
                        str(place.root / "broken.yaml"),
                        str(place.root / "nowhere.yaml"),
                        str(place.root),
                    ]
                ),
                min_size=1,
                max_size=3,
            )
        )
    if draw(st.integers(0, 19)) == 0:
        argv = draw(st.permutations(argv))  # anything in any order
        bad = False
    return name, argv, bad


FUZZ = settings(
    deadline=None,
    max_examples=1_500,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@settings(FUZZ)
@given(data=st.data())
def test_random_calls_of_every_verb(
    place: Place, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    name, argv, bad = data.draw(invocations(place), label="call")
    status = run_cli(capsys, argv, name)
    if bad:
        assert status == 2, f"main({argv!r}) is bad input but exited {status}"


@settings(FUZZ, max_examples=300)
@given(
    argv=st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "today",
                    "done",
                    "undo",
                    "skip",
                    "carry",
                    "note",
                    "metric",
                    "set",
                    "show",
                    "review",
                    "explain",
                    "report",
                    "day",
                    "week",
                    "month",
                    "export",
                    "ics",
                    "check",
                    "--date",
                    "--days",
                    "--json",
                    "--close",
                    "--reopen",
                    "--reason",
                    "--cause",
                    "--follow-up",
                    "--format",
                    "--operator",
                    "--note",
                    "--tomorrow",
                    "--carry-rest",
                    "store-data",
                    "visitors",
                    "2026-11-23",
                ]
            ),
            SHORT_TEXT,
        ),
        max_size=8,
    )
)
def test_random_words(place: Place, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    if any(word.startswith(("--h", "-h", "--v")) for word in argv):
        return  # --help and --version print and exit 0 by design
    store = ["--db", place.db] if argv[:1] not in (["export"], ["check"]) else []
    run_cli(capsys, argv + store, "(random words)")


@settings(FUZZ, max_examples=40)
@given(
    text=HOSTILE_TEXT, task=st.sampled_from(["list-day-work", "confirm-design-work", "store-data"])
)
def test_hostile_notes_and_reasons_print_escaped(
    place: Place, capsys: pytest.CaptureFixture[str], text: str, task: str
) -> None:
    """A note, a reason, notes for tomorrow and an operator made of markup and control
    pieces: `today` shows the note exactly, escaped; no output carries a raw control."""
    db = ["--db", place.db, "--date", "2026-11-23"]
    assert run_cli(capsys, ["note", *db, task, "--", text], "(hostile text)") == 0
    carry = ["carry", *db, "platform-notices", f"--reason={text}"]
    assert run_cli(capsys, carry, "(hostile text)") in (0, 1)  # 1: carried already
    assert run_cli(capsys, ["review", *db, f"--tomorrow={text}"], "(hostile text)") == 0
    run_cli(capsys, ["today", *db, f"--operator={text}"], "(hostile text)")
    capsys.readouterr()
    assert main(["today", *db]) == 0
    out = capsys.readouterr().out
    assert f"      note: {one_line(text.strip())}\n" in out, out
    for form in ("md", "csv", "json"):
        run_cli(capsys, ["report", "day", *db, "--format", form], "(hostile text)")


# ---------------------------------------------------------------- the exact status


def _status_cases(place: Place) -> list[tuple[list[str], int]]:
    db = ["--db", place.db]
    return [
        # bad input: 2
        (["today", "--date", "2026-02-30", *db], 2),
        (["today", "--date", "9999-12-31", *db], 2),
        (["report", "month", "--date", "0001-01-01", *db], 2),
        (["metric", "show", "--days", "0", *db], 2),
        (["metric", "show", "--days", "3661", *db], 2),
        (["export", "ics", "--days", "367"], 2),
        (["frobnicate"], 2),
        (["today", "--frobnicate", *db], 2),
        (["done", *db], 2),
        (["done", "no-such-task", *db], 2),
        (["metric", "set", "visitors", "abc", *db], 2),
        (["metric", "set", "visitors", "-3", *db], 2),
        (["metric", "set", "conversion_rate", "3", *db], 2),
        (["metric", "set", "no_such", "3", *db], 2),
        (["skip", "store-data", "--reason", "  ", *db], 2),
        (["skip", "store-data", *db], 2),
        (["explain", "sales", *db], 2),
        (["review", "--carry-rest", "x", *db], 2),
        (["review", "--tomorrow", "x", *db], 0),  # notes for tomorrow are saved as given
        (["today", "--schedule", str(place.root / "nowhere.yaml"), *db], 2),
        (["today", "--schedule", str(place.root / "broken.yaml"), *db], 2),
        (["today", "--schedule", "x" * 5_000, *db], 2),
        (["note", "store-data", "bad \udcff bytes", *db], 2),
        (["today", "--operator", "\udce9ric", *db], 2),
        (["report", "day", "-o", "\x00", *db], 2),
        # refused: 1
        (["review", "--close", *db], 1),
        (["report", "day", "--date", "2026-01-01", *db], 1),
        (["explain", "page_views", "--cause", "promotion ended", *db], 1),
        (["undo", "platform-notices", *db], 1),
        (["review", "--reopen", *db], 1),
        (["check", str(place.root / "bad-values.yaml")], 1),
        (["report", "week", "-o", str(place.out), *db], 1),
        (["today", "--db", str(place.out)], 1),
        # fine: 0
        (["today", *db], 0),
        (["done", "store-data", *db], 1),  # its figures are required before the tick
        (["done", "list-day-work", "--note", "UV 下降", *db], 0),
        (["undo", "list-day-work", *db], 0),
        (["metric", "set", "visitors", "１.２万", *db], 0),
        (["report", "week", "--format", "csv", "-o", str(place.out / "w.csv"), *db], 0),
        (["check", place.template], 0),
    ]


def test_bad_input_exits_2_and_a_refused_action_1(
    place: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv, expected in _status_cases(place):
        status = run_cli(capsys, argv, "(exact status)")
        assert status == expected, f"main({argv!r}) exited {status}, expected {expected}"


def test_regressions_found_by_this_fuzzer(
    place: Place, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ["--db", place.db]
    cases: list[tuple[list[str], int, str]] = [
        # an argument with a line break made a two-line error
        (["today", "a\nb", *db], 2, "unrecognized arguments: a⏎b (see `opsplanner --help`)"),
        # a date at the end of the calendar overflowed (OverflowError traceback)
        (
            ["report", "week", "--date", "9999-12-31", *db],
            2,
            "argument --date: expected a date from 1900-01-01 to 2999-12-31, not '9999-12-31' "
            "(see `opsplanner report --help`)",
        ),
        # bytes that are not UTF-8 crashed on writing or printing them (UnicodeEncodeError)
        (
            ["note", "store-data", "caf\udce9", *db],
            2,
            'argument "caf\\udce9" is not valid text (bytes that are not UTF-8, or a NUL '
            "character)",
        ),
        # a file name too long for the file system (OSError traceback)
        (
            ["today", "--schedule", "y" * 300, *db],
            2,
            f"{'y' * 300}:1:1: cannot read the file: File name too long",
        ),
        # `check` failed with nothing on stderr
        (
            ["check", str(place.root / "bad-values.yaml")],
            1,
            "the template has problems (listed above)",
        ),
    ]
    for argv, expected, message in cases:
        assert run_cli(capsys, argv, "(regression)") == expected, argv
        main(argv)
        assert capsys.readouterr().err == f"opsplanner: error: {message}\n", argv
    monkeypatch.setenv("OPSPLANNER_NOW", "9999-12-31T23:00:00-05:00")
    assert run_cli(capsys, ["today", *db], "(regression)") == 2
    main(["today", *db])
    assert capsys.readouterr().err == (
        "opsplanner: error: OPSPLANNER_NOW='9999-12-31T23:00:00"
        "-05:00' is not from 1900-01-01 to 2999-12-31\n"
    )


# ---------------------------------------------------------------- a real process


def _nasty(place: Place) -> list[list[str | bytes]]:
    db: list[str | bytes] = ["--db", place.db]
    return [
        ["today", "--date", "9999-12-31", *db],
        ["today", "--date", "2026-02-30", *db],
        ["note", "store-data", b"caf\xe9 \xff\xfe", *db],  # not UTF-8, as a shell may pass it
        ["today", "--operator", b"\xe9ric", *db],
        ["done", b"store-\xffdata", *db],
        ["metric", "set", "visitors", b"1\xff2", *db],
        ["metric", "show", "--days", "3660", "--date", "0001-12-31", *db],
        ["report", "week", "--date", "9999-12-31", *db],
        ["export", "ics", "--date", "9999-12-25", "--days", "366"],
        ["skip", "store-data", "--reason", "a\nb\x1b[31mred", "--date", "2026-02-30", *db],
        ["frobnicate", "\n", "\x1b[2J"],
        ["today", "--schedule", str(place.root / "broken.yaml"), *db],
        ["review", "--close", *db],
    ]


def test_nasty_calls_in_a_real_process(place: Place) -> None:
    env = {
        **os.environ,
        "OPSPLANNER_DATA_DIR": str(place.root / "data"),
        "OPSPLANNER_NOW": NOW,
        "PYTHONIOENCODING": "utf-8",
    }
    for argv in _nasty(place):
        command: list[str | bytes] = [sys.executable, "-m", "opsplanner", *argv]
        result = subprocess.run(
            command,
            capture_output=True,
            env=env,
            stdin=subprocess.DEVNULL,
            cwd=place.root,
            timeout=60,
            check=False,
        )
        err = result.stderr.decode("utf-8", errors="replace")
        assert b"Traceback" not in result.stderr, f"{argv!r}: {err[-2000:]}"
        for stream in (result.stdout.decode("utf-8", errors="replace"), err):
            assert not raw_controls(stream), f"{argv!r} sent raw controls: {stream!r:.800}"
        assert result.returncode in (0, 1, 2), f"{argv!r} exited {result.returncode}: {err}"
        if result.returncode:
            assert err.startswith(ERROR_PREFIXES) and err.count("\n") == 1, (
                f"{argv!r}: stderr is not one line: {err!r}"
            )
        CASES["(real process)"] += 1
        STATUSES[result.returncode] += 1
