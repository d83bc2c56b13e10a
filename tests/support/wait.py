"""Polling helper for tests: wait until a condition holds (never a fixed sleep)."""
import time


def wait_for(condition, timeout=5.0, interval=0.02, message=None):
    """Return the first truthy value of ``condition()`` within ``timeout`` seconds, else fail the test."""
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.time() >= deadline:
            raise AssertionError(message or "condition not met within %.1fs" % timeout)
        time.sleep(interval)


# Real servers apply writes asynchronously: Nacos 2.x makes a published/deleted config readable ~100 ms after
# answering `true` (3.x: 60-80 ms), and shows a changed/removed instance in /instance/list ~0.6 s after `ok`
# (its ServiceInfo cache is rebuilt by a delayed task). Nacos never promises read-your-write, so tests wait for
# the state to settle; against the embedded server the first read already matches.
SETTLE_TIMEOUT = 5.0


def settles(read, expected, timeout=SETTLE_TIMEOUT):
    """Wait until ``read()`` returns ``expected`` (compared with ==); fail with the last value read."""
    last = []

    def check():
        del last[:]
        last.append(read())
        return last[0] == expected

    deadline = time.time() + timeout
    while not check():
        if time.time() >= deadline:
            raise AssertionError("did not settle to %r within %.1fs; last read %r" % (expected, timeout, last[0]))
        time.sleep(0.02)
    return True
