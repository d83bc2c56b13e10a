"""The README's first two commands are the ones CI runs."""
import io
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_readme_test_command_is_the_ci_command():
    readme = io.open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    block = re.search(r"```bash\n(.*?)```", readme, re.S).group(1).strip().splitlines()
    assert block[0] == "python -m pip install . && python examples/quickstart.py"
    ci = io.open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8").read()
    assert "TEST_COMMAND='%s'" % block[1] in ci


def test_quickstart_runs_as_the_readme_says():
    """`python examples/quickstart.py`: with NACOS_SERVER_ADDR unset it starts the embedded server, publishes,
    reads back, registers and lists."""
    import subprocess
    import sys
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("NACOS_SERVER_ADDR", None)
    out = subprocess.check_output([sys.executable, os.path.join(ROOT, "examples", "quickstart.py")], env=env,
                                  stderr=subprocess.STDOUT).decode("utf-8")
    assert "started the embedded server" in out
    assert "publish_config('quickstart.yaml', 'DEFAULT_GROUP', ...) -> True" in out
    assert "greeting: hello" in out
    assert "instance 127.0.0.1:8080 healthy=True" in out
    assert out.strip().endswith("done")
