"""Allow ``python -m opsplanner``."""

import sys

from opsplanner.cli import main

sys.exit(main())
