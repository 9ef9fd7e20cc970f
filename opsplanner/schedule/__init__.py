"""Schedule templates: YAML → validated, immutable models (recurrence, checks, formulas)."""
