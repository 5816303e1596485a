"""sqlite-utils, loaded without numpy: imported first by the store package, before anything imports sqlite-utils.

sqlite-utils imports numpy, when it is installed, only to map numpy's number
types to column types for tables created from data. The store creates its
tables from its own schema and writes plain Python values, so it never needs
that map. numpy is installed for CTranslate2 and the memory's index, and
loading it costs about a tenth of a second: hidden while sqlite-utils loads,
it no longer delays every command and the TUI's first screen, and it loads
when drafting or a memory lookup needs it.
"""

from __future__ import annotations

import sys

if "numpy" not in sys.modules and "sqlite_utils" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" raises ImportError: sqlite-utils goes without
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]
