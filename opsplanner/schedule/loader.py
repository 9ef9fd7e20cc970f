"""YAML template → validated `Schedule`, reporting every problem as FILE:LINE:COL: message.

The YAML is composed into nodes (never constructed into Python objects by PyYAML), so each
value keeps its position and scalars are read from their raw text: `8:30` stays a time
instead of YAML 1.1's sexagesimal integer 510.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml

from opsplanner.clock import EARLIEST_DATE, LATEST_DATE
from opsplanner.i18n import N_, _, long_day
from opsplanner.locations import special_file
from opsplanner.safe_text import first_unsafe
from opsplanner.schedule.checks import (
    Check,
    ExpressionError,
    Formula,
    name_offset,
    parse_check,
    parse_formula,
)
from opsplanner.schedule.errors import Problem, ScheduleError
from opsplanner.schedule.models import (
    BUILT_IN_NAMES,
    WEEKDAY_NAMES,
    Block,
    Calendar,
    Campaign,
    CampaignTask,
    CountryDays,
    Metric,
    MetricsFor,
    OnDayOff,
    Parameter,
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
PAUSE_HOLIDAYS_PATTERN = re.compile(r"^holidays(?:\s*>=\s*(\d{1,3}))?$")
PAUSE_HOLIDAYS_DEFAULT = 3  # a long public holiday (春节, 国庆) takes at least 3 workdays

TOP_KEYS = (
    "schedule",
    "title",
    "timezone",
    "language",
    "extends",
    "remove",
    "since",
    "calendar",
    "parameters",
    "metrics",
    "blocks",
    "targets",
    "campaigns",
    "import",
)
IMPORT_KEYS = ("columns",)
CALENDAR_KEYS = ("country", "workdays", "holidays")
METRIC_KEYS = ("label", "unit", "currency", "formula")
BLOCK_KEYS = ("id", "title", "start", "end", "repeat", "tasks")
TASK_KEYS = ("id", "title", "detail", "repeat", "on_miss", "metrics", "metrics_for", "checks")
TARGET_KEYS = ("metric", "from", "base", "growth", "cap", "pause")
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
        loader.add(_get(root, "extends") or root, _("`extends` needs a file on disk"))
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
                    _("invalid YAML: character {code} is not allowed here").format(
                        code=f"U+{int(error.character):04X}"
                    ),
                )
            )
            return None
        loader.name = name
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            reason = error.problem or error.context or _("invalid YAML")
            if mark is None:
                self.problems.append(Problem(name, 1, 1, _invalid_yaml(reason)))
            else:
                self.add(mark, _invalid_yaml(reason))
            return None
        except yaml.YAMLError as error:
            reason = " ".join(str(error).split())  # one line
            self.problems.append(Problem(name, 1, 1, _invalid_yaml(reason)))
            return None
        except RecursionError:
            self.problems.append(Problem(name, 1, 1, _("the YAML is nested too deeply")))
            return None
        except _TooManyNodes as error:
            self.add(
                error.mark,
                _("the schedule is too large: more than {count} YAML values").format(
                    count=f"{MAX_YAML_NODES:,}"
                ),
            )
            return None
        finally:
            loader.dispose()
        if root is None:
            self.problems.append(Problem(name, 1, 1, _("the file is empty; expected a schedule")))
            return None
        if not isinstance(root, yaml.MappingNode):
            self.add(
                root, _("expected a mapping with `schedule:`, `title:` and `blocks:` at the top")
            )
            return None
        size, loop = _expanded_size(root, MAX_YAML_NODES)
        if loop is not None:
            self.add(loop, _("this collection contains an alias to itself (*name inside &name)"))
            return None
        if size > MAX_YAML_NODES:
            self.add(
                root,
                _(
                    "the schedule is too large: more than {count} YAML values "
                    "once aliases (*name) are written out"
                ).format(count=f"{MAX_YAML_NODES:,}"),
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
                self.add(
                    where,
                    _("`extends`: {name} is {kind}, not a schedule file").format(
                        name=name, kind=_(kind)
                    ),
                )
                return None
            with path.open("rb") as stream:  # never more than the limit: /dev/zero is endless
                raw = stream.read(MAX_FILE_BYTES + 1)
                size = os.fstat(stream.fileno()).st_size
        except (OSError, ValueError) as error:  # ValueError: a NUL in the path
            reason = (error.strerror if isinstance(error, OSError) else None) or str(error)
            if where is not None:
                self.add(where, _("cannot read {name}: {reason}").format(name=name, reason=reason))
            else:
                self.problems.append(
                    Problem(name, 1, 1, _("cannot read the file: {reason}").format(reason=reason))
                )
            return None
        self.sources.append((path, raw))
        if len(raw) > MAX_FILE_BYTES:
            shown = (
                _("{count} bytes").format(count=f"{size:,}")
                if size > MAX_FILE_BYTES
                else _("over {count} bytes").format(count=f"{MAX_FILE_BYTES:,}")
            )
            self.problems.append(
                Problem(
                    name,
                    1,
                    1,
                    _("the file is {size}; a schedule must be under {count} bytes").format(
                        size=shown, count=f"{MAX_FILE_BYTES:,}"
                    ),
                )
            )
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            # Lines and columns as PyYAML counts them everywhere else: characters, its breaks.
            lines = _LINE_BREAK.split(raw[: error.start].decode("utf-8-sig"))
            self.problems.append(
                Problem(name, len(lines), len(lines[-1]) + 1, _("the file is not valid UTF-8 text"))
            )
            return None
        return self.compose_text(text, name)

    def compose_with_extends(
        self, path: Path, stack: tuple[Path, ...], where: yaml.Node | None = None
    ) -> yaml.MappingNode | None:
        resolved = path.resolve()
        if resolved in stack:
            chain = " → ".join(p.name for p in (*stack, resolved))
            self.add(
                where or yaml.Mark(str(path), 0, 0, 0, "", 0),
                _("circular `extends`: {chain}").format(chain=chain),
            )
            return None
        root = self.compose_file(path, where)
        if root is None:
            return None
        extends = _get(root, "extends")
        if extends is None:
            return root
        if not isinstance(extends, yaml.ScalarNode) or not extends.value:
            self.add(extends, _("`extends` expects the path of another schedule file"))
            return root
        missed: list[Path] = []
        base_path = resolve_schedule_path(extends.value, relative_to=path.parent, missed=missed)
        self.sources += [(place, None) for place in missed]
        if not path_exists(base_path):
            self.add(
                extends,
                _(
                    "`extends`: no schedule file {name} (looked in {folder} and the bundled "
                    "schedules)"
                ).format(name=repr(extends.value), folder=path.parent),
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
                        _("`remove`: nothing with id {id} is inherited").format(id=repr(item.value))
                        + loader.suggest(item.value, known),
                    )
        else:
            loader.add(remove_node, _("`remove` expects a list of ids, e.g. [fortnight-photo]"))
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
            ids |= {k.value for k, __ in mapping.value if isinstance(k, yaml.ScalarNode)}
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
    for index, (key, __) in enumerate(pairs):
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
    return _("; did you mean {name}?").format(name=repr(close[0])) if close else ""


def _invalid_yaml(reason: str) -> str:
    """PyYAML's own reason stays as PyYAML writes it (English), after our words."""
    return _("invalid YAML: {reason}").format(reason=reason)


