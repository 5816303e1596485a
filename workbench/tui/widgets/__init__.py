"""Widgets of the workbench TUI, one module each.

Those of one screen only are grouped in that screen's folder (``editor/``);
the shared ones (progress bars and the drafting strip) are here.
"""
