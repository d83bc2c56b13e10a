"""Run the official nacos-sdk-python test files, unchanged, against this package and the embedded server.

Run through the ``scripts/legacy-tests`` wrapper; docs/migration.md records the result.

Each legacy test file (``test/client_test.py`` at the tags below, checked against pinned git blob ids) runs
in its own loopback-only network namespace (``unshare -rn``) with a fresh ``python -m nacos.testing`` on
127.0.0.1:8848, the address the files hard-code. Tests that need public addresses to answer are deselected
(EXCLUDED). Where the namespace has no route, every other address fails at once, as the snapshot test wants.

    scripts/legacy-tests [--python PY] [--versions 0.1.7,1.0.0,2.0.11] [--repo PATH]

``--repo`` (or ``$NACOS_SDK_PYTHON_REPO``) is a clone (bare is fine) of github.com/nacos-group/nacos-sdk-python;
without it the script looks for ``${NACOS_CACHE:-~/.cache/nacos-real}/nacos-sdk-python.git`` and exits with
status 3 when there is none (it never fetches: make the clone once, by hand). Exit status 0: every file
passed; 1: a failure (its output is printed). The default
versions are the three distinct test files; on Python 2.7 only 0.1.7 (the newer legacy releases never ran on
2.7).
"""
from __future__ import print_function

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

TEST_FILES = {  # tag -> git blob id of test/client_test.py (0.1.16, 0.1.17 and 1.0.0 share one; 2.0.1+ one)
    "0.1.7": "63771019201a6d72f9360e48b50bed9dfd03815e",
    "1.0.0": "3d25daa414f6040b38ff4a2f060819e570a86622",
    "2.0.11": "b3b1aaac98f2d58ec9237ed8f34e8e064a6d9dd3",
}
EXCLUDED = {
    "test_get_server": "asserts the public SERVER_1 100.69.207.65, not the address the client was given",
    "test_server_failover": "both servers are public addresses (100.69.207.65/66)",
}
UPSTREAM = "https://github.com/nacos-group/nacos-sdk-python"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def git(repo, *args):
    return subprocess.check_output(("git", "--git-dir", repo) + args).decode("utf-8")


def find_repo(path):
    """A clone of the legacy repository: ``--repo``, ``$NACOS_SDK_PYTHON_REPO``, or the cache. Never fetched from
    the network here (tests and CI talk only to this machine): exit status 3 when there is none."""
    path = path or os.environ.get("NACOS_SDK_PYTHON_REPO")
    if not path:
        cache = os.path.expanduser(os.environ.get("NACOS_CACHE") or "~/.cache/nacos-real")
        path = os.path.join(cache, "nacos-sdk-python.git")
    dotgit = os.path.join(path, ".git")
    repo = dotgit if os.path.isdir(dotgit) else path
    if not os.path.isdir(repo):
        print("legacy-tests: no clone of %s at %s (make one with `git clone --bare %s %s`, or pass --repo)"
              % (UPSTREAM, path, UPSTREAM, path), file=sys.stderr)
        sys.exit(3)
    return repo


def legacy_file(repo, tag):
    blob = git(repo, "rev-parse", "%s:test/client_test.py" % tag).strip()
    if blob != TEST_FILES[tag]:
        raise SystemExit("%s:test/client_test.py is %s, expected %s" % (tag, blob, TEST_FILES[tag]))
    return subprocess.check_output(["git", "--git-dir", repo, "cat-file", "blob", blob])


def wait_port(port, deadline):
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return True
        except (IOError, OSError):
            time.sleep(0.1)
    return False


def run_one(python, tag, source, workdir):
    """Inside a namespace: server up, the legacy file under pytest, counts as JSON on the last line."""
    os.makedirs(os.path.join(workdir, "test"))
    open(os.path.join(workdir, "test", "__init__.py"), "w").close()
    with open(os.path.join(workdir, "test", "client_test.py"), "wb") as f:
        f.write(source)
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONDONTWRITEBYTECODE="1")
    log = open(os.path.join(workdir, "server.log"), "w")
    server = subprocess.Popen([python, "-m", "nacos.testing", "--port", "8848"], stdout=log, stderr=log, env=env)
    try:
        if not wait_port(8848, time.time() + 30):
            raise SystemExit("embedded server did not start (see %s)" % log.name)
        cmd = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
               "--junitxml", os.path.join(workdir, "junit.xml"), "test/client_test.py"]
        for name in sorted(EXCLUDED):
            cmd += ["--deselect", "test/client_test.py::TestClient::%s" % name]
        started = time.time()
        rc = subprocess.call(cmd, cwd=workdir, env=env)
        elapsed = time.time() - started
    finally:
        server.terminate()
        server.wait()
        log.close()
    suite = ET.parse(os.path.join(workdir, "junit.xml")).getroot()
    suite = suite.find("testsuite") if suite.tag == "testsuites" else suite
    counts = dict((k, int(suite.get(k, 0))) for k in ("tests", "failures", "errors", "skipped"))
    counts.update(version=tag, rc=rc, seconds=round(elapsed, 1), deselected=len(EXCLUDED))
    print(json.dumps(counts))
    return 0 if rc == 0 else 1


def run_all(args):
    python = args.python or sys.executable
    repo = find_repo(args.repo)
    py2 = subprocess.check_output([python, "-c", "import sys; print(sys.version_info[0])"]).strip() == b"2"
    versions = args.versions.split(",") if args.versions else (["0.1.7"] if py2 else sorted(TEST_FILES))
    procs = []
    for tag in versions:
        workdir = tempfile.mkdtemp(prefix="legacy-%s-" % tag)
        with open(os.path.join(workdir, "source.py"), "wb") as f:
            f.write(legacy_file(repo, tag))
        inner = 'ip link set lo up && exec "$0" "$@"'
        cmd = ["unshare", "-rn", "sh", "-c", inner, python, os.path.abspath(__file__), "--one", tag,
               "--python", python, "--workdir", os.path.join(workdir, "run"), "--source", f.name]
        out = open(os.path.join(workdir, "output.log"), "w")
        procs.append((tag, workdir, out, subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)))
    failed = 0
    for tag, workdir, out, proc in procs:
        proc.wait()
        out.close()
        with open(out.name) as f:
            lines = f.read().splitlines()
        result = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else None
        if result is None or result["rc"] != 0:
            failed += 1
            print("\n".join(lines[-60:]))
        print("legacy %-6s on %s: %s" % (tag, python, result or "no result (output above)"))
        if not args.keep and result is not None and result["rc"] == 0:
            shutil.rmtree(workdir, ignore_errors=True)
    print("excluded: %s" % "; ".join("%s (%s)" % item for item in sorted(EXCLUDED.items())))
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="interpreter with this package importable (default: this one)")
    parser.add_argument("--versions", help="comma-separated tags of %s" % ",".join(sorted(TEST_FILES)))
    parser.add_argument("--repo", help="a clone of %s" % UPSTREAM)
    parser.add_argument("--keep", action="store_true", help="keep the work directories")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        with open(args.source, "rb") as f:
            return run_one(args.python, args.one, f.read(), args.workdir)
    return run_all(args)


if __name__ == "__main__":
    sys.exit(main())
