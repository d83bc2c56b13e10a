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
