"""Real WSGI apps under real servers, registered in the embedded Nacos: Flask ``app.run`` (launcher), Flask
under gunicorn with 2 workers (import trigger), Django runserver (launcher), Django ``wsgi.py`` under
gunicorn (launcher, and the explicit middleware), a bare WSGI callable (launcher ``module:app``)."""
import os
import signal
import time

import pytest

from auto_support import (BEAT, BIN, DEREGISTER_WITHIN, check_lifecycle, free_port, hosts, need, outward_ip,
                          wait)

LAUNCHER = ["-m", "nacos.auto.registration"]
pytestmark = pytest.mark.slow


def nacos_env(server, service, **extra):
    env = {"NACOS_SERVER": server.address, "NACOS_SERVICE_NAME": service, "NACOS_HEARTBEAT_INTERVAL": BEAT}
    env.update(extra)
    return env


def gunicorn_script():
    path = os.path.join(BIN, "gunicorn")
    if not os.path.exists(path):
        pytest.skip("gunicorn is not installed")
    return path


def test_flask_app_run_under_the_launcher(nacos, start_app):
    need("flask")
    port = free_port()
    app = start_app(LAUNCHER + ["--nacos-server", nacos.address, "--service-name", "flask-run",
                                "--heartbeat-interval", BEAT, "--metadata", "version=2", "--metadata", "zone=a",
                                "--service-group", "G1", "flask_app.py"],
                    env={"APP_PORT": str(port), "APP_HOST": "127.0.0.1"})

    def metadata(instance):
        assert instance["metadata"] == {"version": "2", "zone": "a"}

    check_lifecycle(nacos, app, "flask-run", "127.0.0.1", port, group="G1", extra=metadata)


def test_flask_reloader_parent_does_not_register(nacos, start_app):
    need("flask")
    port = free_port()
    app = start_app(["flask_enabled.py"], env=nacos_env(nacos, "flask-reload", APP_PORT=str(port),
                                                        APP_RELOAD="1", NACOS_LOG_LEVEL="INFO"))
    wait(lambda: hosts(nacos, "flask-reload"), 8.0, "reloader child did not register:\n%s" % app.output())
    time.sleep(1.0)  # a parent that registered would show as a second instance (same ip:port: same id)
    found = hosts(nacos, "flask-reload")
    assert [(h["ip"], h["port"]) for h in found] == [("127.0.0.1", port)]
    assert "registered flask-reload" not in app.output() or app.output().count("registered flask-reload") == 1
    app.terminate(group=True)  # Ctrl-C/SIGTERM reach the parent and the child together
    _deregistered_by_the_signal(nacos, app, "flask-reload")


def _deregistered_by_the_signal(nacos, app, service):
    """The child deregisters in its SIGTERM handler, in front of the reloader's ``sys.exit(0)``: not from
    atexit, where the second SIGTERM of a group stop (the parent forwards one) could cut it short."""
    wait(lambda: not hosts(nacos, service), DEREGISTER_WITHIN, "still registered:\n%s" % app.output())
    assert "signal %d: deregistering" % signal.SIGTERM in app.output()
    assert app.wait_exit() is not None, app.output()


def test_flask_gunicorn_two_workers_import_trigger(nacos, start_app):
    need("flask")
    script = gunicorn_script()
    port = free_port()
    app = start_app([script, "-w", "2", "-b", "0.0.0.0:%d" % port, "--graceful-timeout", "3",
                     "flask_enabled:app"], env=nacos_env(nacos, "flask-gunicorn", NACOS_LOG_LEVEL="INFO"))

    def one_worker_leaves(instance):
        workers = wait(lambda: _children(app.proc.pid) if len(_children(app.proc.pid)) == 2 else None, 5.0,
                       "gunicorn did not start 2 workers")
        wait(lambda: app.output().count("registered flask-gunicorn") == 2, 5.0,
             "both workers should register (idempotently):\n%s" % app.output())
        os.kill(workers[0], signal.SIGTERM)  # one worker goes (gunicorn replaces it): the instance stays
        wait(lambda: workers[0] not in _children(app.proc.pid), 5.0, "worker did not exit")
        assert "not deregistering" in app.output()
        assert len(hosts(nacos, "flask-gunicorn")) == 1

    check_lifecycle(nacos, app, "flask-gunicorn", outward_ip(), port, extra=one_worker_leaves)


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as fp:
                    fields = fp.read().rsplit(")", 1)[1].split()
            except (IOError, OSError):
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return sorted(found)


