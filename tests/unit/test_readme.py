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
