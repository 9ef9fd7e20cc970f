"""The only code that opens database sessions: days, ticks, notes, reasons, metrics."""
