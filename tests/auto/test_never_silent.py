"""Issue 16, WSGI side (Python 2.7 and 3): registration never fails silently, keeps trying until Nacos is
there, accepts the seed's command forms and nacos-serving-python's flags, the explicit integrations
(gunicorn server hooks, the Django app) work, and a runserver stop deregisters an app that only wraps
itself in wsgi.py. Every app is a real process; Nacos is the embedded server."""
import os
import sys

import pytest

from auto_support import (APPS, BEAT, BIN, ROOT, free_port, hosts, need, registered, serves, stopped,
                          wait)

LAUNCHER = ["-m", "nacos.auto.registration"]
pytestmark = pytest.mark.slow


def env_for(server_address, service, **extra):
    env = {"NACOS_SERVER": server_address, "NACOS_SERVICE_NAME": service, "NACOS_HEARTBEAT_INTERVAL": BEAT}
    env.update(extra)
    return env


def _lines(output, text):
    return [line for line in output.splitlines() if text in line]


def test_unreachable_nacos_is_said_in_one_line_and_retried_until_it_answers(start_app, tmpdir):
    """Logging off, no nacos.yaml in the working directory, Nacos down for longer than the startup retries:
    one stderr line says so (and that no config file was found), no traceback; the registration goes on in
    the background and succeeds as soon as Nacos answers, which is said too."""
    from nacos.testing import NacosServer
    nacos_port, port = free_port(), free_port()
    address = "127.0.0.1:%d" % nacos_port
    app = start_app([os.path.join(APPS, "argv_app.py")], cwd=str(tmpdir), env=env_for(
        address, "late-nacos", APP_PORT=str(port), APP_TRIGGER="import", NACOS_RETRY_TIMES="1",
        NACOS_RETRY_INTERVAL="0.2", NACOS_RETRY_MAX_INTERVAL="0.5"))
    said = wait(lambda: _lines(app.output(), "nacos.auto: could not register late-nacos"), 10.0,
                "no word about the failed registration:\n%s" % app.output())
    assert len(said) == 1 and "retrying in the background" in said[0], app.output()
    assert "no nacos.yaml or application.yaml in %s" % tmpdir in said[0] and address in said[0]
    assert "Traceback" not in app.output()
    server = NacosServer(port=nacos_port, heartbeat_timeout=2, delete_timeout=4, health_check_interval=0.2)
    server.start()
    try:
        registered(server, app, "late-nacos", "127.0.0.1", port, within=5.0)
        wait(lambda: _lines(app.output(), "nacos.auto: registered late-nacos"), 5.0, app.output())
        assert stopped(server, app, "late-nacos") == 0
    finally:
        server.stop()


def test_options_after_the_script_bool_values_and_serving_python_names(nacos, start_app):
    """``--empty-protection false`` (was "/usr/bin/false is not a Python script"), nacos-serving-python's
    ``--group``/``--cluster``, and the seed's ``app.py --nacos-server ... --service-name ...``: the
    launcher's options after the script are read as the launcher's and stderr says so; ``--`` and unknown
    options stay the app's."""
    port = free_port()
    app = start_app(LAUNCHER + ["--empty-protection", "false", "--group", "G16", "--cluster", "c16",
                                "argv_app.py", "--nacos-server", nacos.address, "--service-name", "opts-after",
                                "--heartbeat-interval=" + BEAT, "--app-flag", "--", "--service-port", "1"],
                    env={"APP_PORT": str(port)})
    found = registered(nacos, app, "opts-after", "127.0.0.1", port, group="G16")
    assert found[0]["clusterName"] == "c16"
    out = app.output()
    assert "app argv: %r" % (["--app-flag", "--service-port", "1"],) in out
    said = _lines(out, "read --nacos-server, --service-name, --heartbeat-interval after argv_app.py")
    assert len(said) == 1 and said[0].startswith("nacos.auto: "), out
    assert stopped(nacos, app, "opts-after", group="G16") == 0


