"""A spinner with a short message on stderr while a long operation runs (export, import, doctor, listing every
page). Only when both stdout and stderr are terminals and the output is not ``--json``: piped or scripted
output never holds spinner characters. The line is erased before anything else is printed."""
from __future__ import absolute_import

import os
import sys
import threading

FRAMES = u"|/-\\"
INTERVAL = 0.1   # seconds between frames
DELAY = 0.3      # an operation shorter than this shows nothing


def wanted(args):
    """True when a spinner may be drawn for these parsed arguments."""
    if getattr(args, "json", False) or os.environ.get("TERM") == "dumb":
        return False
    return _tty(sys.stdout) and _tty(sys.stderr)


def _tty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress(object):
    """``with Progress(args, "exporting") as p: ... p.update("3/40 configs")``; a no-op when not :func:`wanted`."""

    def __init__(self, args, text=u""):
        self.enabled = wanted(args)
        self._text = text
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        self._width = 0

    def update(self, text):
        with self._lock:
            self._text = text

    def __enter__(self):
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="nacos-cli-progress")
            self._thread.daemon = True
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._draw(u"")  # erase the line
        return False

    def _run(self):
        if self._stop.wait(DELAY):
            return
        frame = 0
        while not self._stop.is_set():
            with self._lock:
                text = self._text
            self._draw(u"%s %s" % (FRAMES[frame % len(FRAMES)], text))
            frame += 1
            self._stop.wait(INTERVAL)

    def _draw(self, line):
        with self._lock:
            pad = max(0, self._width - len(line))
            self._width = len(line)
            if not line and not pad:
                return
            data = u"\r%s%s\r" % (line, u" " * pad)
            try:
                sys.stderr.write(data if sys.version_info[0] >= 3 else data.encode("utf-8", "replace"))
                sys.stderr.flush()
            except (IOError, ValueError, UnicodeError):  # a closed terminal must not kill the command
                pass
