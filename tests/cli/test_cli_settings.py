"""Connection settings of the ``nacos`` command: flags > env vars > nacos.yaml > defaults, read by the loader the
registration CLI uses (nacos.auto.config); a bad value names its key and where it came from."""
import io
import os

import pytest

from nacos.cli import connect
from nacos.cli.codes import CliError
from nacos.cli.main import build_parser
from nacos.testing import NacosServer

from clirun import run

pytestmark = pytest.mark.embedded_only


def _yaml(folder, text, name="nacos.yaml"):
    path = os.path.join(str(folder), name)
    with io.open(path, "w", encoding="utf-8") as fp:
        fp.write(text)
    return path


def _settings(argv, env, cwd):
    args = build_parser().parse_args(["config", "ls"] + argv)
    old = os.getcwd()
    os.chdir(str(cwd))
    try:
        return connect.settings(args, env=env)
    finally:
        os.chdir(old)


def test_precedence_flags_env_file_defaults(tmpdir):
    s = _settings([], {}, tmpdir)
    assert (s["server_addresses"], s["namespace"], s["context_path"], s["tls_verify"], s["username"]) == \
        ("127.0.0.1:8848", "", "/nacos", True, None)
    _yaml(tmpdir, u"nacos:\n  server: 10.0.0.1:8848,10.0.0.2:8848\n  namespace: from-file\n  username: u\n"
                  u"  password: pw-file\n  context_path: /api\n  tls_verify: false\n")
    s = _settings([], {}, tmpdir)
    assert (s["server_addresses"], s["namespace"], s["context_path"], s["tls_verify"], s["password"]) == \
        ("10.0.0.1:8848,10.0.0.2:8848", "from-file", "/api", False, "pw-file")
    env = {"NACOS_NAMESPACE": "from-env", "NACOS_PASSWORD": "pw-env", "NACOS_CONTEXT_PATH": "",
           "NACOS_TLS_VERIFY": "yes"}
    s = _settings([], env, tmpdir)  # an empty env var counts as unset (as for nacos-register)
    assert (s["namespace"], s["password"], s["context_path"], s["tls_verify"]) == ("from-env", "pw-env", "/api", True)
    s = _settings(["--namespace", "from-flag", "--server", "h:1", "--context-path", "", "--tls-verify", "no"],
                  env, tmpdir)
    assert (s["server_addresses"], s["namespace"], s["context_path"], s["tls_verify"]) == \
        ("h:1", "from-flag", "", False)


@pytest.mark.parametrize("argv, env, text, words", [
    ([], {}, u"nacos:\n  namespace: 'bad ns!'\n", ["nacos.namespace", "file ", "nacos.yaml"]),
    ([], {}, u"nacos:\n  sever: h:1\n", ["nacos.sever", "unknown key"]),
    ([], {"NACOS_TLS_VERIFY": "/no/such/ca.pem"}, None, ["nacos.tls_verify", "env NACOS_TLS_VERIFY"]),
    (["--context-path", "a b"], {}, None, ["nacos.context_path", "cli --context-path"]),
    (["--server", ","], {}, None, ["nacos.server", "cli --server"]),
    (["--config-file", "/no/such/nacos.yaml"], {}, None, ["--config-file", "does not exist"]),
])
def test_bad_values_name_key_and_source(tmpdir, argv, env, text, words):
    if text:
        _yaml(tmpdir, text)
    with pytest.raises(CliError) as info:
        _settings(argv, env, tmpdir)
    assert info.value.code == 2 and all(w in str(info.value) for w in words), str(info.value)


def test_subprocess_reads_nacos_yaml_and_config_file(tmpdir):
    with NacosServer(context_path="/api", auth_enabled=True, users={"ops": "s3cret-pw"}) as srv:
        here = tmpdir.mkdir("app")
        _yaml(here, u"nacos:\n  server: %s\n  namespace: yaml-ns\n  context_path: /api\n  username: ops\n"
                    u"  password: s3cret-pw\n" % srv.address)
        r = run(["config", "put", "k", "-"], None, stdin=u"v1", cwd=str(here))
        assert r.code == 0 and "published k" in r.out, r
        other = _yaml(tmpdir, u"nacos:\n  server: %s\n  context_path: /api\n  username: ops\n" % srv.address,
                      "elsewhere.yaml")
        r = run(["config", "get", "k", "--config-file", other, "--namespace", "yaml-ns"], None,
                NACOS_PASSWORD="s3cret-pw")
        assert (r.code, r.out) == (0, "v1"), r
        r = run(["config", "get", "k", "--config-file", other, "--namespace", "yaml-ns"], None,
                NACOS_PASSWORD="wrong-pw")
        assert r.code != 0 and "wrong-pw" not in r.out + r.err and "s3cret-pw" not in r.out + r.err, r
        _yaml(here, u"nacos:\n  server: %s\n  timeout: 3\n" % srv.address)
        r = run(["config", "get", "k"], None, cwd=str(here))
        assert r.code == 2 and "nacos.timeout" in r.err and "nacos.yaml" in r.err and "Traceback" not in r.err, r


def test_keys_the_loader_ignores_are_said_on_stderr(tmpdir, capsys):
    path = _yaml(tmpdir, u"nacos:\n  server: h:1\n  namspace: typo\n", "application.yaml")
    s = _settings([], {}, tmpdir)
    assert s["server_addresses"] == "h:1" and s["namespace"] == ""
    assert "nacos: warning: %s: unknown key nacos.namspace ignored" % path in capsys.readouterr().err


def _actions(parser, prefix):
    """Every command path of the parser tree, e.g. ["naming", "ls"]."""
    import argparse
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in sorted(action.choices.items()):
                for path in _actions(sub, prefix + [name]):
                    yield path


def test_help_on_every_level(capsys):
    paths = list(_actions(build_parser(), []))
    assert ["naming", "ls"] in paths and ["doctor"] in paths and len(paths) >= 18
    for path in paths:
        with pytest.raises(SystemExit) as info:
            build_parser().parse_args(path + ["--help"])
        out = capsys.readouterr().out
        assert info.value.code == 0 and out.startswith(("usage: nacos %s" % " ".join(path)).strip()), path
        if len(path) == 2 or path == ["doctor"]:
            assert "--config-file" in out and "--json" in out, path
