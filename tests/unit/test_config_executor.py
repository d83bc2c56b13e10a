"""The per-key serial callback executor (real threads, no mocks)."""
import threading

from nacos.executor import SerialExecutor

WAIT = 10.0


def test_one_key_runs_in_order_and_never_concurrently():
    ex = SerialExecutor(4)
    seen = []
    active = [0]
    overlap = []
    done = threading.Event()
    lock = threading.Lock()

    def task(n):
        with lock:
            active[0] += 1
            if active[0] > 1:
                overlap.append(n)
        threading.Event().wait(0.001)
        with lock:
            active[0] -= 1
            seen.append(n)
        if n == 49:
            done.set()

    try:
        for n in range(50):
            ex.submit("k", task, n)
        assert done.wait(WAIT)
        assert seen == list(range(50))
        assert overlap == []
    finally:
        ex.stop()


def test_keys_run_concurrently_and_a_slow_key_blocks_no_other():
    ex = SerialExecutor(3)
    release = threading.Event()
    fast_done = threading.Event()
    try:
        ex.submit("slow", release.wait, WAIT)
        ex.submit("slow", lambda: None)
        ex.submit("fast", fast_done.set)
        assert fast_done.wait(WAIT)
        assert not release.is_set()
    finally:
        release.set()
        ex.stop()


def test_raising_task_is_logged_and_the_worker_goes_on(caplog):
    ex = SerialExecutor(1)
    after = threading.Event()

    def boom():
        raise RuntimeError("secret-content must not matter")

    try:
        ex.submit("k", boom)
        ex.submit("k", after.set)
        assert after.wait(WAIT)
    finally:
        ex.stop()
    assert any("failed" in r.getMessage() for r in caplog.records)


def test_workers_start_lazily_and_exit_when_idle():
    ex = SerialExecutor(10, idle_timeout=0.2)
    assert ex.threads() == []
    done = threading.Event()
    ex.submit("k", done.set)
    assert done.wait(WAIT)
    assert len(ex.threads()) <= 1
    workers = ex.threads()
    for t in workers:
        t.join(WAIT)
    assert ex.threads() == []
    again = threading.Event()
    ex.submit("k", again.set)  # a new worker is started on demand
    assert again.wait(WAIT)
    ex.stop()


def test_never_more_workers_than_max():
    ex = SerialExecutor(2)
    release = threading.Event()
    started = []
    cond = threading.Condition()

    def task():
        with cond:
            started.append(threading.current_thread().name)
            cond.notify_all()
        release.wait(WAIT)

    try:
        for n in range(6):
            ex.submit(n, task)
        with cond:
            while len(started) < 2:
                cond.wait(WAIT)
        names = [t.name for t in ex.threads()]
        assert len(names) == 2
        assert all(name.startswith("nacos-config-callback-") for name in names)
        assert len(started) == 2  # the other four wait for a free worker
    finally:
        release.set()
        ex.stop(2.0)


def test_stop_drops_pending_joins_and_refuses_new_work():
    ex = SerialExecutor(1)
    release = threading.Event()
    ran = []
    ex.submit("k", release.wait, WAIT)
    ex.submit("k", ran.append, 1)
    workers = ex.threads()
    release.set()
    ex.stop(2.0)
    ex.stop(2.0)  # idempotent
    assert not any(t.is_alive() for t in workers)
    assert ex.submit("k", ran.append, 2) is False
    assert 2 not in ran
