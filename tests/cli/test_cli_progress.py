"""The spinner of long operations: drawn on a terminal (checked through a pty), never in piped or --json output."""
import json
import os
import select
import subprocess
import sys
import time

import pytest

from nacos.testing import NacosServer

from clirun import env_for, run

pytestmark = pytest.mark.embedded_only


@pytest.fixture(scope="module")
def slow_import(tmpdir_factory):
    """A server whose publishes take 0.5 s, and a folder of two configs to import (about 1 s)."""
    folder = tmpdir_factory.mktemp("export")
    group = folder.mkdir("G")
    for name in ("a.txt", "b.txt"):
        group.join(name).write("x=1")
    with NacosServer() as srv:
        srv.delay(0.5, path="/cs/configs", method="POST")
        yield srv, str(folder)


def _on_pty(args, server):
    """Run ``nacos ARGS`` with stdout and stderr on a pseudo-terminal; everything it wrote, as text."""
    import pty
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "nacos"] + args, env=env_for(server, TERM="xterm"),
                            stdin=open(os.devnull), stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks, deadline = [], time.time() + 30
    try:
        while time.time() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    assert proc.wait() == 0, b"".join(chunks)
    return b"".join(chunks).decode("utf-8")


def test_spinner_on_a_terminal(slow_import):
    server, folder = slow_import
    text = _on_pty(["config", "import", folder, "--namespace", "tty"], server.address)
    assert "\r" in text and "importing " in text and ": G/" in text, repr(text)
    assert any(u"\r%s importing" % frame in text for frame in u"|/-\\"), repr(text)
    assert text.rstrip().endswith("imported 2 configs from %s" % folder), repr(text)
    text = _on_pty(["config", "import", folder, "--namespace", "tty", "--json"], server.address)
    assert "\r" not in text.replace("\r\n", "\n") and json.loads(text)["imported"], repr(text)


def test_no_spinner_when_piped(slow_import):
    server, folder = slow_import
    r = run(["config", "import", folder, "--namespace", "piped"], server.address)
    assert r.code == 0 and r.out == "imported 2 configs from %s\n" % folder and r.err == "", r
