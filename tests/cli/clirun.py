"""Run the ``nacos`` command as a subprocess (``python -m nacos``) with a clean connection environment."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Result(object):
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return "Result(code=%r, out=%r, err=%r)" % (self.code, self.out, self.err)


def env_for(server, **extra):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("NACOS_"))
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    if server:
        env["NACOS_SERVER"] = server
    env.update(extra)
    return env


def start(args, server, stdin=None, cwd=None, **extra):
    """A running ``nacos`` process (stdout/stderr pipes)."""
    return subprocess.Popen([sys.executable, "-m", "nacos"] + list(args), env=env_for(server, **extra),
                            stdin=subprocess.PIPE if stdin is not None else open(os.devnull),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)


def run(args, server, stdin=None, cwd=None, **extra):
    """Run ``nacos ARGS`` to its end; stdin is text or None."""
    proc = start(args, server, stdin=stdin, cwd=cwd, **extra)
    out, err = proc.communicate(stdin.encode("utf-8") if stdin is not None else None)
    return Result(proc.returncode, out.decode("utf-8"), err.decode("utf-8"))
