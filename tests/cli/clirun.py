"""Run the ``nacos`` command as a subprocess (``python -m nacos``) with a clean connection environment."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Result(object):
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return "Result(code=%r, out=%r, err=%r)" % (self.code, self.out, self.err)


def env_for(server, **extra):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("NACOS_"))
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    if server:
        env["NACOS_SERVER"] = server
    env.update(extra)
    return env


def start(args, server, stdin=None, cwd=None, **extra):
    """A running ``nacos`` process (stdout/stderr pipes)."""
    return subprocess.Popen([sys.executable, "-m", "nacos"] + list(args), env=env_for(server, **extra),
                            stdin=subprocess.PIPE if stdin is not None else open(os.devnull),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)


def run(args, server, stdin=None, cwd=None, **extra):
    """Run ``nacos ARGS`` to its end; stdin is text or None."""
    proc = start(args, server, stdin=stdin, cwd=cwd, **extra)
    out, err = proc.communicate(stdin.encode("utf-8") if stdin is not None else None)
    return Result(proc.returncode, out.decode("utf-8"), err.decode("utf-8"))


class Lines(object):
    """The stdout lines of a running ``nacos`` process, read by a thread: ``next(timeout)`` never hangs."""

    def __init__(self, proc):
        import threading
        try:
            import queue
        except ImportError:  # Python 2.7
            import Queue as queue
        self.proc, self._queue, self._empty = proc, queue.Queue(), queue.Empty
        self._thread = threading.Thread(target=self._read)
        self._thread.daemon = True
        self._thread.start()

    def _read(self):
        for line in iter(self.proc.stdout.readline, b""):
            self._queue.put(line.decode("utf-8"))
        self._queue.put(None)

    def next(self, timeout=15.0):
        try:
            line = self._queue.get(timeout=timeout)
        except self._empty:
            raise AssertionError("no output line within %.0f s" % timeout)
        if line is None:
            raise AssertionError("the process ended: %r" % (self.proc.stderr.read(),))
        return line

    def until(self, accept, timeout=15.0):
        """The first line for which ``accept(line)`` is true (other lines are skipped)."""
        import time
        deadline = time.time() + timeout
        while True:
            line = self.next(max(0.1, deadline - time.time()))
            if accept(line):
                return line

    def stop(self, sig=None, timeout=10.0):
        """Signal the process (SIGINT by default) and wait for it: ``(exit code, stderr text)``."""
        import signal
        import time
        self.proc.send_signal(signal.SIGINT if sig is None else sig)
        deadline = time.time() + timeout
        while self.proc.poll() is None and time.time() < deadline:
            time.sleep(0.02)
        if self.proc.poll() is None:
            self.proc.kill()
        self._thread.join(timeout)
        err = self.proc.stderr.read().decode("utf-8")
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.wait(), err


def eventually(call, accept, timeout=10.0):
    """Call ``call()`` until ``accept(result)``; real servers apply writes asynchronously."""
    import time
    deadline = time.time() + timeout
    while True:
        result = call()
        if accept(result) or time.time() >= deadline:
            return result
        time.sleep(0.2)