def _launcher(args, cwd=APPS):
    import subprocess
    env = dict(os.environ, PYTHONPATH=ROOT)
    for name in [k for k in env if k.startswith("NACOS_")]:
        env.pop(name)
    proc = subprocess.Popen([sys.executable] + LAUNCHER + args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out, err = proc.communicate()
    return proc.returncode, out.decode("utf-8"), err.decode("utf-8")


def test_serving_python_switches_and_show_detection(tmpdir):
    code, out, err = _launcher(["--disable-graceful-shutdown", "--debug", "--empty-protection=off",
                                "--no-register-on-request", "--dry-run"], cwd=str(tmpdir))
    assert code == 0, err
    settings = dict((line.split("=")[0].strip(), line.split("=")[1].split("(")[0].strip())
                    for line in out.splitlines() if " = " in line)
    assert settings["shutdown.graceful"] == "False" and settings["logging.level"] == "DEBUG"
    assert settings["discovery.empty_protection"] == "False"
    assert settings["registration.register_on_request"] == "False"
    code, out, err = _launcher(["--show-detection", "--service-ip", "10.1.2.3", "argv_app.py"])
    assert code == 0, err
    assert "service.name = apps (detected)" in out and "service.ip   = 10.1.2.3" in out
    assert "the port the server binds" in out


@pytest.mark.parametrize("how", ["import", "gunicorn"])
def test_a_bad_setting_is_one_line_and_the_app_still_serves(nacos, start_app, how):
    port = free_port()
    env = env_for(nacos.address, "bad-setting", NACOS_SERVICE_PORT="eighty", APP_PORT=str(port),
                  APP_TRIGGER="import")
    if how == "gunicorn":
        need("flask")
        script = os.path.join(BIN, "gunicorn")
        if not os.path.exists(script):
            pytest.skip("gunicorn is not installed")
        app = start_app([script, "-w", "1", "-b", "127.0.0.1:%d" % port, "flask_enabled:app"], env=env)
    else:
        app = start_app(["argv_app.py"], env=env)
    wait(lambda: serves(port), 10.0, "the app does not serve:\n%s" % app.output())
    out = app.output()
    said = _lines(out, "invalid service.port from env NACOS_SERVICE_PORT")
    assert len(said) == 1 and said[0].startswith("nacos.auto: not registering this app: "), out
    assert "Traceback" not in out
    assert not hosts(nacos, "bad-setting")


def test_gunicorn_server_hooks_and_a_private_worker_directory(nacos, start_app):
    """``-c python:nacos.auto.gunicorn`` (no trigger, no middleware in the app): both workers register the
    bound ip:port; SIGTERM takes it down; the bookkeeping lives in a 0700 directory of this user and the
    last worker leaves no directory behind."""
    from nacos.auto.workers import private_path
    script = os.path.join(BIN, "gunicorn")
    if not os.path.exists(script):
        pytest.skip("gunicorn is not installed")
    port = free_port()
    app = start_app([script, "-c", "python:nacos.auto.gunicorn", "-w", "2", "-b", "127.0.0.1:%d" % port,
                     "--graceful-timeout", "3", "wsgi_plain:application"],
                    env=env_for(nacos.address, "gunicorn-hooks"))
    registered(nacos, app, "gunicorn-hooks", "127.0.0.1", port)
    root = private_path()
    mine = lambda: [n for n in os.listdir(root) if n.startswith("%d-" % port)]  # noqa: E731
    directory = os.path.join(root, wait(mine, 5.0, "no worker directory")[0])
    assert os.stat(root).st_mode & 0o777 == 0o700
    workers = lambda: [n for n in os.listdir(directory) if n.isdigit()] if os.path.isdir(directory) else []  # noqa
    wait(lambda: len(workers()) == 2, 10.0, "both workers should join:\n%s" % app.output())
    assert stopped(nacos, app, "gunicorn-hooks") == 0
    wait(lambda: not mine(), 5.0, "the worker directory is left behind")


@pytest.mark.parametrize("how", ["wsgi-middleware", "django-app"])
def test_django_runserver_stop_deregisters(nacos, start_app, how):
    """runserver with ``application = inject_wsgi_middleware(get_wsgi_application())`` in wsgi.py: the
    reloader parent never loads it and SIGKILLs the child on SIGTERM, so the child's watchdog deregisters.
    With ``nacos.auto.django`` in INSTALLED_APPS the parent takes part and forwards the signal instead."""
    need("django")
    port = free_port()
    env = env_for(nacos.address, "runserver-%s" % how, DJANGO_SETTINGS_MODULE="mysite.settings")
    if how == "wsgi-middleware":
        env["APP_WSGI"] = "mysite.wsgi_middleware.application"
    else:
        env["APP_DJANGO_APPS"] = "nacos.auto.django"
    app = start_app(["manage.py", "runserver", "127.0.0.1:%d" % port], env=env)
    registered(nacos, app, "runserver-%s" % how, "127.0.0.1", port, within=10.0)
    code = stopped(nacos, app, "runserver-%s" % how)  # the parent only, as systemd/docker/an IDE do
    assert code is not None, app.output()
    if how == "django-app":
        assert code == 0, app.output()
