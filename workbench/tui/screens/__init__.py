"""Screens of the workbench TUI, one module each."""
