# -*- coding: utf-8 -*-
import os
import stat
import subprocess
import sys
import textwrap

import pytest

from nacos import files


def test_roundtrip_and_missing(tmpdir):
    base = str(tmpdir.join("snap"))
    assert files.read_file_str(base, "d+g+") is None
    files.save_file(base, "d+g+", u"中文 content")
    assert files.read_file_str(base, "d+g+") == u"中文 content"
    files.save_file(base, "d+g+", b"v2")
    assert files.read_file(base, "d+g+") == b"v2"
    files.delete_file(base, "d+g+")
    files.delete_file(base, "d+g+")
    assert files.read_file(base, "d+g+") is None
    assert [n for n in os.listdir(base) if n.startswith(".nacos-tmp-")] == []


@pytest.mark.parametrize("key", ["../escape", "..", ".", "a/../../b", "/etc/passwd", "a\x00b", "..\\x",
                                 "sub/dir"])
def test_no_key_leaves_the_base(tmpdir, key):
    base = tmpdir.mkdir("base")
    try:
        files.save_file(str(base), key, "x")
    except files.UnsafePath:
        pass
    outside = [p for p in tmpdir.visit() if not str(p).startswith(str(base))]
    assert outside == []
    for path in base.visit():
        assert path.dirpath() == base


def test_legacy_flat_names_are_read(tmpdir):
    base = tmpdir.mkdir("data")
    base.join("app:db+DEFAULT_GROUP+").write("legacy")
    assert files.read_file_str(str(base), "app:db+DEFAULT_GROUP+") == "legacy"


@pytest.mark.skipif(os.name != "posix" or (hasattr(os, "geteuid") and os.geteuid() == 0),
                    reason="root ignores file modes")
def test_read_only_file(tmpdir):
    base = tmpdir.mkdir("ro")
    path = base.join("k")
    path.write("x")
    os.chmod(str(path), stat.S_IRUSR)
    assert files.read_file_str(str(base), "k") == "x"


def test_symlink_escape_refused(tmpdir):
    if not hasattr(os, "symlink"):
        pytest.skip("no symlinks")
    base = tmpdir.mkdir("base")
    target = tmpdir.join("target")
    target.write("secret")
    os.symlink(str(target), str(base.join("link")))
    with pytest.raises(files.UnsafePath):
        files.save_file(str(base), "link", "overwrite")
    assert target.read() == "secret"


def test_concurrent_writers_in_processes_never_leave_a_torn_file(tmpdir):
    base = str(tmpdir.mkdir("c"))
    script = textwrap.dedent("""
        import sys
        from nacos import files
        base, tag = sys.argv[1], sys.argv[2]
        for i in range(200):
            files.save_file(base, "k", (tag * 5000) + str(i))
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    procs = [subprocess.Popen([sys.executable, "-c", script, base, tag], env=env) for tag in "AB"]
    seen = 0
    while any(p.poll() is None for p in procs):
        data = files.read_file_str(base, "k")
        if data is not None:
            seen += 1
            body = data.rstrip("0123456789")
            assert body in ("A" * 5000, "B" * 5000)
    assert all(p.wait() == 0 for p in procs)
    assert seen > 0
    assert sorted(os.listdir(base)) == ["k"]
