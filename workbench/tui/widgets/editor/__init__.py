"""Widgets of the statement editor only: the paragraph column and the side panel."""
