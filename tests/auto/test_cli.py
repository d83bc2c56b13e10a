"""The launcher's command line, run as ``python -m nacos.auto.registration`` and as the console-script
entry point ``nacos.auto.cli:main``."""
import os
import subprocess
import sys

import pytest

from auto_support import APPS, ROOT

from nacos.auto import cli


def run(args, env=None, cwd=APPS):
    full_env = dict(os.environ, PYTHONPATH=ROOT)
    full_env.update(env or {})
    proc = subprocess.Popen([sys.executable, "-m", "nacos.auto.registration"] + args, cwd=cwd, env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    return proc.returncode, out.decode("utf-8"), err.decode("utf-8")


def test_help_lists_every_option():
    code, out, _ = run(["--help"])
    assert code == 0
    for flag in ("--nacos-server", "--namespace", "--service-name", "--service-port", "--service-ip",
                 "--service-group", "--service-cluster", "--service-weight", "--metadata",
                 "--register-on-startup", "--register-on-request", "--no-auto-register", "--retry-times",
                 "--retry-interval", "--heartbeat-interval", "--heartbeat-timeout", "--graceful-shutdown",
                 "--shutdown-timeout", "--deregister-on-exit", "--log-level", "--log-file", "--empty-protection",
                 "--username", "--password", "--access-key", "--secret-key", "--dry-run", "--show-config"):
        assert flag in out, flag


@pytest.mark.parametrize("args, message", [
    (["--bogus", "app.py"], "unrecognized arguments: --bogus"),
    (["--service-port", "x", "wsgi_plain.py"], "invalid service.port from cli --service-port"),
    (["--service-weight", "-1", "--dry-run"], "invalid service.weight from cli --service-weight"),
    (["--log-level", "chatty", "--dry-run"], "invalid logging.level from cli --log-level"),
    (["--service-ip", "not.an.ip", "--dry-run"], "invalid service.ip from cli --service-ip: must be an IPv4 or IPv6"),
    (["--no-such-flag", "value", "app.py"], "unrecognized arguments: --no-such-flag"),
    (["--retry-times"], "expected one argument"),
    ([], "a target is required"),
    (["no_such_app.py"], "cannot find 'no_such_app.py'"),
])
def test_bad_command_lines_exit_2_with_a_clear_message(args, message):
    code, out, err = run(args)
    assert code == 2 and message in err, (code, out, err)


def test_bad_env_value_names_the_variable():
    code, _, err = run(["--dry-run"], env={"NACOS_SERVICE_WEIGHT": "heavy"})
    assert code == 2 and "invalid service.weight from env NACOS_SERVICE_WEIGHT" in err


@pytest.mark.parametrize("flag", ["--dry-run", "--show-config"])
def test_dry_run_prints_merged_settings_masked_and_exits_0(flag, tmpdir):
    tmpdir.join("nacos.yaml").write("service: {cluster: filecluster}\n")
    code, out, _ = run(["--password", "hunter2", "--secret-key", "sk-secret", "--service-port", "8123", flag,
                        "app_that_is_never_run.py"], env={"NACOS_NAMESPACE": "envns"}, cwd=str(tmpdir))
    assert code == 0
    assert "hunter2" not in out and "sk-secret" not in out and "******" in out
    assert "8123" in out and "cli --service-port" in out
    assert "envns" in out and "env NACOS_NAMESPACE" in out
    assert "filecluster" in out and "nacos.yaml" in out


def test_console_script_is_declared_and_callable(capsys):
    with open(os.path.join(ROOT, "setup.py")) as fp:
        assert "nacos-register = nacos.auto.cli:main" in fp.read()
    with pytest.raises(SystemExit) as info:
        cli.main(["--no-such-flag"])
    assert info.value.code == 2
    assert cli.main(["--dry-run", "--service-name", "x"]) == 0
    assert "service.name" in capsys.readouterr().out


def test_script_target_runs_as_main_with_its_arguments(tmpdir):
    script = tmpdir.join("tool.py")
    script.write("import sys\nprint('main=%s argv=%s' % (__name__, sys.argv[1:]))\nsys.exit(3)\n")
    code, out, err = run(["--no-auto-register", str(script), "--port", "9", "x"], cwd=str(tmpdir))
    assert code == 3, err
    assert "main=__main__ argv=['--port', '9', 'x']" in out
