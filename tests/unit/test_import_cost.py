# -*- coding: utf-8 -*-
"""Issue 19: ``import nacos`` (and building a client) leaves out what only some users need.

Checked in a fresh interpreter through ``sys.modules``, never by timing: requests/urllib3 come with the first
request, file logging, gzip and tempfile with their first use, nacos.auto/testing/cli and yaml only when asked.
"""
import json
import subprocess
import sys

LAZY = ["requests", "urllib3", "charset_normalizer", "idna", "gzip", "tempfile", "logging.handlers", "yaml",
        "prometheus_client", "nacos.auto", "nacos.auto.cli", "nacos.testing"]
if sys.version_info[0] < 3:
    LAZY.remove("tempfile")  # Python 2: nacos.compat's monotonic clock needs ctypes.util, which imports it
LEGACY_SUBMODULES = ["nacos.client", "nacos.timer", "nacos.listener", "nacos.task", "nacos.files", "nacos.params",
                     "nacos.commons", "nacos.exception", "nacos.auth"]

_CODE = """
import json, sys
before = set(sys.modules)
import nacos
%s
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _imported_by(statement):
    out = subprocess.check_output([sys.executable, "-c", _CODE % statement])
    return set(json.loads(out.decode("utf-8").strip().splitlines()[-1]))


def test_import_nacos_and_a_client_leave_out_the_optional_parts():
    loaded = _imported_by("client = nacos.NacosClient('127.0.0.1:8848', namespace='')")
    assert [name for name in LAZY if name in loaded] == []
    assert [name for name in LEGACY_SUBMODULES if name not in loaded] == []


def test_requests_comes_with_the_first_request():
    # a call to a closed port (127.0.0.1, port 9: discard, never listening here) loads requests and fails cleanly
    loaded = _imported_by("c = nacos.NacosClient('127.0.0.1:9', namespace='', failover_base=None, "
                          "snapshot_base=None)\n"
                          "try:\n    c.get_config('d', 'g', timeout=1, no_snapshot=True)\n"
                          "except nacos.NacosException:\n    pass")
    assert "requests" in loaded and "urllib3" in loaded
