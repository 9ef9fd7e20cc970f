"""YAML template → validated `Schedule`, reporting every problem as FILE:LINE:COL: message.

The YAML is composed into nodes (never constructed into Python objects by PyYAML), so each
value keeps its position and scalars are read from their raw text: `8:30` stays a time
instead of YAML 1.1's sexagesimal integer 510.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import yaml

from opsplanner.clock import EARLIEST_DATE, LATEST_DATE
from opsplanner.locations import special_file
from opsplanner.safe_text import first_unsafe
from opsplanner.schedule.checks import Check, ExpressionError, Formula, parse_check, parse_formula
from opsplanner.schedule.errors import Problem, ScheduleError
from opsplanner.schedule.models import (
    WEEKDAY_NAMES,
    Block,
    Calendar,
    Campaign,
    CampaignTask,
    CountryDays,
    Metric,
    OnDayOff,
    Phase,
    Schedule,
    Target,
    Task,
)
from opsplanner.schedule.paths import path_exists, resolve_schedule_path
from opsplanner.schedule.recurrence import DAILY, Recurrence, RepeatError, parse_repeat
from opsplanner.schedule.rules import (
    ID_PATTERN,
    MAX_FORMULA_CHAIN,
    METRIC_ID_PATTERN,
    RESERVED_BLOCK_IDS,
    UNITS,
    formula_depths,
    overlaps,
    reaches,
)

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_YAML_NODES = 10_000  # the bundled template has ~1,000; pure-Python YAML composes ~50k/s
SUGGEST_BUDGET = 20_000  # ids compared for "did you mean" hints (about 20 µs each) per file
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # the breaks PyYAML counts
TIME_PATTERN = re.compile(r"^(\d{1,2}):(\d{2})$")
OFFSET_PATTERN = re.compile(r"^([+-]?\d{1,6})\s*([dw]?)$")  # longer: out of range anyway
PERCENT_PATTERN = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*%$")

TOP_KEYS = (
    "schedule",
    "title",
    "timezone",
    "language",
    "extends",
    "remove",
    "since",
    "calendar",
    "metrics",
    "blocks",
    "targets",
    "campaigns",
)
CALENDAR_KEYS = ("country", "workdays", "holidays")
METRIC_KEYS = ("label", "unit", "currency", "formula")
BLOCK_KEYS = ("id", "title", "start", "end", "repeat", "tasks")
TASK_KEYS = ("id", "title", "detail", "repeat", "on_miss", "metrics", "metrics_for", "checks")
TARGET_KEYS = ("metric", "from", "base", "growth", "cap")
CAMPAIGN_KEYS = ("id", "title", "date", "phases", "on_day_off", "grace", "tasks")
CAMPAIGN_TASK_KEYS = ("id", "title", "when", "block", "detail", "on_day_off")
PHASE_KEYS = ("start", "end")
ON_DAY_OFF: tuple[OnDayOff, ...] = ("keep", "before", "after")
MONTH_DAY_PATTERN = re.compile(r"^(\d{1,2})-(\d{1,2})$")
WHEN_PATTERN = re.compile(
    r"^(?:(?P<phase>[A-Za-z][A-Za-z0-9_-]*)(?:\s+(?P<edge>start|end))?\s+)?"
    r"(?P<n>[+-]?\d+)\s*(?P<unit>[dw]?)$"
)
MAX_CAMPAIGN_OFFSET = 366  # a preparation lies within a year of its event

T = TypeVar("T")
Phases = dict[str, Phase | None] | None  # None: a broken `phases`; a None phase: a broken one
Source = tuple[Path, bytes | None]  # a file the load read (its bytes) or looked for and missed


def load_schedule(path: str | Path) -> Schedule:
    """Load, merge (`extends`) and validate a template; raise ScheduleError with every problem."""
    return load_schedule_and_sources(path)[0]


def load_schedule_and_sources(path: str | Path) -> tuple[Schedule, tuple[Source, ...]]:
    """`load_schedule`, plus every file it read and every `extends` place it found empty:
    what the result depends on, for the schedule cache to check."""
    loader = _Loader()
    root = loader.compose_with_extends(Path(path), stack=())
    if root is None:
        raise ScheduleError(loader.problems)
    validator = _Validator(loader.problems, str(path))
    schedule = validator.schedule(root)
    if loader.problems or schedule is None:
        raise ScheduleError(loader.problems)
    return schedule, (*loader.sources, *validator.sources)


def load_schedule_text(text: str, name: str = "<schedule>") -> Schedule:
    """Validate template text that is not on disk (tests, pasted input); no `extends`."""
    loader = _Loader()
    root = loader.compose_text(text, name)
    if root is not None and _get(root, "extends") is not None:
        loader.add(_get(root, "extends") or root, "`extends` needs a file on disk")
    if root is None or loader.problems:
        raise ScheduleError(loader.problems)
    schedule = _Validator(loader.problems, name).schedule(root)
    if loader.problems or schedule is None:
        raise ScheduleError(loader.problems)
    return schedule


# ---------------------------------------------------------------- composing and merging


def _problem_at(node: yaml.Node | yaml.Mark, message: str, offset: int = 0) -> Problem:
    mark = node.start_mark if isinstance(node, yaml.Node) else node
    return Problem(mark.name, mark.line + 1, mark.column + 1 + offset, message)


def _get(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found: yaml.Node = value_node
            return found
    return None


def _expanded_size(root: yaml.Node, limit: int) -> tuple[int, yaml.Node | None]:
    """Nodes in the tree with every alias written out (at most limit + 1), and a collection
    that contains itself, if any: aliases can make a small file a huge or endless tree."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    pending: list[tuple[yaml.Node, bool]] = [(root, False)]
    while pending:
        node, children_done = pending.pop()
        children: list[yaml.Node] = (
            [n for pair in node.value for n in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
            if isinstance(node, yaml.SequenceNode)
            else []
        )
        if children_done:
            on_path.discard(id(node))
            sizes[id(node)] = min(limit + 1, 1 + sum(sizes[id(c)] for c in children))
            continue
        if id(node) in sizes:
            continue
        on_path.add(id(node))
        pending.append((node, True))
        for child in children:
            if id(child) in on_path:
                return limit + 1, child
            if id(child) not in sizes:
                pending.append((child, False))
    return sizes[id(root)], None


class _TooManyNodes(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("too many YAML nodes")
        self.mark = mark


class _BoundedLoader(yaml.SafeLoader):
    """Stops composing after MAX_YAML_NODES values: a dense file fails fast, not in seconds."""

    nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise _TooManyNodes(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)


class _Loader:
    """Reads files into YAML node trees and applies `extends`/`remove` at the node level."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.suggest_budget = SUGGEST_BUDGET
        self.sources: list[Source] = []

    def add(self, where: yaml.Node | yaml.Mark, message: str, offset: int = 0) -> None:
        self.problems.append(_problem_at(where, message, offset))

    def suggest(self, word: str, choices: Any) -> str:
        self.suggest_budget -= len(choices)
        return _suggest(word, choices) if self.suggest_budget >= 0 else ""

    def compose_text(self, text: str, name: str) -> yaml.MappingNode | None:
        try:
            loader = _BoundedLoader(text)
        except yaml.reader.ReaderError as error:  # raised up front for a control character
            lines = _LINE_BREAK.split(text[: error.position])
            self.problems.append(
                Problem(
                    name,
                    len(lines),
                    len(lines[-1]) + 1,
                    f"invalid YAML: character U+{int(error.character):04X} is not allowed here",
                )
            )
            return None
        loader.name = name
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            reason = error.problem or error.context or "invalid YAML"
            if mark is None:
                self.problems.append(Problem(name, 1, 1, f"invalid YAML: {reason}"))
            else:
                self.add(mark, f"invalid YAML: {reason}")
            return None
        except yaml.YAMLError as error:
            reason = " ".join(str(error).split())  # one line
            self.problems.append(Problem(name, 1, 1, f"invalid YAML: {reason}"))
            return None
        except RecursionError:
            self.problems.append(Problem(name, 1, 1, "the YAML is nested too deeply"))
            return None
        except _TooManyNodes as error:
            self.add(
                error.mark, f"the schedule is too large: more than {MAX_YAML_NODES:,} YAML values"
            )
            return None
        finally:
            loader.dispose()
        if root is None:
            self.problems.append(Problem(name, 1, 1, "the file is empty; expected a schedule"))
            return None
        if not isinstance(root, yaml.MappingNode):
            self.add(root, "expected a mapping with `schedule:`, `title:` and `blocks:` at the top")
            return None
        size, loop = _expanded_size(root, MAX_YAML_NODES)
        if loop is not None:
            self.add(loop, "this collection contains an alias to itself (*name inside &name)")
            return None
        if size > MAX_YAML_NODES:
            self.add(
                root,
                f"the schedule is too large: more than {MAX_YAML_NODES:,} YAML values "
                "once aliases (*name) are written out",
            )
            return None
        return root

    def compose_file(self, path: Path, where: yaml.Node | None) -> yaml.MappingNode | None:
        """Parse one file. The template asked for may be a pipe (`--schedule <(…)`); a file
        named by `extends` must be a regular file, and anything else is refused unopened:
        opening a FIFO waits for a writer forever, a device never ends."""
        name = str(path)
        try:
            if where is not None and (kind := special_file(os.stat(path))):
                self.add(where, f"`extends`: {name} is {kind}, not a schedule file")
                return None
            with path.open("rb") as stream:  # never more than the limit: /dev/zero is endless
                raw = stream.read(MAX_FILE_BYTES + 1)
                size = os.fstat(stream.fileno()).st_size
        except (OSError, ValueError) as error:  # ValueError: a NUL in the path
            reason = (error.strerror if isinstance(error, OSError) else None) or str(error)
            if where is not None:
                self.add(where, f"cannot read {name}: {reason}")
            else:
                self.problems.append(Problem(name, 1, 1, f"cannot read the file: {reason}"))
            return None
        self.sources.append((path, raw))
        if len(raw) > MAX_FILE_BYTES:
            shown = f"{size:,} bytes" if size > MAX_FILE_BYTES else f"over {MAX_FILE_BYTES:,} bytes"
            self.problems.append(
                Problem(
                    name,
                    1,
                    1,
                    f"the file is {shown}; a schedule must be under {MAX_FILE_BYTES:,} bytes",
                )
            )
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            # Lines and columns as PyYAML counts them everywhere else: characters, its breaks.
            lines = _LINE_BREAK.split(raw[: error.start].decode("utf-8-sig"))
            self.problems.append(
                Problem(name, len(lines), len(lines[-1]) + 1, "the file is not valid UTF-8 text")
            )
            return None
        return self.compose_text(text, name)

    def compose_with_extends(
        self, path: Path, stack: tuple[Path, ...], where: yaml.Node | None = None
    ) -> yaml.MappingNode | None:
        resolved = path.resolve()
        if resolved in stack:
            chain = " → ".join(p.name for p in (*stack, resolved))
            self.add(where or yaml.Mark(str(path), 0, 0, 0, "", 0), f"circular `extends`: {chain}")
            return None
        root = self.compose_file(path, where)
        if root is None:
            return None
        extends = _get(root, "extends")
        if extends is None:
            return root
        if not isinstance(extends, yaml.ScalarNode) or not extends.value:
            self.add(extends, "`extends` expects the path of another schedule file")
            return root
        missed: list[Path] = []
        base_path = resolve_schedule_path(extends.value, relative_to=path.parent, missed=missed)
        self.sources += [(place, None) for place in missed]
        if not path_exists(base_path):
            self.add(
                extends,
                f"`extends`: no schedule file {extends.value!r} "
                f"(looked in {path.parent} and the bundled schedules)",
            )
            return root
        base = self.compose_with_extends(base_path, (*stack, resolved), where=extends)
        if base is None:
            return root
        return _merge_schedule(base, root, self)


_ID_LISTS = {"blocks", "campaigns"}


def _merge_schedule(
    base: yaml.MappingNode, child: yaml.MappingNode, loader: _Loader
) -> yaml.MappingNode:
    """The child overrides the base key by key; blocks, tasks, metrics, campaigns by id."""
    removed: set[str] = set()
    remove_node = _get(child, "remove")
    if remove_node is not None:
        if isinstance(remove_node, yaml.SequenceNode) and all(
            isinstance(item, yaml.ScalarNode) for item in remove_node.value
        ):
            removed = {item.value for item in remove_node.value}
            known = _inherited_ids(base)
            for item in remove_node.value:
                if item.value not in known:
                    loader.add(
                        item,
                        f"`remove`: nothing with id {item.value!r} is inherited"
                        + loader.suggest(item.value, known),
                    )
        else:
            loader.add(remove_node, "`remove` expects a list of ids, e.g. [fortnight-photo]")
    pruned = _prune(base, removed)
    merged = _merge_mapping(pruned, child, depth=0)
    merged.value = [(k, v) for k, v in merged.value if k.value not in ("extends", "remove")]
    return merged


def _inherited_ids(node: yaml.Node) -> set[str]:
    ids: set[str] = set()
    for key in ("blocks", "campaigns"):
        items = _get(node, key) if isinstance(node, yaml.MappingNode) else None
        if isinstance(items, yaml.SequenceNode):
            for item in items.value:
                ids |= _ids_in_item(item)
    for key in ("metrics", "targets"):
        mapping = _get(node, key) if isinstance(node, yaml.MappingNode) else None
        if isinstance(mapping, yaml.MappingNode):
            ids |= {k.value for k, _ in mapping.value if isinstance(k, yaml.ScalarNode)}
    return ids


def _ids_in_item(item: yaml.Node) -> set[str]:
    ids: set[str] = set()
    if isinstance(item, yaml.MappingNode):
        item_id = _item_id(item)
        if item_id:
            ids.add(item_id)
        tasks = _get(item, "tasks")
        if isinstance(tasks, yaml.SequenceNode):
            ids |= {i for t in tasks.value if (i := _item_id(t))}
    return ids


def _item_id(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.MappingNode):
        id_node = _get(node, "id")
        if isinstance(id_node, yaml.ScalarNode):
            return str(id_node.value)
    return None


def _prune(node: yaml.Node, removed: set[str]) -> yaml.Node:
    """A copy of the base without the removed blocks, tasks, metrics, targets and campaigns."""
    if not removed:
        return node
    if isinstance(node, yaml.MappingNode):
        pairs = []
        for key, value in node.value:
            if (
                isinstance(key, yaml.ScalarNode)
                and key.value in ("metrics", "targets")
                and isinstance(value, yaml.MappingNode)
            ):
                value = yaml.MappingNode(
                    value.tag,
                    [(k, v) for k, v in value.value if not _named(k, removed)],
                    value.start_mark,
                    value.end_mark,
                )
            else:
                value = _prune(value, removed)
            pairs.append((key, value))
        return yaml.MappingNode(node.tag, pairs, node.start_mark, node.end_mark)
    if isinstance(node, yaml.SequenceNode):
        items = [_prune(item, removed) for item in node.value if _item_id(item) not in removed]
        return yaml.SequenceNode(node.tag, items, node.start_mark, node.end_mark)
    return node


def _named(key: yaml.Node, names: set[str]) -> bool:
    return isinstance(key, yaml.ScalarNode) and key.value in names  # a key may be a [list]


def _merge_mapping(base: yaml.Node, child: yaml.Node, depth: int) -> yaml.MappingNode:
    assert isinstance(base, yaml.MappingNode) and isinstance(child, yaml.MappingNode)
    pairs = list(base.value)
    where: dict[str, int] = {}  # scalar key → index of its first pair (linear, not quadratic)
    for index, (key, _) in enumerate(pairs):
        if isinstance(key, yaml.ScalarNode):
            where.setdefault(key.value, index)
    for key, value in child.value:
        found = where.get(key.value) if isinstance(key, yaml.ScalarNode) else None
        if found is None:
            if isinstance(key, yaml.ScalarNode):
                where[key.value] = len(pairs)
            pairs.append((key, value))
        else:
            pairs[found] = (key, _merge_value(key.value, pairs[found][1], value, depth))
    return yaml.MappingNode(child.tag, pairs, child.start_mark, child.end_mark)


def _merge_value(key: str, base: yaml.Node, child: yaml.Node, depth: int) -> yaml.Node:
    """Mappings merge key by key, lists of blocks/tasks/campaigns by id; the rest is replaced."""
    if depth > 8:
        return child
    if isinstance(base, yaml.MappingNode) and isinstance(child, yaml.MappingNode):
        return _merge_mapping(base, child, depth + 1)
    if (
        key in (*_ID_LISTS, "tasks")
        and isinstance(base, yaml.SequenceNode)
        and isinstance(child, yaml.SequenceNode)
    ):
        items = list(base.value)
        where: dict[str, int] = {}  # id → index of its first item
        for index, base_item in enumerate(items):
            if (base_id := _item_id(base_item)) is not None:
                where.setdefault(base_id, index)
        for item in child.value:
            item_id = _item_id(item)
            found = where.get(item_id) if item_id is not None else None
            if found is None:
                if item_id is not None:
                    where[item_id] = len(items)
                items.append(item)
            else:
                items[found] = _merge_mapping(items[found], item, depth + 1)
        return yaml.SequenceNode(child.tag, items, child.start_mark, child.end_mark)
    return child


def _suggest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


# ---------------------------------------------------------------- validation


@dataclass
class _Fields:
    """A mapping's keys → (key node, value node), checked against what is allowed."""

    node: yaml.MappingNode
    values: dict[str, tuple[yaml.Node, yaml.Node]]

    def get(self, key: str) -> yaml.Node | None:
        pair = self.values.get(key)
        return pair[1] if pair else None


class _Validator:
    """Walks the (merged) node tree, building models and collecting every problem."""

    def __init__(self, problems: list[Problem], name: str) -> None:
        self.problems = problems
        self.name = name
        self.budget = MAX_NODES
        self.suggest_budget = SUGGEST_BUDGET
        self.block_nodes: dict[str, yaml.Node] = {}
        self.sources: list[Source] = []  # files besides the YAML the result depends on

    def add(self, where: yaml.Node | yaml.Mark, message: str, offset: int = 0) -> None:
        self.problems.append(_problem_at(where, message, offset))

    def suggest(self, word: str, choices: Any) -> str:
        self.suggest_budget -= len(choices)
        return _suggest(word, choices) if self.suggest_budget >= 0 else ""

    # -- generic shapes

    def fields(
        self, node: yaml.Node, what: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> _Fields | None:
        if not isinstance(node, yaml.MappingNode):
            self.add(node, f"{what} should be a mapping with keys {', '.join(allowed)}")
            return None
        self.budget -= len(node.value)
        if self.budget < 0:
            if self.budget + len(node.value) >= 0:
                self.add(node, "the schedule is too large (too many entries)")
            return None
        values: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.add(key_node, f"{what}: keys must be plain words")
                continue
            key = key_node.value
            if key in values:
                self.add(key_node, f"{what}: duplicate key {key!r}")
                continue
            if key not in allowed:
                self.add(
                    key_node,
                    f"{what}: unknown key {key!r}"
                    + _suggest(key, allowed)
                    + ("" if _suggest(key, allowed) else f" (allowed: {', '.join(allowed)})"),
                )
                continue
            values[key] = (key_node, value_node)
        for key in required:
            if key not in values:
                self.add(node, f"{what}: missing required key {key!r}")
        return _Fields(node, values)

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.add(node, f"{what} should be a list")
            return []
        return list(node.value)

    def text(
        self, node: yaml.Node | None, what: str, *, required: bool = False, lines: bool = False
    ) -> str | None:
        """A scalar's text, stripped; refused if it holds a character a terminal would act on
        (YAML escapes make them: "\\e[2J"); a line break only where `lines` (a detail)."""
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.add(node, f"{what} should be text, not a {_kind(node)}")
            return None
        if node.tag.endswith(":null") or not node.value.strip():
            if required:
                self.add(node, f"{what} must not be empty")
            return None
        value = str(node.value)
        if _SURROGATE.search(value):  # only escapes make them: "\ud83d\ude00" is JSON's 😀
            try:
                value = value.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeDecodeError:
                self.add(
                    node,
                    f"{what} has an escape for half a character (a lone surrogate "
                    "like \\ud83d); write the character itself",
                )
                return None
        unsafe = first_unsafe(value.strip(), line_breaks=lines)
        if unsafe is not None:
            self.add(
                node,
                f"{what} has a control character {unsafe} (escape sequences, line breaks and "
                "bidi controls cannot be shown as text); remove it",
            )
            return None
        return value.strip()

    def identifier(
        self, node: yaml.Node | None, what: str, pattern: re.Pattern[str] = ID_PATTERN
    ) -> str | None:
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        if not pattern.match(value):
            rule = (
                "letters, digits and _ (starting with a letter)"
                if pattern is METRIC_ID_PATTERN
                else "letters, digits, - and _"
            )
            self.add(node, f"{what} {value!r} may only use {rule}")
            return None
        return value

    def number(self, node: yaml.Node | None, what: str) -> float | None:
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            self.add(node, f"{what} should be a number, not {value!r}")
            return None
        if number != number or number in (float("inf"), float("-inf")):
            self.add(node, f"{what} should be a finite number")
            return None
        return number

    def day(self, node: yaml.Node | None, what: str) -> date | None:
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.add(node, f"{what} should be a date like 2026-11-02, not {value!r}")
            return None
        return day if self.in_range(node, what, day) else None

    def in_range(self, node: yaml.Node, what: str, day: date) -> bool:
        """A date opsplanner can plan around (year 9999 has no next week to compute)."""
        if EARLIEST_DATE <= day <= LATEST_DATE:
            return True
        self.add(node, f"{what} should be from {EARLIEST_DATE} to {LATEST_DATE}, not {day}")
        return False

    def clock_time(self, node: yaml.Node | None, what: str) -> time | None:
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        match = TIME_PATTERN.match(value)
        if not match:
            self.add(node, f'{what} should be a time like "08:30" (HH:MM), not {value!r}')
            return None
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            self.add(node, f"{what} {value!r} is not a time of day: hours run 00-23, minutes 00-59")
            return None
        return time(hour, minute)

    def repeat(self, node: yaml.Node | None, what: str) -> Recurrence | None:
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        try:
            return parse_repeat(value)
        except RepeatError as error:
            self.add(node, f"{what}: {error}")
            return None

    def choice(self, node: yaml.Node | None, what: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        if value not in choices:
            self.add(
                node,
                f"{what} should be one of {', '.join(choices)}, not {value!r}"
                + _suggest(value, choices),
            )
            return None
        return value

    def expression(self, node: yaml.Node, parse: Callable[[str], T], what: str) -> T | None:
        value = self.text(node, what, required=True)
        if value is None:
            return None
        try:
            return parse(str(node.value))
        except ExpressionError as error:
            shift = 1 if isinstance(node, yaml.ScalarNode) and node.style in ('"', "'") else 0
            simple = (
                isinstance(node, yaml.ScalarNode)
                and node.style in (None, '"', "'")
                and node.start_mark.line == node.end_mark.line
            )
            self.add(node, f"{what}: {error.message}", offset=shift + error.offset if simple else 0)
            return None

    # -- the schedule

    def schedule(self, root: yaml.MappingNode) -> Schedule | None:
        top = self.fields(root, "schedule", TOP_KEYS, required=("schedule", "title", "blocks"))
        if top is None:
            return None
        schedule_id = self.identifier(top.get("schedule"), "`schedule`")
        title = self.text(top.get("title"), "`title`", required=True)
        timezone = self.timezone(top.get("timezone"))
        language = self.language(top.get("language"))
        since = self.day(top.get("since"), "`since`") if top.get("since") else None
        calendar = self.calendar(top.get("calendar"))
        metrics = self.metrics(top.get("metrics"))
        metric_ids = {m.id for m in metrics}
        blocks = self.blocks(top.get("blocks"), metric_ids)
        block_ids = {b.id for b in blocks}
        targets = self.targets(top.get("targets"), metric_ids)
        campaigns = self.campaigns(top.get("campaigns"), block_ids)
        self.check_overlaps(blocks, since, calendar)
        if self.problems or schedule_id is None or title is None:
            return None
        return Schedule(
            id=schedule_id,
            title=title,
            source=self.name,
            timezone=timezone,
            language=language,
            since=since,
            calendar=calendar,
            metrics=metrics,
            blocks=blocks,
            targets=targets,
            campaigns=campaigns,
        )

    def timezone(self, node: yaml.Node | None) -> str | None:
        value = self.text(node, "`timezone`")
        if value is None or node is None:
            return None
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            self.add(
                node,
                f"`timezone`: unknown zone {value!r}; expected an IANA name such as "
                "Asia/Shanghai or Europe/Berlin",
            )
            return None
        return value

    def language(self, node: yaml.Node | None) -> str | None:
        """The language the template is written in: opsplanner speaks it too (i18n)."""
        value = self.text(node, "`language`")
        if value is None or node is None:
            return None
        from opsplanner.i18n import LANGUAGES, supported

        chosen = supported(value)
        if chosen is None:
            self.add(
                node, f"`language`: no translation for {value!r}; known: {', '.join(LANGUAGES)}"
            )
        return chosen

    def calendar(self, node: yaml.Node | None) -> Calendar:
        if node is None:
            return Calendar()
        fields = self.fields(node, "`calendar`", CALENDAR_KEYS)
        if fields is None:
            return Calendar()
        workdays: set[int] = set()
        working_dates: set[date] = set()
        workdays_node = fields.get("workdays")
        for item in self.sequence(workdays_node, "`calendar.workdays`") if workdays_node else []:
            name = (self.text(item, "a workday") or "").lower()
            if name[:3] in WEEKDAY_NAMES and name.isalpha():
                workdays.add(WEEKDAY_NAMES.index(name[:3]))
            elif name[:1].isdigit():
                working_dates |= self.dates(item, "`calendar.workdays`")
            else:
                self.add(
                    item,
                    f"`calendar.workdays`: expected a weekday (mon, tue, wed, thu, fri, sat, "
                    f"sun) or a date that is worked (2027-02-20), not "
                    f"{getattr(item, 'value', item)!r}",
                )
        holidays: set[date] = set()
        holidays_node = fields.get("holidays")
        for item in self.sequence(holidays_node, "`calendar.holidays`") if holidays_node else []:
            holidays |= self.dates(item, "`calendar.holidays`")
        return Calendar(
            # no weekday named (no list, or only dates): every weekday is a workday
            workdays=frozenset(workdays) if workdays else frozenset(range(7)),
            holidays=frozenset(holidays - working_dates),
            working_dates=frozenset(working_dates),
            country=self.country(fields.get("country")),
        )

    def country(self, node: yaml.Node | None) -> CountryDays | None:
        """The country's holidays for the kept years, read once here (see schedule.country)."""
        value = self.text(node, "`calendar.country`")
        if value is None or node is None:
            return None
        from opsplanner.schedule import country

        code = value.upper()
        try:
            if not country.supported(code):
                raise country.UnknownCountry(code)
            days_off, days_on = country.span_days(code, *country.KEPT_YEARS)
        except country.UnknownCountry:
            self.add(
                node,
                f"`calendar.country`: no public-holiday calendar for {value!r}; expected a "
                "two-letter country code such as CN",
            )
            return None
        data = country.data_file(code)
        if data is not None:
            with suppress(OSError):
                self.sources.append((data, data.read_bytes()))
        return CountryDays(code, country.KEPT_YEARS, days_off, days_on)

    def dates(self, node: yaml.Node, what: str) -> set[date]:
        """A date, or a range FIRST..LAST, as the set of its days."""
        value = self.text(node, what, required=True)
        if value is None:
            return set()
        first, _, last = value.partition("..")
        try:
            start = date.fromisoformat(first.strip())
            end = date.fromisoformat(last.strip()) if last else start
        except ValueError:
            self.add(
                node,
                f"{what}: expected a date like 2027-01-01 or a range like "
                f"2027-02-16..2027-02-22, not {value!r}",
            )
            return set()
        if not (self.in_range(node, "a holiday", start) and self.in_range(node, "a holiday", end)):
            return set()
        if end < start or (end - start).days > 366:
            self.add(node, f"{what}: range {value!r} must run forwards and span at most a year")
            return set()
        return {start + timedelta(days=n) for n in range((end - start).days + 1)}

    def metrics(self, node: yaml.Node | None) -> tuple[Metric, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.MappingNode):
            self.add(node, "`metrics` should be a mapping of metric id → {label, unit}")
            return ()
        metrics: list[Metric] = []
        formula_nodes: dict[str, yaml.Node] = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            metric_id = self.identifier(key_node, "metric id", METRIC_ID_PATTERN)
            if metric_id is None:
                continue
            if metric_id in seen:
                self.add(key_node, f"duplicate metric id {metric_id!r}")
                continue
            seen.add(metric_id)
            fields = self.fields(
                value_node, f"metric {metric_id!r}", METRIC_KEYS, required=("label",)
            )
            if fields is None:
                continue
            label = self.text(fields.get("label"), f"metric {metric_id!r} `label`") or metric_id
            unit_node = fields.get("unit")
            unit = (
                self.choice(unit_node, f"metric {metric_id!r} `unit`", UNITS)
                if unit_node
                else "number"
            )
            formula = None
            formula_node = fields.get("formula")
            if formula_node is not None:
                formula = self.expression(
                    formula_node, parse_formula, f"metric {metric_id!r} `formula`"
                )
                formula_nodes[metric_id] = formula_node
            metrics.append(
                Metric(
                    id=metric_id,
                    label=label,
                    unit=unit or "number",  # type: ignore[arg-type]
                    currency=self.text(fields.get("currency"), f"metric {metric_id!r} `currency`"),
                    formula=formula,
                )
            )
        self.check_formulas(metrics, formula_nodes)
        return tuple(metrics)

    def check_formulas(self, metrics: list[Metric], nodes: dict[str, yaml.Node]) -> None:
        known = {m.id for m in metrics}
        formulas: dict[str, Formula] = {m.id: m.formula for m in metrics if m.formula}
        for metric_id, formula in formulas.items():
            for name in sorted(formula.names - known):
                self.add(
                    nodes[metric_id],
                    f"metric {metric_id!r} `formula` names unknown metric "
                    f"{name!r}" + self.suggest(name, known),
                )
        for metric_id in formulas:
            if reaches(metric_id, metric_id, formulas, set()):
                self.add(nodes[metric_id], f"metric {metric_id!r} `formula` depends on itself")
        for metric_id, depth in formula_depths(formulas).items():
            if depth == MAX_FORMULA_CHAIN + 1:  # where a chain gets too long (reported once)
                self.add(
                    nodes[metric_id],
                    f"metric {metric_id!r} `formula` is number {depth} "
                    "in a chain of formulas that use each other; a chain may hold at most "
                    f"{MAX_FORMULA_CHAIN}",
                )

    def blocks(self, node: yaml.Node | None, metric_ids: set[str]) -> tuple[Block, ...]:
        blocks: list[Block] = []
        block_ids: dict[str, yaml.Node] = {}
        task_ids: dict[str, yaml.Node] = {}
        for item in self.sequence(node, "`blocks`") if node is not None else []:
            fields = self.fields(
                item, "block", BLOCK_KEYS, required=("id", "title", "start", "end")
            )
            if fields is None:
                continue
            id_node = fields.get("id")
            block_id = self.identifier(id_node, "block id")
            what = f"block {block_id!r}" if block_id else "block"
            if block_id and id_node is not None:
                if block_id in block_ids:
                    self.add(
                        id_node,
                        f"duplicate block id {block_id!r} (first at line "
                        f"{block_ids[block_id].start_mark.line + 1})",
                    )
                elif block_id in RESERVED_BLOCK_IDS:
                    self.add(
                        id_node,
                        f"block id {block_id!r} is reserved for the planner's own "
                        "blocks; choose another",
                    )
                block_ids.setdefault(block_id, id_node)
                self.block_nodes.setdefault(block_id, item)
            title = self.text(fields.get("title"), f"{what} `title`", required=True)
            start = self.clock_time(fields.get("start"), f"{what} `start`")
            end = self.clock_time(fields.get("end"), f"{what} `end`")
            end_node = fields.get("end")
            if start is not None and end is not None and end <= start and end_node is not None:
                self.add(
                    end_node, f"{what} ends at {end:%H:%M}, not after it starts at {start:%H:%M}"
                )
                end = None
            repeat = DAILY
            if fields.get("repeat") is not None:
                repeat = self.repeat(fields.get("repeat"), f"{what} `repeat`") or DAILY
                if repeat.after_done:
                    self.add(
                        fields.get("repeat") or item,
                        f"{what} `repeat`: a block is never done; use `after done` on its tasks",
                    )
            tasks_node = fields.get("tasks")
            task_nodes = (
                self.sequence(tasks_node, f"{what} `tasks`") if tasks_node is not None else []
            )
            tasks = tuple(
                task
                for task_node in task_nodes
                if (task := self.task(task_node, block_id or "", repeat, metric_ids, task_ids))
            )
            if block_id and title and start and end:
                blocks.append(Block(block_id, title, start, end, repeat, tasks))
        return tuple(sorted(blocks, key=lambda b: (b.start, b.end)))

    def task(
        self,
        node: yaml.Node,
        block_id: str,
        block_repeat: Recurrence,
        metric_ids: set[str],
        task_ids: dict[str, yaml.Node],
    ) -> Task | None:
        fields = self.fields(node, "task", TASK_KEYS, required=("id", "title"))
        if fields is None:
            return None
        id_node = fields.get("id")
        task_id = self.identifier(id_node, "task id")
        what = f"task {task_id!r}" if task_id else "task"
        if task_id and id_node is not None:
            if task_id in task_ids:
                self.add(
                    id_node,
                    f"duplicate task id {task_id!r} (first at line "
                    f"{task_ids[task_id].start_mark.line + 1}); task ids are "
                    "unique in a schedule",
                )
            task_ids.setdefault(task_id, id_node)
        title = self.text(fields.get("title"), f"{what} `title`", required=True)
        repeat = (
            self.repeat(fields.get("repeat"), f"{what} `repeat`")
            if fields.get("repeat") is not None
            else None
        )
        effective = repeat or block_repeat
        on_miss = "expire" if effective.is_daily else "carry"
        if fields.get("on_miss") is not None:
            on_miss = (
                self.choice(fields.get("on_miss"), f"{what} `on_miss`", ("expire", "carry"))
                or on_miss
            )
        metrics: list[str] = []
        metrics_node = fields.get("metrics")
        for item in self.sequence(metrics_node, f"{what} `metrics`") if metrics_node else []:
            name = self.text(item, "a metric id", required=True)
            if name is None:
                continue
            if name not in metric_ids:
                self.add(
                    item,
                    f"{what} names unknown metric {name!r}"
                    + self.suggest(name, metric_ids)
                    + ("" if metric_ids else "; declare it under `metrics:`"),
                )
            else:
                metrics.append(name)
        metrics_for = "today"
        if fields.get("metrics_for") is not None:
            metrics_for = (
                self.choice(
                    fields.get("metrics_for"), f"{what} `metrics_for`", ("today", "yesterday")
                )
                or "today"
            )
        checks: list[Check] = []
        checks_node = fields.get("checks")
        for item in self.sequence(checks_node, f"{what} `checks`") if checks_node else []:
            check = self.expression(item, parse_check, f"{what} check")
            if check is None:
                continue
            if check.metric not in metric_ids:
                self.add(
                    item,
                    f"{what} check names unknown metric {check.metric!r}"
                    + self.suggest(check.metric, metric_ids),
                )
                continue
            checks.append(check)
        if not (task_id and title):
            return None
        return Task(
            id=task_id,
            title=title,
            block_id=block_id,
            detail=self.text(fields.get("detail"), f"{what} `detail`", lines=True) or "",
            repeat=repeat,
            on_miss=on_miss,  # type: ignore[arg-type]
            metrics=tuple(metrics),
            metrics_for=metrics_for,  # type: ignore[arg-type]
            checks=tuple(checks),
        )

    def targets(self, node: yaml.Node | None, metric_ids: set[str]) -> tuple[Target, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.MappingNode):
            self.add(
                node,
                "`targets` should be a mapping of target id → {metric, from, base, growth, cap}",
            )
            return ()
        targets: list[Target] = []
        for key_node, value_node in node.value:
            target_id = self.identifier(key_node, "target id")
            fields = self.fields(
                value_node,
                f"target {target_id!r}",
                TARGET_KEYS,
                required=("metric", "from", "base"),
            )
            if fields is None or target_id is None:
                continue
            what = f"target {target_id!r}"
            metric = self.text(fields.get("metric"), f"{what} `metric`", required=True)
            if metric is not None and metric not in metric_ids:
                self.add(
                    fields.get("metric") or value_node,
                    f"{what} names unknown metric {metric!r}" + self.suggest(metric, metric_ids),
                )
            start = self.day(fields.get("from"), f"{what} `from`")
            base = self.number(fields.get("base"), f"{what} `base`")
            growth = self.percentage(fields.get("growth"), f"{what} `growth`")
            cap = self.number(fields.get("cap"), f"{what} `cap`") if fields.get("cap") else None
            if base is not None and cap is not None and cap < base:
                self.add(
                    fields.get("cap") or value_node,
                    f"{what} `cap` {cap:g} is below `base` {base:g}",
                )
            if metric and start and base is not None and growth is not None:
                targets.append(Target(target_id, metric, start, base, growth, cap))
        return tuple(targets)

    def percentage(self, node: yaml.Node | None, what: str) -> float | None:
        if node is None:
            return 0.0
        value = self.text(node, what, required=True)
        if value is None:
            return None
        match = PERCENT_PATTERN.match(value)
        if not match:
            self.add(node, f"{what} should be a percentage like 20%, not {value!r}")
            return None
        return float(match[1]) / 100

    def campaigns(self, node: yaml.Node | None, block_ids: set[str]) -> tuple[Campaign, ...]:
        campaigns: list[Campaign] = []
        seen: set[str] = set()
        for item in self.sequence(node, "`campaigns`") if node is not None else []:
            fields = self.fields(item, "campaign", CAMPAIGN_KEYS, required=("id", "title", "date"))
            if fields is None:
                continue
            campaign_id = self.identifier(fields.get("id"), "campaign id")
            if campaign_id in seen:
                self.add(fields.get("id") or item, f"duplicate campaign id {campaign_id!r}")
            what = f"campaign {campaign_id!r}"
            title = self.text(fields.get("title"), f"{what} `title`", required=True)
            when = self.campaign_date(fields.get("date"), f"{what} `date`")
            phases = self.phases(fields.get("phases"), what)
            on_day_off: OnDayOff = "keep"
            if fields.get("on_day_off") is not None:
                on_day_off = self.on_day_off(fields.get("on_day_off"), what) or "keep"
            grace = 7
            if fields.get("grace") is not None:
                grace = self.days(fields.get("grace"), f"{what} `grace`")
            tasks: list[CampaignTask] = []
            task_seen: set[str] = set()
            tasks_node = fields.get("tasks")
            for task_node in self.sequence(tasks_node, f"{what} `tasks`") if tasks_node else []:
                task = self.campaign_task(task_node, what, block_ids, phases)
                if task is None:
                    continue
                if task.id in task_seen:
                    self.add(task_node, f"{what}: duplicate task id {task.id!r}")
                    continue
                task_seen.add(task.id)
                tasks.append(task)
            if campaign_id and title and when and campaign_id not in seen:
                year, month, day = when
                campaigns.append(
                    Campaign(
                        campaign_id,
                        title,
                        month,
                        day,
                        year,
                        tuple(tasks),
                        tuple(phase for phase in (phases or {}).values() if phase),
                        on_day_off,
                        max(grace, 0),
                    )
                )
            if campaign_id:
                seen.add(campaign_id)
        return tuple(campaigns)

    def campaign_date(
        self, node: yaml.Node | None, what: str
    ) -> tuple[int | None, int, int] | None:
        """(year, month, day) from 2026-11-11 (once) or 11-11 (every year: year None)."""
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        match = MONTH_DAY_PATTERN.match(value)
        try:
            if match is None:
                once = date.fromisoformat(value)
                if not EARLIEST_DATE <= once <= LATEST_DATE:
                    self.add(
                        node, f"{what} should be from {EARLIEST_DATE} to {LATEST_DATE}, not {once}"
                    )
                    return None
                return once.year, once.month, once.day
            month, day = int(match[1]), int(match[2])
            date(2001, month, day)  # a year without 29 February: the date comes every year
            return None, month, day
        except ValueError:
            hint = (
                "; 02-29 does not come every year: choose 02-28 or 03-01"
                if match is not None and (match[1], match[2]) in (("02", "29"), ("2", "29"))
                else ""
            )
            self.add(
                node,
                f"{what} should be a date like 2026-11-11 (once) or 11-11 (every year), "
                f"not {value!r}{hint}",
            )
            return None

    def days(self, node: yaml.Node | None, what: str) -> int:
        """A span of days written 7d or 2w (0 when it is not one; the problem is reported)."""
        value = self.text(node, what, required=True)
        match = OFFSET_PATTERN.match(value) if value is not None else None
        if match is None or match[1].startswith("-"):
            if node is not None and value is not None:
                self.add(node, f"{what} should be a number of days like 7d or 2w, not {value!r}")
            return 0
        return int(match[1]) * (7 if match[2] == "w" else 1)

    def on_day_off(self, node: yaml.Node | None, what: str) -> OnDayOff | None:
        choice = self.choice(node, f"{what} `on_day_off`", ON_DAY_OFF)
        return next((c for c in ON_DAY_OFF if c == choice), None)

    def phases(self, node: yaml.Node | None, what: str) -> Phases:
        """Named periods of the event: {presale: {start: -20d, end: -1d}, main: {start: 0d}}.

        A phase declared with a mistake maps to None, and a `phases` that is no mapping is
        None: tasks naming them are then not reported again as naming an unknown phase."""
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.add(node, f"{what} `phases` should be a mapping of phase id → {{start, end}}")
            return None
        phases: dict[str, Phase | None] = {}
        for key_node, value_node in node.value:
            phase_id = self.identifier(key_node, f"{what} phase id")
            fields = self.fields(
                value_node, f"{what} phase {phase_id!r}", PHASE_KEYS, required=("start",)
            )
            if phase_id is None:
                continue
            if phase_id in phases:
                self.add(key_node, f"{what}: duplicate phase id {phase_id!r}")
                continue
            phases[phase_id] = None
            if fields is None:
                continue
            where = f"{what} phase {phase_id!r}"
            start = self.offset(fields.get("start"), f"{where} `start`")
            end_node = fields.get("end")
            end = self.offset(end_node, f"{where} `end`") if end_node is not None else start
            if start is None or end is None:
                continue
            if end < start and end_node is not None:
                self.add(end_node, f"{where} ends ({end:+d}d) before it starts ({start:+d}d)")
                continue
            phases[phase_id] = Phase(phase_id, start, end)
        return phases

    def offset(self, node: yaml.Node | None, what: str) -> int | None:
        """Days from the campaign date: -21d, +2d, 0d or -3w."""
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        match = OFFSET_PATTERN.match(value)
        if match is None:
            self.add(
                node,
                f"{what} should be days from the campaign date like -21d, 0d, +2d or -3w, "
                f"not {value!r}",
            )
            return None
        days = int(match[1]) * (7 if match[2] == "w" else 1)
        if abs(days) > MAX_CAMPAIGN_OFFSET:
            self.add(node, f"{what} is more than a year from the campaign date")
            return None
        return days

    def campaign_task(
        self, node: yaml.Node, campaign: str, block_ids: set[str], phases: Phases
    ) -> CampaignTask | None:
        fields = self.fields(
            node, f"{campaign} task", CAMPAIGN_TASK_KEYS, required=("id", "title", "when")
        )
        if fields is None:
            return None
        task_id = self.identifier(fields.get("id"), f"{campaign} task id")
        what = f"{campaign} task {task_id!r}"
        title = self.text(fields.get("title"), f"{what} `title`", required=True)
        when = self.when(fields.get("when"), f"{what} `when`", phases)
        block = None
        block_node = fields.get("block")
        if block_node is not None:
            block = self.text(block_node, f"{what} `block`", required=True)
            if block is not None and block not in block_ids:
                self.add(
                    block_node,
                    f"{what} names unknown block {block!r}" + self.suggest(block, block_ids),
                )
                block = None
        on_day_off = None
        if fields.get("on_day_off") is not None:
            on_day_off = self.on_day_off(fields.get("on_day_off"), what)
        if task_id is None or title is None or when is None:
            return None
        offset, phase, from_end = when
        detail = self.text(fields.get("detail"), f"{what} `detail`", lines=True) or ""
        return CampaignTask(task_id, title, offset, block, detail, phase, from_end, on_day_off)

    def when(
        self, node: yaml.Node | None, what: str, phases: Phases
    ) -> tuple[int, str | None, bool] | None:
        """(offset, phase, from its end) from -21d, `presale -5w` or `main end +2d`."""
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        match = WHEN_PATTERN.match(value)
        if match is None:
            self.add(
                node,
                f"{what} should be an offset from the campaign date like -21d, -1d, 0d, +2d "
                f"or -3w, or from a phase like `presale -5w` or `main end +2d`, not {value!r}",
            )
            return None
        offset = int(match["n"]) * (7 if match["unit"] == "w" else 1)
        phase = match["phase"]
        base = 0
        if phase is not None:
            found = phases.get(phase) if phases is not None else None
            if found is None:
                if phases is not None and phase not in phases:  # else: reported already
                    self.add(
                        node,
                        f"{what} names unknown phase {phase!r}"
                        + (
                            self.suggest(phase, phases)
                            if phases
                            else "; declare it under `phases:`"
                        ),
                    )
                return None
            base = found.end if match["edge"] == "end" else found.start
        if abs(base + offset) > MAX_CAMPAIGN_OFFSET:
            self.add(node, f"{what} is more than a year from the campaign date")
            return None
        return offset, phase, match["edge"] == "end"

    def check_overlaps(
        self, blocks: tuple[Block, ...], since: date | None, calendar: Calendar
    ) -> None:
        for first, second, day in overlaps(blocks, since, calendar):
            self.add_overlap(first, second, day)

    def add_overlap(self, first: Block, second: Block, day: date) -> None:
        self.add(
            self.block_nodes[second.id],
            f"block {second.id!r} ({second.start:%H:%M}-{second.end:%H:%M}) overlaps block "
            f"{first.id!r} ({first.start:%H:%M}-{first.end:%H:%M}) on days both occur, "
            f"e.g. {day:%a %Y-%m-%d}",
        )


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    return "list" if isinstance(node, yaml.SequenceNode) else "value"


def iter_problems(paths: list[Path]) -> Iterator[tuple[Path, Schedule | None, list[Problem]]]:
    """Validate several files, yielding each one's schedule or problems (for `check`)."""
    for path in paths:
        try:
            yield path, load_schedule(path), []
        except ScheduleError as error:
            yield path, None, error.problems