def _key(what: str, key: str) -> str:
    """A key of something, as messages name it: block 'morning' `start`."""
    return _("{what} `{key}`").format(what=what, key=key)


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
        self.parameter_ids: set[str] = set()  # what formulas and thresholds may name
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
            self.add(
                node,
                _("{what} should be a mapping with keys {keys}").format(
                    what=what, keys=", ".join(allowed)
                ),
            )
            return None
        self.budget -= len(node.value)
        if self.budget < 0:
            if self.budget + len(node.value) >= 0:
                self.add(node, _("the schedule is too large (too many entries)"))
            return None
        values: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.add(key_node, _("{what}: keys must be plain words").format(what=what))
                continue
            key = key_node.value
            if key in values:
                self.add(
                    key_node, _("{what}: duplicate key {key}").format(what=what, key=repr(key))
                )
                continue
            if key not in allowed:
                self.add(
                    key_node,
                    _("{what}: unknown key {key}").format(what=what, key=repr(key))
                    + _suggest(key, allowed)
                    + (
                        ""
                        if _suggest(key, allowed)
                        else _(" (allowed: {keys})").format(keys=", ".join(allowed))
                    ),
                )
                continue
            values[key] = (key_node, value_node)
        for key in required:
            if key not in values:
                self.add(
                    node, _("{what}: missing required key {key}").format(what=what, key=repr(key))
                )
        return _Fields(node, values)

    def entries(self, node: yaml.Node, message: str) -> list[tuple[yaml.Node, yaml.Node]] | None:
        """A mapping's (key, value) nodes; None, with `message` reported, when it is not one."""
        if not isinstance(node, yaml.MappingNode):
            self.add(node, message)
            return None
        return list(node.value)

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.add(node, _("{what} should be a list").format(what=what))
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
            self.add(
                node,
                _("{what} should be text, not a {kind}").format(what=what, kind=_(_kind(node))),
            )
            return None
        if node.tag.endswith(":null") or not node.value.strip():
            if required:
                self.add(node, _("{what} must not be empty").format(what=what))
            return None
        value = str(node.value)
        if _SURROGATE.search(value):  # only escapes make them: "\ud83d\ude00" is JSON's 😀
            try:
                value = value.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeDecodeError:
                self.add(
                    node,
                    _(
                        "{what} has an escape for half a character (a lone surrogate "
                        "like \\ud83d); write the character itself"
                    ).format(what=what),
                )
                return None
        unsafe = first_unsafe(value.strip(), line_breaks=lines)
        if unsafe is not None:
            self.add(
                node,
                _(
                    "{what} has a control character {character} (escape sequences, line breaks "
                    "and bidi controls cannot be shown as text); remove it"
                ).format(what=what, character=unsafe),
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
                _("letters, digits and _ (starting with a letter)")
                if pattern is METRIC_ID_PATTERN
                else _("letters, digits, - and _")
            )
            self.add(
                node,
                _("{what} {value} may only use {rule}").format(
                    what=what, value=repr(value), rule=rule
                ),
            )
            return None
        return value

    def number(self, node: yaml.Node | None, what: str) -> float | None:
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            self.add(
                node,
                _("{what} should be a number, not {value}").format(what=what, value=repr(value)),
            )
            return None
        if number != number or number in (float("inf"), float("-inf")):
            self.add(node, _("{what} should be a finite number").format(what=what))
            return None
        return number

    def day(self, node: yaml.Node | None, what: str) -> date | None:
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.add(
                node,
                _("{what} should be a date like 2026-11-02, not {value}").format(
                    what=what, value=repr(value)
                ),
            )
            return None
        return day if self.in_range(node, what, day) else None

    def in_range(self, node: yaml.Node, what: str, day: date) -> bool:
        """A date opsplanner can plan around (year 9999 has no next week to compute)."""
        if EARLIEST_DATE <= day <= LATEST_DATE:
            return True
        self.add(node, _out_of_range(what, day))
        return False

    def clock_time(self, node: yaml.Node | None, what: str) -> time | None:
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        match = TIME_PATTERN.match(value)
        if not match:
            self.add(
                node,
                _('{what} should be a time like "08:30" (HH:MM), not {value}').format(
                    what=what, value=repr(value)
                ),
            )
            return None
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            self.add(
                node,
                _("{what} {value} is not a time of day: hours run 00-23, minutes 00-59").format(
                    what=what, value=repr(value)
                ),
            )
            return None
        return time(hour, minute)

    def repeat(self, node: yaml.Node | None, what: str) -> Recurrence | None:
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        try:
            return parse_repeat(value)
        except RepeatError as error:
            self.add(node, _("{what}: {error}").format(what=what, error=error))
            return None

    def choice(self, node: yaml.Node | None, what: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(node, what, required=True)
        if value is None or node is None:
            return None
        if value not in choices:
            self.add(
                node,
                _("{what} should be one of {choices}, not {value}").format(
                    what=what, choices=", ".join(choices), value=repr(value)
                )
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
            self.add_in(
                node, _("{what}: {error}").format(what=what, error=error.message), error.offset
            )
            return None

    def add_in(self, node: yaml.Node, message: str, offset: int) -> None:
        """A problem at `offset` in a one-line scalar's text (at its start otherwise)."""
        shift = 1 if isinstance(node, yaml.ScalarNode) and node.style in ('"', "'") else 0
        simple = (
            isinstance(node, yaml.ScalarNode)
            and node.style in (None, '"', "'")
            and node.start_mark.line == node.end_mark.line
        )
        self.add(node, message, offset=shift + offset if simple else 0)

    # -- the schedule

    def schedule(self, root: yaml.MappingNode) -> Schedule | None:
        top = self.fields(root, _("schedule"), TOP_KEYS, required=("schedule", "title", "blocks"))
        if top is None:
            return None
        schedule_id = self.identifier(top.get("schedule"), "`schedule`")
        title = self.text(top.get("title"), "`title`", required=True)
        timezone = self.timezone(top.get("timezone"))
        language = self.language(top.get("language"))
        since = self.day(top.get("since"), "`since`") if top.get("since") else None
        calendar = self.calendar(top.get("calendar"))
        parameters = self.parameters(top.get("parameters"))
        metrics = self.metrics(top.get("metrics"))
        metric_ids = {m.id for m in metrics}
        self.check_parameter_names(top.get("parameters"), metric_ids)
        blocks = self.blocks(top.get("blocks"), metric_ids)
        block_ids = {b.id for b in blocks}
        targets = self.targets(top.get("targets"), metric_ids)
        campaigns = self.campaigns(top.get("campaigns"), block_ids)
        import_columns = self.import_columns(top.get("import"), metric_ids)
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
            import_columns=import_columns,
            parameters=parameters,
        )

    def import_columns(
        self, node: yaml.Node | None, metric_ids: set[str]
    ) -> tuple[tuple[str, str], ...]:
        """`import: {columns: {访客数: visitors, …}}`: which metric a file's column holds."""
        if node is None:
            return ()
        fields = self.fields(node, "`import`", IMPORT_KEYS)
        columns = fields.get("columns") if fields is not None else None
        if columns is None:
            return ()
        items = self.entries(
            columns,
            _("`import.columns` should map a column header to a metric id (访客数: visitors)"),
        )
        if items is None:
            return ()
        self.budget -= len(items)
        found: dict[str, str] = {}
        for key_node, value_node in items:
            header = self.text(key_node, _("an `import.columns` header"), required=True)
            metric = self.text(value_node, _("an `import.columns` metric"), required=True)
            if header is None or metric is None:
                continue
            if metric not in metric_ids:
                self.add(
                    value_node,
                    _("`import.columns`: {header} names an unknown metric {metric}").format(
                        header=repr(header), metric=repr(metric)
                    )
                    + self.suggest(metric, sorted(metric_ids)),
                )
                continue
            if header in found:
                self.add(
                    key_node,
                    _("`import.columns`: duplicate header {header}").format(header=repr(header)),
                )
                continue
            found[header] = metric
        return tuple(found.items())

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
                _(
                    "`timezone`: unknown zone {value}; expected an IANA name such as "
                    "Asia/Shanghai or Europe/Berlin"
                ).format(value=repr(value)),
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
                node,
                _("`language`: no translation for {value}; known: {known}").format(
                    value=repr(value), known=", ".join(LANGUAGES)
                ),
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
            name = (self.text(item, _("a workday")) or "").lower()
            if name[:3] in WEEKDAY_NAMES and name.isalpha():
                workdays.add(WEEKDAY_NAMES.index(name[:3]))
            elif name[:1].isdigit():
                working_dates |= self.dates(item, "`calendar.workdays`")
            else:
                self.add(
                    item,
                    _(
                        "`calendar.workdays`: expected a weekday (mon, tue, wed, thu, fri, sat, "
                        "sun) or a date that is worked (2027-02-20), not {value}"
                    ).format(value=repr(getattr(item, "value", item))),
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
                _(
                    "`calendar.country`: no public-holiday calendar for {value}; expected a "
                    "two-letter country code such as CN"
                ).format(value=repr(value)),
            )
            return None
        data = country.data_file(code)
        if data is not None:
            with suppress(OSError):
                self.sources.append((data, data.read_bytes()))
        return CountryDays(code, country.KEPT_YEARS, days_off, days_on)

    def dates(self, node: yaml.Node, what: str, kind: str | None = None) -> set[date]:
        """A date, or a range FIRST..LAST, as the set of its days (`kind`: what one is)."""
        value = self.text(node, what, required=True)
        if value is None:
            return set()
        first, __, last = value.partition("..")
        try:
            start = date.fromisoformat(first.strip())
            end = date.fromisoformat(last.strip()) if last else start
        except ValueError:
            self.add(
                node,
                _(
                    "{what}: expected a date like 2027-01-01 or a range like "
                    "2027-02-16..2027-02-22, not {value}"
                ).format(what=what, value=repr(value)),
            )
            return set()
        holiday = kind or _("a holiday")
        if not (self.in_range(node, holiday, start) and self.in_range(node, holiday, end)):
            return set()
        if end < start or (end - start).days > 366:
            self.add(
                node,
                _("{what}: range {value} must run forwards and span at most a year").format(
                    what=what, value=repr(value)
                ),
            )
            return set()
        return {start + timedelta(days=n) for n in range((end - start).days + 1)}

    def parameters(self, node: yaml.Node | None) -> tuple[Parameter, ...]:
        """`parameters:` name → a number or a percentage (`gross_margin: 40%` is 0.4)."""
        if node is None:
            return ()
        items = self.entries(
            node,
            _(
                "`parameters` should be a mapping of name → number or percentage, like "
                "gross_margin: 40%"
            ),
        )
        if items is None:
            return ()
        parameters: list[Parameter] = []
        for key_node, value_node in items:
            name = self.identifier(key_node, _("parameter name"), METRIC_ID_PATTERN)
            if name is None:
                continue
            if name in self.parameter_ids:
                self.add(key_node, _("duplicate parameter {name}").format(name=repr(name)))
                continue
            self.parameter_ids.add(name)
            if name in BUILT_IN_NAMES:
                self.add(key_node, _built_in(_("parameter {name}").format(name=repr(name))))
                continue
            what = _("parameter {name}").format(name=repr(name))
            value = self.text(value_node, what, required=True)
            if value is None:
                continue
            match = PERCENT_PATTERN.match(value)
            try:
                number = float(match[1]) / 100 if match else float(value.replace("_", ""))
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                self.add(
                    value_node,
                    _("{what} should be a number or a percentage like 40%, not {value}").format(
                        what=what, value=repr(value)
                    ),
                )
                continue
            parameters.append(Parameter(name, number))
        return tuple(parameters)

    def check_parameter_names(self, node: yaml.Node | None, metric_ids: set[str]) -> None:
        """A name means one thing in a formula: a parameter may not share a metric's id."""
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, __ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value in metric_ids:
                self.add(
                    key_node,
                    _("parameter {name} has the same name as a metric; rename one of them").format(
                        name=repr(key_node.value)
                    ),
                )

    def unknown_name(self, node: yaml.Node, name: str, message: str, choices: set[str]) -> None:
        """An unknown name in a formula or check, at its column, with a 'did you mean'."""
        hint = "" if name in BUILT_IN_NAMES else self.suggest(name, choices)
        self.add_in(node, message + hint, name_offset(str(node.value), name))

    def metrics(self, node: yaml.Node | None) -> tuple[Metric, ...]:
        if node is None:
            return ()
        items = self.entries(node, _("`metrics` should be a mapping of metric id → {label, unit}"))
        if items is None:
            return ()
        metrics: list[Metric] = []
        formula_nodes: dict[str, yaml.Node] = {}
        seen: set[str] = set()
        for key_node, value_node in items:
            metric_id = self.identifier(key_node, _("metric id"), METRIC_ID_PATTERN)
            if metric_id is None:
                continue
            if metric_id in seen:
                self.add(key_node, _("duplicate metric id {id}").format(id=repr(metric_id)))
                continue
            if metric_id in BUILT_IN_NAMES:
                self.add(key_node, _built_in(_("metric id {id}").format(id=repr(metric_id))))
            seen.add(metric_id)
            what = _("metric {id}").format(id=repr(metric_id))
            fields = self.fields(value_node, what, METRIC_KEYS, required=("label",))
            if fields is None:
                continue
            label = self.text(fields.get("label"), _key(what, "label")) or metric_id
            unit_node = fields.get("unit")
            unit = self.choice(unit_node, _key(what, "unit"), UNITS) if unit_node else "number"
            formula = None
            formula_node = fields.get("formula")
            if formula_node is not None:
                formula = self.expression(formula_node, parse_formula, _key(what, "formula"))
                formula_nodes[metric_id] = formula_node
            metrics.append(
                Metric(
                    id=metric_id,
                    label=label,
                    unit=unit or "number",  # type: ignore[arg-type]
                    currency=self.text(fields.get("currency"), _key(what, "currency")),
                    formula=formula,
                )
            )
        self.check_formulas(metrics, formula_nodes)
        return tuple(metrics)

    def check_formulas(self, metrics: list[Metric], nodes: dict[str, yaml.Node]) -> None:
        known = {m.id for m in metrics} | self.parameter_ids
        formulas: dict[str, Formula] = {m.id: m.formula for m in metrics if m.formula}
        for metric_id, formula in formulas.items():
            for name in sorted(formula.names - known):
                if name in BUILT_IN_NAMES:
                    message = _(
                        "metric {id} `formula`: {name} can only be used in a check's threshold"
                    )
                elif self.parameter_ids:
                    message = _("metric {id} `formula` names unknown metric or parameter {name}")
                else:
                    message = _("metric {id} `formula` names unknown metric {name}")
                self.unknown_name(
                    nodes[metric_id],
                    name,
                    message.format(id=repr(metric_id), name=repr(name)),
                    known,
                )
        for metric_id in formulas:
            if reaches(metric_id, metric_id, formulas, set()):
                self.add(
                    nodes[metric_id],
                    _("metric {id} `formula` depends on itself").format(id=repr(metric_id)),
                )
        for metric_id, depth in formula_depths(formulas).items():
            if depth == MAX_FORMULA_CHAIN + 1:  # where a chain gets too long (reported once)
                self.add(
                    nodes[metric_id],
                    _(
                        "metric {id} `formula` is number {depth} in a chain of formulas that "
                        "use each other; a chain may hold at most {count}"
                    ).format(id=repr(metric_id), depth=depth, count=MAX_FORMULA_CHAIN),
                )

    def blocks(self, node: yaml.Node | None, metric_ids: set[str]) -> tuple[Block, ...]:
        blocks: list[Block] = []
        block_ids: dict[str, yaml.Node] = {}
        task_ids: dict[str, yaml.Node] = {}
        for item in self.sequence(node, "`blocks`") if node is not None else []:
            fields = self.fields(
                item, _("block"), BLOCK_KEYS, required=("id", "title", "start", "end")
            )
            if fields is None:
                continue
            id_node = fields.get("id")
            block_id = self.identifier(id_node, _("block id"))
            what = _("block {id}").format(id=repr(block_id)) if block_id else _("block")
            if block_id and id_node is not None:
                if block_id in block_ids:
                    self.add(
                        id_node,
                        _("duplicate block id {id} (first at line {line})").format(
                            id=repr(block_id), line=block_ids[block_id].start_mark.line + 1
                        ),
                    )
                elif block_id in RESERVED_BLOCK_IDS:
                    self.add(
                        id_node,
                        _(
                            "block id {id} is reserved for the planner's own blocks; choose another"
                        ).format(id=repr(block_id)),
                    )
                block_ids.setdefault(block_id, id_node)
                self.block_nodes.setdefault(block_id, item)
            title = self.text(fields.get("title"), _key(what, "title"), required=True)
            start = self.clock_time(fields.get("start"), _key(what, "start"))
            end = self.clock_time(fields.get("end"), _key(what, "end"))
            end_node = fields.get("end")
            if start is not None and end is not None and end <= start and end_node is not None:
                self.add(
                    end_node,
                    _("{what} ends at {end}, not after it starts at {start}").format(
                        what=what, end=f"{end:%H:%M}", start=f"{start:%H:%M}"
                    ),
                )
                end = None
            repeat = DAILY
            if fields.get("repeat") is not None:
                repeat = self.repeat(fields.get("repeat"), _key(what, "repeat")) or DAILY
                if repeat.after_done:
                    self.add(
                        fields.get("repeat") or item,
                        _("{what}: a block is never done; use `after done` on its tasks").format(
                            what=_key(what, "repeat")
                        ),
                    )
            tasks_node = fields.get("tasks")
            task_nodes = (
                self.sequence(tasks_node, _key(what, "tasks")) if tasks_node is not None else []
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
        fields = self.fields(node, _("task"), TASK_KEYS, required=("id", "title"))
        if fields is None:
            return None
        id_node = fields.get("id")
        task_id = self.identifier(id_node, _("task id"))
        what = _("task {id}").format(id=repr(task_id)) if task_id else _("task")
        if task_id and id_node is not None:
            if task_id in task_ids:
                self.add(
                    id_node,
                    _(
                        "duplicate task id {id} (first at line {line}); task ids are unique "
                        "in a schedule"
                    ).format(id=repr(task_id), line=task_ids[task_id].start_mark.line + 1),
                )
            task_ids.setdefault(task_id, id_node)
        title = self.text(fields.get("title"), _key(what, "title"), required=True)
        repeat = (
            self.repeat(fields.get("repeat"), _key(what, "repeat"))
            if fields.get("repeat") is not None
            else None
        )
        effective = repeat or block_repeat
        on_miss = "expire" if effective.is_daily else "carry"
        if fields.get("on_miss") is not None:
            on_miss = (
                self.choice(fields.get("on_miss"), _key(what, "on_miss"), ("expire", "carry"))
                or on_miss
            )
        metrics: list[str] = []
        metrics_node = fields.get("metrics")
        for item in self.sequence(metrics_node, _key(what, "metrics")) if metrics_node else []:
            name = self.text(item, _("a metric id"), required=True)
            if name is None:
                continue
            if name not in metric_ids:
                self.add(
                    item,
                    _("{what} names unknown metric {name}").format(what=what, name=repr(name))
                    + self.suggest(name, metric_ids)
                    + ("" if metric_ids else _("; declare it under `metrics:`")),
                )
            else:
                metrics.append(name)
        metrics_for = "today"
        if fields.get("metrics_for") is not None:
            metrics_for = (
                self.choice(
                    fields.get("metrics_for"), _key(what, "metrics_for"), get_args(MetricsFor)
                )
                or "today"
            )
        checks: list[Check] = []
        checks_node = fields.get("checks")
        for item in self.sequence(checks_node, _key(what, "checks")) if checks_node else []:
            check = self.expression(item, parse_check, _("{what} check").format(what=what))
            if check is None:
                continue
            if check.metric not in metric_ids:
                self.add(
                    item,
                    _("{what} check names unknown metric {name}").format(
                        what=what, name=repr(check.metric)
                    )
                    + self.suggest(check.metric, metric_ids),
                )
                continue
            known = metric_ids | self.parameter_ids | BUILT_IN_NAMES
            unknown = sorted(check.names - known)
            for name in unknown:
                self.unknown_name(
                    item,
                    name,
                    _(
                        "{what} check names unknown {name}; a threshold may use numbers, "
                        "metrics, parameters and {built_in}"
                    ).format(
                        what=what, name=repr(name), built_in=", ".join(sorted(BUILT_IN_NAMES))
                    ),
                    known,
                )
            if not unknown:
                checks.append(check)
        if not (task_id and title):
            return None
        return Task(
            id=task_id,
            title=title,
            block_id=block_id,
            detail=self.text(fields.get("detail"), _key(what, "detail"), lines=True) or "",
            repeat=repeat,
            on_miss=on_miss,  # type: ignore[arg-type]
            metrics=tuple(metrics),
            metrics_for=metrics_for,  # type: ignore[arg-type]
            checks=tuple(checks),
        )

    def targets(self, node: yaml.Node | None, metric_ids: set[str]) -> tuple[Target, ...]:
        if node is None:
            return ()
        items = self.entries(
            node,
            _(
                "`targets` should be a mapping of target id → "
                "{metric, from, base, growth, cap, pause}"
            ),
        )
        if items is None:
            return ()
        targets: list[Target] = []
        for key_node, value_node in items:
            target_id = self.identifier(key_node, _("target id"))
            what = _("target {id}").format(id=repr(target_id))
            fields = self.fields(value_node, what, TARGET_KEYS, required=("metric", "from", "base"))
            if fields is None or target_id is None:
                continue
            metric = self.text(fields.get("metric"), _key(what, "metric"), required=True)
            if metric is not None and metric not in metric_ids:
                self.add(
                    fields.get("metric") or value_node,
                    _("{what} names unknown metric {name}").format(what=what, name=repr(metric))
                    + self.suggest(metric, metric_ids),
                )
            start = self.day(fields.get("from"), _key(what, "from"))
            base = self.number(fields.get("base"), _key(what, "base"))
            growth = self.percentage(fields.get("growth"), _key(what, "growth"))
            cap = self.number(fields.get("cap"), _key(what, "cap")) if fields.get("cap") else None
            if base is not None and cap is not None and cap < base:
                self.add(
                    fields.get("cap") or value_node,
                    _("{what} `cap` {cap} is below `base` {base}").format(
                        what=what, cap=f"{cap:g}", base=f"{base:g}"
                    ),
                )
            pause_holidays, pause_dates = self.pause(fields.get("pause"), _key(what, "pause"))
            if metric and start and base is not None and growth is not None:
                targets.append(
                    Target(target_id, metric, start, base, growth, cap, pause_holidays, pause_dates)
                )
        return tuple(targets)

    def pause(self, node: yaml.Node | None, what: str) -> tuple[int | None, frozenset[date]]:
        """`pause:` one item or a list: `holidays` (weeks with 3 or more days off on
        workdays), `holidays >= N`, or a date or range FIRST..LAST (the weeks holding it)."""
        if node is None:
            return None, frozenset()
        items = self.sequence(node, what) if not isinstance(node, yaml.ScalarNode) else [node]
        holidays: int | None = None
        days: set[date] = set()
        for item in items:
            value = self.text(item, what, required=True)
            if value is None:
                continue
            if match := PAUSE_HOLIDAYS_PATTERN.match(value):
                count = int(match[1]) if match[1] else PAUSE_HOLIDAYS_DEFAULT
                if not 1 <= count <= 7:
                    self.add(
                        item,
                        _("{what}: a week has 1 to 7 days, not {count}").format(
                            what=what, count=count
                        ),
                    )
                    continue
                holidays = count if holidays is None else min(holidays, count)
            elif value[:1].isdigit():
                days |= self.dates(item, what, _("a paused day"))
            else:
                self.add(
                    item,
                    _(
                        "{what}: expected holidays, holidays >= N or dates like "
                        "2027-02-08..2027-02-21, not {value}"
                    ).format(what=what, value=repr(value)),
                )
        return holidays, frozenset(days)

    def percentage(self, node: yaml.Node | None, what: str) -> float | None:
        if node is None:
            return 0.0
        value = self.text(node, what, required=True)
        if value is None:
            return None
        match = PERCENT_PATTERN.match(value)
        if not match:
            self.add(
                node,
                _("{what} should be a percentage like 20%, not {value}").format(
                    what=what, value=repr(value)
                ),
            )
            return None
        return float(match[1]) / 100

    def campaigns(self, node: yaml.Node | None, block_ids: set[str]) -> tuple[Campaign, ...]:
        campaigns: list[Campaign] = []
        seen: set[str] = set()
        for item in self.sequence(node, "`campaigns`") if node is not None else []:
            fields = self.fields(
                item, _("campaign"), CAMPAIGN_KEYS, required=("id", "title", "date")
            )
            if fields is None:
                continue
            campaign_id = self.identifier(fields.get("id"), _("campaign id"))
            if campaign_id in seen:
                self.add(
                    fields.get("id") or item,
                    _("duplicate campaign id {id}").format(id=repr(campaign_id)),
                )
            what = _("campaign {id}").format(id=repr(campaign_id))
            title = self.text(fields.get("title"), _key(what, "title"), required=True)
            when = self.campaign_date(fields.get("date"), _key(what, "date"))
            phases = self.phases(fields.get("phases"), what)
            on_day_off: OnDayOff = "keep"
            if fields.get("on_day_off") is not None:
                on_day_off = self.on_day_off(fields.get("on_day_off"), what) or "keep"
            grace = 7
            if fields.get("grace") is not None:
                grace = self.days(fields.get("grace"), _key(what, "grace"))
            tasks: list[CampaignTask] = []
            task_seen: set[str] = set()
            tasks_node = fields.get("tasks")
            for task_node in self.sequence(tasks_node, _key(what, "tasks")) if tasks_node else []:
                task = self.campaign_task(task_node, what, block_ids, phases)
                if task is None:
                    continue
                if task.id in task_seen:
                    self.add(
                        task_node,
                        _("{what}: duplicate task id {id}").format(what=what, id=repr(task.id)),
                    )
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
                    self.add(node, _out_of_range(what, once))
                    return None
                return once.year, once.month, once.day
            month, day = int(match[1]), int(match[2])
            date(2001, month, day)  # a year without 29 February: the date comes every year
            return None, month, day
        except ValueError:
            hint = (
                _("; 02-29 does not come every year: choose 02-28 or 03-01")
                if match is not None and (match[1], match[2]) in (("02", "29"), ("2", "29"))
                else ""
            )
            self.add(
                node,
                _(
                    "{what} should be a date like 2026-11-11 (once) or 11-11 (every year), "
                    "not {value}"
                ).format(what=what, value=repr(value))
                + hint,
            )
            return None

    def days(self, node: yaml.Node | None, what: str) -> int:
        """A span of days written 7d or 2w (0 when it is not one; the problem is reported)."""
        value = self.text(node, what, required=True)
        match = OFFSET_PATTERN.match(value) if value is not None else None
        if match is None or match[1].startswith("-"):
            if node is not None and value is not None:
                self.add(
                    node,
                    _("{what} should be a number of days like 7d or 2w, not {value}").format(
                        what=what, value=repr(value)
                    ),
                )
            return 0
        return int(match[1]) * (7 if match[2] == "w" else 1)

    def on_day_off(self, node: yaml.Node | None, what: str) -> OnDayOff | None:
        choice = self.choice(node, _key(what, "on_day_off"), ON_DAY_OFF)
        return next((c for c in ON_DAY_OFF if c == choice), None)

    def phases(self, node: yaml.Node | None, what: str) -> Phases:
        """Named periods of the event: {presale: {start: -20d, end: -1d}, main: {start: 0d}}.

        A phase declared with a mistake maps to None, and a `phases` that is no mapping is
        None: tasks naming them are then not reported again as naming an unknown phase."""
        if node is None:
            return {}
        items = self.entries(
            node,
            _("{what} `phases` should be a mapping of phase id → {{start, end}}").format(what=what),
        )
        if items is None:
            return None
        phases: dict[str, Phase | None] = {}
        for key_node, value_node in items:
            phase_id = self.identifier(key_node, _("{what} phase id").format(what=what))
            where = _("{what} phase {id}").format(what=what, id=repr(phase_id))
            fields = self.fields(value_node, where, PHASE_KEYS, required=("start",))
            if phase_id is None:
                continue
            if phase_id in phases:
                self.add(
                    key_node,
                    _("{what}: duplicate phase id {id}").format(what=what, id=repr(phase_id)),
                )
                continue
            phases[phase_id] = None
            if fields is None:
                continue
            start = self.offset(fields.get("start"), _key(where, "start"))
            end_node = fields.get("end")
            end = self.offset(end_node, _key(where, "end")) if end_node is not None else start
            if start is None or end is None:
                continue
            if end < start and end_node is not None:
                self.add(
                    end_node,
                    _("{what} ends ({end}) before it starts ({start})").format(
                        what=where, end=f"{end:+d}d", start=f"{start:+d}d"
                    ),
                )
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
                _(
                    "{what} should be days from the campaign date like -21d, 0d, +2d or -3w, "
                    "not {value}"
                ).format(what=what, value=repr(value)),
            )
            return None
        days = int(match[1]) * (7 if match[2] == "w" else 1)
        if abs(days) > MAX_CAMPAIGN_OFFSET:
            self.add(node, _far_from_campaign(what))
            return None
        return days

    def campaign_task(
        self, node: yaml.Node, campaign: str, block_ids: set[str], phases: Phases
    ) -> CampaignTask | None:
        fields = self.fields(
            node,
            _("{campaign} task").format(campaign=campaign),
            CAMPAIGN_TASK_KEYS,
            required=("id", "title", "when"),
        )
        if fields is None:
            return None
        task_id = self.identifier(
            fields.get("id"), _("{campaign} task id").format(campaign=campaign)
        )
        what = _("{campaign} task {id}").format(campaign=campaign, id=repr(task_id))
        title = self.text(fields.get("title"), _key(what, "title"), required=True)
        when = self.when(fields.get("when"), _key(what, "when"), phases)
        block = None
        block_node = fields.get("block")
        if block_node is not None:
            block = self.text(block_node, _key(what, "block"), required=True)
            if block is not None and block not in block_ids:
                self.add(
                    block_node,
                    _("{what} names unknown block {name}").format(what=what, name=repr(block))
                    + self.suggest(block, block_ids),
                )
                block = None
        on_day_off = None
        if fields.get("on_day_off") is not None:
            on_day_off = self.on_day_off(fields.get("on_day_off"), what)
        if task_id is None or title is None or when is None:
            return None
        offset, phase, from_end = when
        detail = self.text(fields.get("detail"), _key(what, "detail"), lines=True) or ""
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
                _(
                    "{what} should be an offset from the campaign date like -21d, -1d, 0d, +2d "
                    "or -3w, or from a phase like `presale -5w` or `main end +2d`, not {value}"
                ).format(what=what, value=repr(value)),
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
                        _("{what} names unknown phase {name}").format(what=what, name=repr(phase))
                        + (
                            self.suggest(phase, phases)
                            if phases
                            else _("; declare it under `phases:`")
                        ),
                    )
                return None
            base = found.end if match["edge"] == "end" else found.start
        if abs(base + offset) > MAX_CAMPAIGN_OFFSET:
            self.add(node, _far_from_campaign(what))
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
            _(
                "block {id} ({time}) overlaps block {other} ({other_time}) on days both "
                "occur, e.g. {day}"
            ).format(
                id=repr(second.id),
                time=f"{second.start:%H:%M}-{second.end:%H:%M}",
                other=repr(first.id),
                other_time=f"{first.start:%H:%M}-{first.end:%H:%M}",
                day=long_day(day),
            ),
        )


def _kind(node: yaml.Node) -> str:
    """What a node is, marked for translation (translated where shown)."""
    if isinstance(node, yaml.MappingNode):
        return N_("mapping")
    return N_("list") if isinstance(node, yaml.SequenceNode) else N_("value")


def _built_in(what: str) -> str:
    return _("{what} is a name opsplanner gives a meaning to; choose another").format(what=what)


def _far_from_campaign(what: str) -> str:
    return _("{what} is more than a year from the campaign date").format(what=what)


def _out_of_range(what: str, day: date) -> str:
    """A date opsplanner cannot plan around, said with the range it can."""
    return _("{what} should be from {earliest} to {latest}, not {day}").format(
        what=what, earliest=EARLIEST_DATE, latest=LATEST_DATE, day=day
    )


def iter_problems(paths: list[Path]) -> Iterator[tuple[Path, Schedule | None, list[Problem]]]:
    """Validate several files, yielding each one's schedule or problems (for `check`)."""
    for path in paths:
        try:
            yield path, load_schedule(path), []
        except ScheduleError as error:
            yield path, None, error.problems
