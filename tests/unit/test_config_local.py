# -*- coding: utf-8 -*-
"""Failover/snapshot helpers of the config part."""
import os

from nacos.config import local


def test_keys_are_the_legacy_flat_names():
    assert local.key("d", "g", "") == "d+g+"
    assert local.key("d", "g", "ns") == "d+g+ns"
    assert local.page_key("", "") == "++"
    assert local.page_key("G", "ns") == "+G+ns"
    assert local.page_key("G", "ns", 2, 10) == "+G+ns+2-10"


def test_save_read_delete_and_disabled_base(tmpdir):
    base = str(tmpdir.join("snap"))
    local.save(base, "d+g+", u"ü")
    assert local.read_text(base, "d+g+") == u"ü"
    first = os.stat(os.path.join(base, "d+g+"))
    local.save(base, "d+g+", u"ü")  # same content: the file is left alone
    assert os.stat(os.path.join(base, "d+g+")).st_ino == first.st_ino
    local.save(base, "d+g+", u"v2")
    assert local.read_text(base, "d+g+") == u"v2"
    local.delete(base, "d+g+")
    assert local.read_text(base, "d+g+") is None
    local.save(None, "d+g+", u"x")
    assert local.read_text(None, "d+g+") is None
    local.delete(None, "d+g+")


def test_non_utf8_file_is_read_with_replacement(tmpdir):
    tmpdir.join("bad+g+").write_binary(b"ok \xff")
    assert local.read_text(str(tmpdir), "bad+g+") == u"ok \ufffd"


def test_save_errors_are_logged_not_raised(tmpdir, caplog):
    blocker = tmpdir.join("file")
    blocker.write("not a directory")
    local.save(str(blocker), "d+g+", u"x")
    assert any("cannot write" in r.getMessage() for r in caplog.records)


def test_snapshot_base_honours_no_snapshot():
    opts = {"no_snapshot": False, "snapshot_base": "snap"}
    assert local.snapshot_base(opts) == "snap"
    assert local.snapshot_base(opts, no_snapshot=True) is None
    assert local.snapshot_base(dict(opts, no_snapshot=True)) is None
    assert local.snapshot_base(dict(opts, no_snapshot=True), no_snapshot=False) == "snap"


def test_failover_scan(tmpdir):
    assert local.FailoverScan(None).content("d+g+") is None
    assert local.FailoverScan(str(tmpdir.join("missing"))).content("d+g+") is None
    tmpdir.join("d+g+").write("local")
    tmpdir.join("x%2Fy+g+").write("encoded")
    scan = local.FailoverScan(str(tmpdir))
    assert scan.content("d+g+") == "local"
    assert scan.content("other+g+") is None
    assert scan.content("x/y+g+") == "encoded"  # a separator is percent-encoded, never followed
    assert scan.content("..") is None
