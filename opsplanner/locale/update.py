"""Keep the catalogues in step with the code: `python -m opsplanner.locale.update`.

Extracts every text marked with `_`, `N_` or `ngettext` in opsplanner/ (Babel), adds the new
ones to each language's `.po` (untranslated, to be filled in), drops the ones the code no
longer has, sorts by message, and compiles the `.mo` files opsplanner reads at run time.
Prints what is still untranslated. Needs Babel (in the test extras); opsplanner itself
reads the `.mo` with the standard library's gettext.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from opsplanner.i18n import DOMAIN, ENGLISH, LANGUAGES, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parent.parent
STAMP = datetime(2026, 11, 28, tzinfo=UTC)


def extracted() -> Catalog:
    """Every message the code marks, with where it is written."""
    catalog = Catalog(project="opsplanner", domain=DOMAIN)
    found = extract_from_dir(PACKAGE, method_map=[("**.py", "python")], directory_filter=_not_cache)
    for filename, lineno, message, comments, context in found:
        catalog.add(message, locations=[(f"opsplanner/{filename}", lineno)],
                    auto_comments=comments, context=context)  # fmt: skip
    return catalog


def _not_cache(directory: str) -> bool:
    return "__pycache__" not in directory


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str) -> Catalog:
    with po_path(language).open("rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    """The `.mo` bytes of a catalogue (what `update` writes beside the `.po`)."""
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def untranslated(catalog: Catalog) -> list[str]:
    return [
        str(message.id) for message in catalog if message.id and not _translated(message.string)
    ]


def _translated(string: object) -> bool:
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def update() -> dict[str, list[str]]:
    """Bring every language's catalogue up to date; returns what each still lacks."""
    template = extracted()
    missing: dict[str, list[str]] = {}
    for language in LANGUAGES:
        if language == ENGLISH:
            continue
        path = po_path(language)
        if path.exists():
            catalog = read(language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        catalog.project, catalog.version = "opsplanner", "1"
        catalog.copyright_holder = catalog.last_translator = "the opsplanner maintainers"
        catalog.msgid_bugs_address = ""
        catalog.language_team = language
        # no dates or line numbers: the file changes only when a text does (merges stay quiet)
        catalog.creation_date = catalog.revision_date = STAMP
        with path.open("wb") as target:
            write_po(target, catalog, sort_output=True, no_location=True, width=100)
        path.with_suffix(".mo").write_bytes(compiled(catalog))
        missing[language] = untranslated(catalog)
    return missing


def main() -> int:
    missing = update()
    for language, texts in missing.items():
        for text in texts:
            print(f"{language}: untranslated: {text!r}")
    return 1 if any(missing.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
