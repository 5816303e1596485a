"""Widgets of the workbench TUI, one module each."""
