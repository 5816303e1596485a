"""``python -m workbench``: the command line, for git's merge drivers and subprocesses that must run this very install."""

from workbench.cli import main

main()
