"""The keys, explained: `?` from anywhere. Generated from the bindings of the screen it was
opened from (and the app's), so it lists the keys that screen really has. Descriptions and
tooltips are translated as the help is drawn (bindings mark them with `N_`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from opsplanner.i18n import N_, _
from opsplanner.tui.widgets.styled import ComponentStyled

NOT_BINDINGS = (
    ("↑ ↓", N_("Move in a list")),
    ("tab", N_("Switch between lists (shift+tab: back)")),
)
"""Keys the help explains that are not bindings of ours (Textual's own)."""

MARKERS = N_(
    "▶ marks the block you are in; ! a past block with unfinished tasks. "
    "A task is ○ pending, ✓ done, – skipped, → carried or ✗ missed. "
    "⟲2 since 11-21 means it was carried over twice since 11-21; "
    "three times or more stands out. Every change is saved as it is made."
)


@dataclass(frozen=True, slots=True)
class KeyHelp:
    """One action as the help lists it: the keys that run it (as displayed), what it is
    called, and the longer explanation (the binding's tooltip), as the code writes them (the
    help translates them as it draws)."""

    keys: tuple[str, ...]
    description: str
    tooltip: str = ""


def own_bindings(node: DOMNode) -> list[Binding]:
    """The bindings a node's classes in this project declare (Textual's own, such as tab or
    the option lists' arrows, are explained in prose instead)."""
    found: list[Binding] = []
    for cls in reversed(type(node).__mro__):
        if cls.__module__.partition(".")[0] == "textual":
            continue
        found.extend(Binding.make_bindings(cls.__dict__.get("BINDINGS", [])))
    return found


def key_help(screen: Screen[Any]) -> tuple[list[KeyHelp], list[KeyHelp]]:
    """(the screen's keys, the app's keys): the bindings declared on the screen, on its
    focused widget and that widget's containers, and on the app, in declaration order, with
    the keys in force (a keymap applied; a key that a closer binding of ours takes left out)."""
    app = screen.app
    focused = screen.focused
    chain: list[DOMNode] = list(focused.ancestors_with_self) if focused else [screen, app]
    declared = {id(node): own_bindings(node) for node in chain}

    def declared_at(node: DOMNode, binding: Binding) -> int | None:
        """Where the node declares this action (None: a binding of Textual's own)."""
        for index, own in enumerate(declared.get(id(node), [])):
            if (own.action, own.description) == (binding.action, binding.description):
                return index
        return None

    found: dict[tuple[int, int], tuple[DOMNode, Binding, list[Binding]]] = {}
    for key, active in screen.active_bindings.items():
        node, binding = active.node, active.binding
        index = declared_at(node, binding)
        if index is None:
            # Textual's own binding (scrolling, moving in a list) gets the key first and
            # passes it on when it has nothing to do: the binding of ours further out counts
            outer = chain[chain.index(node) + 1 :] if node in chain else []
            mine = next(((n, b) for n in outer for b in declared[id(n)] if b.key == key), None)
            if mine is None:
                continue
            node, binding = mine
            index = declared_at(node, binding)
            assert index is not None
        place = (chain.index(node) if node in chain else len(chain), index)
        found.setdefault(place, (node, binding, []))[2].append(binding)
    screen_keys: list[KeyHelp] = []
    app_keys: list[KeyHelp] = []
    for (_position, index), (node, binding, bound) in sorted(found.items()):
        own = declared[id(node)][index]
        order = [b.key for b in declared[id(node)] if b.action == own.action]
        bound.sort(key=lambda b: order.index(b.key) if b.key in order else len(order))
        keys = tuple(dict.fromkeys(app.get_key_display(b) for b in bound))
        entry = KeyHelp(keys, own.description, own.tooltip or binding.tooltip)
        (app_keys if node is app else screen_keys).append(entry)
    return screen_keys, app_keys


def screen_name(screen: Screen[Any]) -> str:
    """What the help calls a screen: its `HELP_NAME` translated, else its class name without
    "Screen" (TinyScreen: Tiny)."""
    name: str | None = getattr(type(screen), "HELP_NAME", None)
    if name:
        return _(name)
    return type(screen).__name__.removesuffix("Screen") or type(screen).__name__


class HelpScreen(ModalScreen[None], ComponentStyled):
    """Keys and markers of the screen underneath."""

    BINDINGS = [
        Binding(
            "escape,question_mark,q",
            "dismiss",
            N_("Close the help"),
            tooltip=N_("Go back to the screen the help was opened from."),
            id="help.close",
        )
    ]

    COMPONENT_PREFIX = "help"
    COMPONENT_CLASSES: ClassVar[set[str]] = {"help--heading", "help--key", "help--tooltip"}
    """
    | Class | Description |
    | :- | :- |
    | `help--heading` | Section headings. |
    | `help--key` | The keys. |
    | `help--tooltip` | The longer explanation after an action's name. |
    """

    def __init__(self, origin: Screen[Any] | None = None) -> None:
        super().__init__()
        self._origin = origin

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(id="help-text")

    def on_mount(self) -> None:
        self.restyle()

    @property
    def origin(self) -> Screen[Any]:
        """The screen the help explains: given, or the one it was opened over."""
        if self._origin is not None:
            return self._origin
        stack = self.app.screen_stack
        below = stack[: stack.index(self)] if self in stack else stack
        return below[-1]

    def restyle(self) -> None:
        self.query_one("#help-text", Static).update(self.document())

    def document(self) -> Group:
        """The help as Rich text (no markup: descriptions and tooltips are shown as they are)."""
        origin = self.origin
        screen_keys, app_keys = key_help(origin)
        app = self.app
        other = [KeyHelp((keys,), what) for keys, what in NOT_BINDINGS]
        if app.ENABLE_COMMAND_PALETTE:
            palette = app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, ""))
            other.append(
                KeyHelp(
                    (palette,),
                    N_("Command palette"),
                    N_("Jump to a block, open the review, week or history, go to a date."),
                )
            )
        everywhere = [*app_keys, *other]
        width = max(cell_len(", ".join(entry.keys)) for entry in [*screen_keys, *everywhere])
        title = _("Keys on the {screen} screen").format(screen=screen_name(origin))
        parts: list[Text | Table] = [self.heading(title)]
        parts.append(self.table(screen_keys, width) if screen_keys else Text(_("none of its own")))
        parts += [Text(), self.heading(_("Everywhere")), self.table(everywhere, width)]
        parts += [Text(), self.heading(_("Markers")), Text(_(MARKERS))]
        return Group(*parts)

    def heading(self, title: str) -> Text:
        """A section title, styled by `.help--heading`."""
        return Text(title, style=self.part("heading"))

    def table(self, entries: list[KeyHelp], key_width: int) -> Table:
        """Keys on the left (`key_width` wide, so the sections line up), the action and its
        explanation on the right."""
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(no_wrap=True, min_width=key_width)
        table.add_column(ratio=1)
        for entry in entries:
            what = Text(_(entry.description))
            if entry.tooltip:
                what.append(f"  {_(entry.tooltip)}", style=self.part("tooltip"))
            table.add_row(Text(", ".join(entry.keys), style=self.part("key")), what)
        return table

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
