"""Every text opsplanner writes has its Chinese, the compiled catalogue is the one in the
`.po`, and the language is chosen as the README says (--lang, the schedule, the locale)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from opsplanner import i18n
from opsplanner.cli import main
from opsplanner.i18n import CHINESE, ENGLISH, UnknownLanguage, resolve
from opsplanner.locale.update import compiled, extracted, po_path, read, untranslated
from opsplanner.schedule.paths import bundled_dir

FIELD = re.compile(r"\{[^{}]*\}")


@pytest.fixture(scope="module")
def chinese() -> object:
    return read(CHINESE)


def test_every_text_the_code_marks_has_its_chinese(chinese: object) -> None:
    code = {str(m.id) for m in extracted() if m.id}
    catalogue = {str(m.id) for m in chinese if m.id}  # type: ignore[attr-defined]
    assert sorted(code - catalogue) == [], "run `python -m opsplanner.locale.update`"
    assert untranslated(chinese) == []  # type: ignore[arg-type]
    assert sorted(catalogue - code) == [], "texts the code no longer has: run the update"


def test_the_compiled_catalogue_is_the_po(chinese: object) -> None:
    shipped = po_path(CHINESE).with_suffix(".mo").read_bytes()
    assert shipped == compiled(chinese), "run `python -m opsplanner.locale.update`"  # type: ignore[arg-type]


def test_a_translation_keeps_every_placeholder(chinese: object) -> None:
    for message in chinese:  # type: ignore[attr-defined]
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(FIELD.findall(ids[-1]))
        for string in strings:
            assert sorted(FIELD.findall(string)) == wanted, message.id


@pytest.mark.parametrize(
    ("flag", "schedule", "environ", "expected"),
    [
        (None, None, {}, ENGLISH),
        (None, None, {"LANG": "zh_CN.UTF-8"}, CHINESE),
        (None, None, {"LANG": "zh_TW.UTF-8"}, CHINESE),  # the catalogue there is
        (None, None, {"LANG": "de_DE.UTF-8"}, ENGLISH),
        (None, None, {"LANGUAGE": "fr:zh_CN", "LANG": "en_US.UTF-8"}, CHINESE),
        (None, None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, ENGLISH),
        (None, CHINESE, {"LANG": "en_US.UTF-8"}, CHINESE),
        ("en", CHINESE, {"LANG": "zh_CN.UTF-8"}, ENGLISH),
        ("zh-CN", None, {}, CHINESE),
    ],
)
def test_the_language_is_the_flag_then_the_schedule_then_the_locale(
    flag: str | None, schedule: str | None, environ: dict[str, str], expected: str
) -> None:
    assert resolve(flag, schedule, environ) == expected


def test_an_unknown_language_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UnknownLanguage):
        resolve("klingon", None, {})
    assert main(["check", "--lang", "klingon"]) == 2
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and "klingon" in said[0] and "zh_CN" in said[0]


def test_the_chinese_schedule_declares_its_language() -> None:
    from opsplanner.schedule.loader import load_schedule

    assert load_schedule(bundled_dir() / "taobao-operator.zh.yaml").language == CHINESE
    assert load_schedule(bundled_dir() / "taobao-operator.yaml").language is None


def test_days_read_naturally_in_each_language() -> None:
    saturday = date(2026, 11, 28)
    try:
        i18n.use(CHINESE)
        assert i18n.short_day(saturday) == "周六 11-28"
        assert i18n.long_day(saturday) == "周六 2026-11-28"
    finally:
        i18n.use(ENGLISH)
    assert i18n.short_day(saturday) == "Sat 11-28"


def test_the_catalogues_ship_in_the_package() -> None:
    assert Path(i18n.LOCALE_DIR, CHINESE, "LC_MESSAGES", "opsplanner.mo").is_file()
