"""opsplanner: the e-commerce operator's daily routine, in the terminal.

The package root imports nothing heavy: every command pays only for what it uses.
"""

__version__ = "0.1.0"