def test_django_runserver_under_the_launcher(nacos, start_app):
    need("django")
    port = free_port()
    app = start_app(LAUNCHER + ["--nacos-server", nacos.address, "--heartbeat-interval", BEAT,
                                "manage.py", "runserver", "--noreload", "0.0.0.0:%d" % port])
    check_lifecycle(nacos, app, "mysite", outward_ip(), port)  # default name: the settings package


def test_django_runserver_import_trigger_with_reloader(nacos, start_app):
    need("django")
    port = free_port()
    app = start_app(["manage.py", "runserver", "127.0.0.1:%d" % port],
                    env=nacos_env(nacos, "django-reload", APP_TRIGGER="import", NACOS_LOG_LEVEL="INFO"))
    wait(lambda: hosts(nacos, "django-reload"), 8.0, "runserver child did not register:\n%s" % app.output())
    assert [(h["ip"], h["port"]) for h in hosts(nacos, "django-reload")] == [("127.0.0.1", port)]
    assert app.output().count("not registering in this process") <= 1
    app.terminate(group=True)
    _deregistered_by_the_signal(nacos, app, "django-reload")


@pytest.mark.parametrize("how", ["launcher", "middleware"])
def test_django_wsgi_under_gunicorn(nacos, start_app, how):
    need("django")
    script = gunicorn_script()
    port = free_port()
    service = "django-gunicorn-%s" % how
    if how == "launcher":  # stock wsgi.py, gunicorn run through nacos-register
        args = LAUNCHER + ["--nacos-server", nacos.address, "--service-name", service, "--heartbeat-interval",
                           BEAT, "--service-ip", "10.1.2.3", "gunicorn", "-w", "2", "-b", "127.0.0.1:%d" % port,
                           "mysite.wsgi"]
        app = start_app(args, env={"DJANGO_SETTINGS_MODULE": "mysite.settings"})
        check_lifecycle(nacos, app, service, "10.1.2.3", port)
    else:
        app = start_app([script, "-w", "1", "-b", "127.0.0.1:%d" % port, "mysite.wsgi_middleware"],
                        env=nacos_env(nacos, service))
        check_lifecycle(nacos, app, service, "127.0.0.1", port)


def test_plain_wsgi_module_app_served_by_the_launcher(nacos, start_app):
    import requests
    port = free_port()
    app = start_app(LAUNCHER + ["--nacos-server", nacos.address, "--service-name", "plain-wsgi",
                                "--service-port", str(port), "--heartbeat-interval", BEAT, "--namespace", "ns-1",
                                "wsgi_plain:application"])

    def serves(instance):
        assert requests.get("http://127.0.0.1:%d/" % port, timeout=3).text == "plain ok"

    check_lifecycle(nacos, app, "plain-wsgi", outward_ip(), port, namespace="ns-1", extra=serves)


def test_metrics_endpoint_of_the_wsgi_shim(nacos, start_app):
    """--metrics-path serves the registration client's Prometheus text from the app (off by default)."""
    import requests
    port = free_port()
    app = start_app(LAUNCHER + ["--nacos-server", nacos.address, "--service-name", "plain-metrics",
                                "--service-port", str(port), "--heartbeat-interval", BEAT,
                                "--metrics-path", "/nacos/metrics", "wsgi_plain:application"])

    def scraped(instance):
        r = requests.get("http://127.0.0.1:%d/nacos/metrics" % port, timeout=3)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        assert 'nacos_requests_total{kind="naming_instance",outcome="ok"}' in r.text
        assert "nacos_naming_managed_instances 1" in r.text
        assert requests.get("http://127.0.0.1:%d/other" % port, timeout=3).text == "plain ok"

    check_lifecycle(nacos, app, "plain-metrics", outward_ip(), port, extra=scraped)


def test_no_metrics_endpoint_by_default(nacos, start_app):
    import requests
    port = free_port()
    app = start_app(LAUNCHER + ["--nacos-server", nacos.address, "--service-name", "plain-nometrics",
                                "--service-port", str(port), "--heartbeat-interval", BEAT,
                                "wsgi_plain:application"])

    def not_served(instance):
        assert requests.get("http://127.0.0.1:%d/nacos/metrics" % port, timeout=3).text == "plain ok"

    check_lifecycle(nacos, app, "plain-nometrics", outward_ip(), port, extra=not_served)
