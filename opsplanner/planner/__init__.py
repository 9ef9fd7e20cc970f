"""Pure domain logic over a schedule and a date: no Textual, no SQL."""
