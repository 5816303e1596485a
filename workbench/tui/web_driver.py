"""The driver of a tab's app under ``workbench serve``: Textual's web driver, with the browser's first focus never lost.

Textual's web driver starts an app blurred (no widget focused): as it starts it
queues an ``AppBlur`` through ``call_later``, and it posts an ``AppFocus`` the
moment the browser says its terminal has the focus. The page focuses the
terminal as soon as the app's first bytes arrive, which can be before the
queued blur has run: the focus then overtakes the blur, and the app stays
blurred, every key dropped, until the volunteer clicks away and back. Here the
browser's focus and blur go through ``call_later`` as well, behind the startup
blur, so they take effect in the order they happened.
"""

from __future__ import annotations

from textual import events
from textual.drivers import web_driver


class WebDriver(web_driver.WebDriver):
    """Textual's web driver; focus and blur keep their order with the blur it queues at start."""

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "focus":
            self._app.call_later(self._app.post_message, events.AppFocus())
        elif packet_type == "blur":
            self._app.call_later(self._app.post_message, events.AppBlur())
        else:
            super().on_meta(packet_type, payload)
