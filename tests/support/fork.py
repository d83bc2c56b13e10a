"""Run a function in a forked child and read what it reports (POSIX only)."""
import os
import select


def run_in_child(body, timeout=20):
    """Fork; run ``body()`` (returns bytes) in the child and return what it wrote, or b"timeout"."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report through the pipe, never return into pytest
        try:
            os.close(read_fd)
            os.write(write_fd, body())
        except BaseException as exc:  # noqa: BLE001
            os.write(write_fd, ("error|%r" % (exc,)).encode("utf-8"))
        finally:
            os._exit(0)
    os.close(write_fd)
    ready = False
    try:
        ready, _, _ = select.select([read_fd], [], [], timeout)
        answer = os.read(read_fd, 4096) if ready else b"timeout"
    finally:
        os.close(read_fd)
        if not ready:
            os.kill(pid, 9)
        os.waitpid(pid, 0)
    return answer
