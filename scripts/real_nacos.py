#!/usr/bin/env python3
"""Fetch, start, stop and inspect REAL Nacos servers for the contract tests (stdlib only).

Run through the ``scripts/real-nacos`` wrapper; ``docs/real-servers.md`` is the manual.

Kinds:
  2.x     org.jeecgframework.nacos:nacos-console:2.3.2 (republish of upstream 2.3.2) from Maven Central
  3.x     io.github.pig-mesh.nacos:nacos-server:3.1.0-bugfix (pig-mesh fork) from Maven Central,
          started server-only through a tiny bootstrap class compiled at fetch time
  1.4     no 1.4.x server republish resolves from the reachable Maven Central (fetch says what it tried)
  rnacos  crates.io rnacos 0.8.8 built with ``cargo install --locked``

Every server listens on 127.0.0.1 only: the Java servers' gRPC and JRaft sockets bind to the wildcard
address in code, so the JVM runs with a tiny LD_PRELOAD shim (compiled with cc at fetch time) that turns
wildcard binds into loopback binds.
"""
from __future__ import print_function

import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

CACHE = os.path.abspath(os.path.expanduser(os.environ.get("NACOS_CACHE") or "~/.cache/nacos-real"))
RUN_ROOT = os.path.abspath(os.path.expanduser(os.environ.get("NACOS_RUN_DIR") or os.path.join(CACHE, "run")))
M2_REPO = os.path.abspath(os.path.expanduser(os.environ.get("NACOS_M2_REPO") or os.path.join(CACHE, "m2")))
FETCH_TIMEOUT = int(os.environ.get("NACOS_FETCH_TIMEOUT", "1200"))  # seconds per mvn attempt
BUILD_TIMEOUT = int(os.environ.get("NACOS_BUILD_TIMEOUT", "5400"))  # seconds for cargo install
ATTEMPTS = int(os.environ.get("NACOS_FETCH_ATTEMPTS", "3"))
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"

# 2.x/3.x need the upstream "nacos" auth plugin settings; these are throw-away test values.
SECRET_KEY = "bmFjb3MtY2ktc2VjcmV0LWtleS0wMTIzNDU2Nzg5YWJjZGVm"  # base64 of a 36-byte ASCII string
IDENTITY_KEY, IDENTITY_VALUE = "serverIdentity", "security"
USERNAME = PASSWORD = "nacos"

KINDS = {
    "2.x": {
        "type": "maven",
        "line": "2",
        "default_port": 18848,
        "main": "com.alibaba.nacos.Nacos",
        "coords": ("org.jeecgframework.nacos", "nacos-console", "2.3.2"),
        "pins": {
            "nacos-console-2.3.2.jar": "21c12bd39424dec0a8ec02cc727e7bcf5b4fde7cab7523ae63d165152633f339",
            "nacos-config-2.3.2.jar": "09ef30cac05972ec394c8a738b80da51ec6c3884a3df38ea53fafae4a7a0f765",
            "nacos-naming-2.3.2.jar": "82f88a45572df9b1020fec0360abb4fdf8983d7b1a14116ccda931ac94271d84",
            "nacos-core-2.3.2.jar": "6a27b0b2c5dafbe4ac440d3167e9a2d157c99e41e66e14816637400505f70512",
        },
        # jraft-core drags in com.alipay.sofa:hessian 3.3.6, which Maven orders before com.caucho:hessian
        # 4.0.63; with it first, startup fails ("compatible versions of the classes
        # ...NacosHessianSerializerFactory and com.caucho.hessian.io.SerializerFactory").
        "classpath_first": ["/com/caucho/hessian/"],
        "has_default_user": True,  # <= 2.3.x: the Derby schema creates nacos/nacos
    },
    "3.x": {
        "type": "maven",
        "line": "3",
        "default_port": 38848,
        "min_java": 17,
        "main": "CiNacosBootstrap",
        "coords": ("io.github.pig-mesh.nacos", "nacos-server", "3.1.0-bugfix"),
        "pins": {
            "nacos-server-3.1.0-bugfix.jar": "fb0c19b46af115edf70fba4379f193c58ac20309d211d64b82d6401a484cd90e",
            "nacos-config-3.1.0-bugfix.jar": "02cb75be54e3e485a52723dc262def650a1b912bd4b719a7c97e916f5e4c78bb",
            "nacos-naming-3.1.0-bugfix.jar": "d50b2954d669cd704331ac1d7482431eaa73578119be5621d8250d6a394fb341",
            "nacos-core-3.1.0-bugfix.jar": "112c29a5812724530db0ce3210535ce3b4a1bc0e9c68ce68c5dd0f820b79d74f",
        },
        "classpath_first": ["/com/caucho/hessian/"],
        "has_default_user": False,
    },
    "1.4": {
        "type": "maven",
        "line": "1",
        "default_port": 28848,
        "main": "com.alibaba.nacos.Nacos",
        # Tried in order; none of them resolves from the Maven Central this project reaches (see docs).
        "candidates": [
            ("cn.javaboot", "nacos-console", "1.4.1"),
            ("io.github.pig-mesh.nacos", "nacos-console", "1.4.8"),
        ],
        "coords": None,
        "pins": {},
        "classpath_first": [],
        "has_default_user": True,
    },
    "rnacos": {
        "type": "cargo",
        "default_port": 48848,
        "crate": ("rnacos", "0.8.8"),
        # sha256 of rnacos-0.8.8.crate (cargo also checks it against the index)
        "crate_sha256": "3b4822becae4f2f73d3365908634307f27e7f7a5f4a3ff20ce3ff6e414f4b940",
    },
}

JAVA_BOOTSTRAP = r"""
// Written for scripts/real-nacos: the 3.x "server" deployment of com.alibaba.nacos.bootstrap.NacosBootstrap
// (core context + server web context, no console), because no nacos-bootstrap jar is on Maven Central.
import com.alibaba.nacos.NacosServerBasicApplication;
import com.alibaba.nacos.NacosServerWebApplication;
import com.alibaba.nacos.core.listener.startup.NacosStartUp;
import com.alibaba.nacos.core.listener.startup.NacosStartUpManager;
import com.alibaba.nacos.sys.env.DeploymentType;
import com.alibaba.nacos.sys.env.EnvUtil;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jmx.export.MBeanExporter;
import org.springframework.jmx.support.RegistrationPolicy;

public class CiNacosBootstrap {
    public static void main(String[] args) {
        EnvUtil.setDeploymentType(DeploymentType.getType("server"));
        NacosStartUpManager.start(NacosStartUp.CORE_START_UP_PHASE);
        ConfigurableApplicationContext core = new SpringApplicationBuilder(NacosServerBasicApplication.class)
                .web(WebApplicationType.NONE).run(args);
        if (core.getEnvironment().getProperty("spring.jmx.enabled", Boolean.class, false)) {
            core.getBean(MBeanExporter.class).setRegistrationPolicy(RegistrationPolicy.IGNORE_EXISTING);
        }
        NacosStartUpManager.start(NacosStartUp.WEB_START_UP_PHASE);
        new SpringApplicationBuilder(NacosServerWebApplication.class).parent(core).run(args);
    }
}
"""

# Upstream ships these defaults in nacos-bootstrap's application.properties (not on Central); EnvUtil refuses
# to start without a classpath application.properties. The -D flags of `start` override them.
BOOTSTRAP_PROPERTIES = """# generated by scripts/real-nacos for the 3.x server-only bootstrap
nacos.server.main.port=8848
nacos.server.contextPath=/nacos
server.error.include-message=ALWAYS
server.tomcat.accesslog.enabled=false
management.elastic.metrics.export.enabled=false
management.influx.metrics.export.enabled=false
nacos.config.push.maxRetryTime=50
nacos.naming.empty-service.auto-clean=true
nacos.naming.empty-service.clean.initial-delay-ms=50000
nacos.naming.empty-service.clean.period-time-ms=30000
nacos.security.ignore.urls=/,/error,/**/*.css,/**/*.js,/**/*.html,/**/*.map,/**/*.svg,/**/*.png,/**/*.ico,/console-ui/public/**,/v1/auth/**,/v1/console/health/**,/actuator/**,/v1/console/server/**
nacos.core.auth.system.type=nacos
nacos.core.auth.enabled=false
nacos.core.auth.caching.enabled=true
nacos.core.auth.plugin.nacos.token.cache.enable=false
nacos.core.auth.plugin.nacos.token.expire.seconds=18000
nacos.istio.mcp.server.enabled=false
nacos.k8s.sync.enabled=false
"""

BIND_SHIM_C = r"""
/* Written for scripts/real-nacos: LD_PRELOAD shim turning wildcard binds (0.0.0.0, ::) into loopback
 * binds, so every socket of the server (HTTP, gRPC, JRaft, UDP push) is on 127.0.0.1 only. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
    static bind_fn real_bind = 0;
    if (!real_bind) real_bind = (bind_fn)dlsym(RTLD_NEXT, "bind");
    if (addr && addr->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        struct sockaddr_in a;
        memcpy(&a, addr, sizeof a);
        if (a.sin_addr.s_addr == htonl(INADDR_ANY)) {
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            return real_bind(fd, (const struct sockaddr *)&a, sizeof a);
        }
    } else if (addr && addr->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        struct sockaddr_in6 a;
        memcpy(&a, addr, sizeof a);
        if (IN6_IS_ADDR_UNSPECIFIED(&a.sin6_addr)) {
            static const unsigned char mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
            memcpy(&a.sin6_addr, mapped, 16); /* dual-stack wildcard -> ::ffff:127.0.0.1 */
            return real_bind(fd, (const struct sockaddr *)&a, sizeof a);
        }
    }
    return real_bind(fd, addr, len);
}
"""


# --------------------------------------------------------------------------------------------- helpers
def log(msg):
    sys.stderr.write("real-nacos: %s\n" % msg)
    sys.stderr.flush()


class Failure(Exception):
    pass


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def kind_dir(kind):
    return os.path.join(CACHE, kind)


def write(path, text):
    d = os.path.dirname(path)
    if d and not os.path.isdir(d):
        os.makedirs(d)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (IOError, OSError, ValueError):
        return None


def tail(path, n=80):
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 256 * 1024))
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join(lines[-n:])
    except (IOError, OSError):
        return "(no log at %s)" % path


def du(paths):
    total = 0
    for p in paths:
        try:
            total += os.path.getsize(p)
        except OSError:
            pass
    return total


def run_logged(cmd, logfile, timeout, env=None, cwd=None):
    """Run cmd with output appended to logfile; return (rc, seconds). rc 124 = timeout."""
    t0 = time.time()
    with open(logfile, "ab") as out:
        out.write(("\n$ %s\n" % " ".join(cmd)).encode())
        out.flush()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                             cwd=cwd, start_new_session=True)
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(p.pid, grace=5)
            p.wait()
            rc = 124
    return rc, time.time() - t0


def kill_group(pid, grace=30.0):
    """SIGTERM the process group led by pid, SIGKILL it after grace seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return True
        except PermissionError:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return True
        deadline = time.time() + (grace if sig == signal.SIGTERM else 10)
        while time.time() < deadline:
            if not group_alive(pid):
                return True
            time.sleep(0.25)
    return not group_alive(pid)


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie leader of ours still "exists": reap it if it is our child
    try:
        pid, _ = os.waitpid(pgid, os.WNOHANG)
        if pid == pgid:
            return group_alive_members(pgid)
    except ChildProcessError:
        pass
    return group_alive_members(pgid)


def group_alive_members(pgid):
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
        except (IOError, OSError, IndexError, ValueError):
            continue
    return False


def pid_alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (IOError, OSError, IndexError):
        return False


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (IOError, OSError):
        pass
    return None


def port_free(port):
    if not 0 < port < 65536:
        return False
    for host in ("127.0.0.1", "0.0.0.0"):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # like the servers' listeners: a TIME_WAIT leftover of some client connection does not block the port
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        finally:
            s.close()
    return True


def http(method, url, params=None, data=None, headers=None, timeout=5.0):
    """Return (status, body text, headers dict); status 0 = connection failure."""
    if params:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), dict(e.headers or {})
    except (urllib.error.URLError, OSError, ValueError) as e:
        return 0, str(e), {}


# --------------------------------------------------------------------------------------------- java
def find_java():
    home = os.environ.get("JAVA_HOME")
    cand = os.path.join(home, "bin", "java") if home else None
    java = cand if cand and os.access(cand, os.X_OK) else shutil.which("java")
    if not java:
        raise Failure("no java on PATH (need Java 17 for 3.x, 8+ for 1.4/2.x); apt-get install openjdk-17-jre-headless")
    out = subprocess.run([java, "-version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout.decode()
    ver = 0
    for token in out.replace('"', " ").split():
        if token[:1].isdigit():
            head = token.split(".")
            ver = int(head[1]) if head[0] == "1" and len(head) > 1 else int(head[0].split("-")[0].split("+")[0])
            break
    return java, ver


def shim_path():
    return os.path.join(CACHE, "bin", "bind_loopback.so")


def build_shim(logfile):
    so = shim_path()
    src = os.path.join(CACHE, "bin", "bind_loopback.c")
    if os.path.exists(so) and os.path.exists(src) and open(src).read() == BIND_SHIM_C:
        return so
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        log("WARNING: no C compiler: the Java servers' gRPC/JRaft ports will bind to 0.0.0.0 "
            "(apt-get install gcc to keep them on 127.0.0.1)")
        return None
    write(src, BIND_SHIM_C)
    rc, _ = run_logged([cc, "-shared", "-fPIC", "-O2", "-o", so + ".tmp", src, "-ldl"], logfile, 120)
    if rc != 0:
        raise Failure("compiling the loopback bind shim failed; see %s\n%s" % (logfile, tail(logfile, 20)))
    os.replace(so + ".tmp", so)
    return so


def maven_pom(coords):
    g, a, v = coords
    return """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <!-- generated by scripts/real-nacos: packaging pom used only to resolve the server's runtime classpath -->
  <modelVersion>4.0.0</modelVersion>
  <groupId>ci.local</groupId><artifactId>nacos-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></dependency>
  </dependencies>
</project>
""" % (g, a, v)


def mvn_resolve(kind, coords, logfile):
    """Resolve coords' runtime classpath into <kind>/classpath.txt. Raise Failure with the mvn errors."""
    mvn = shutil.which("mvn")
    if not mvn:
        raise Failure("no mvn on PATH (apt-get install maven)")
    d = kind_dir(kind)
    pom = os.path.join(d, "pom.xml")
    cp_file = os.path.join(d, "classpath.txt")
    write(pom, maven_pom(coords))
    cmd = [mvn, "-B", "-ntp", "-Dstyle.color=never", "--strict-checksums", "-Dmaven.repo.local=" + M2_REPO, "-f", pom,
           "-Dmaven.wagon.http.retryHandler.count=3", "-Dmaven.wagon.httpconnectionManager.ttlSeconds=25",
           DEPENDENCY_PLUGIN + ":build-classpath", "-DincludeScope=runtime", "-Dmdep.outputFile=" + cp_file,
           "-Dmdep.pathSeparator=:"]
    last = ""
    for attempt in range(1, ATTEMPTS + 1):
        log("resolving %s:%s:%s with Maven (attempt %d/%d, log %s)" % (coords + (attempt, ATTEMPTS, logfile)))
        offset = os.path.getsize(logfile) if os.path.exists(logfile) else 0
        rc, secs = run_logged(cmd + ["-U"], logfile, FETCH_TIMEOUT)  # -U: never trust a cached "not found"
        if rc == 0 and os.path.exists(cp_file):
            return cp_file, secs
        with open(logfile, "rb") as f:
            f.seek(offset)
            lines = re.sub(r"\x1b\[[0-9;]*m", "", f.read().decode("utf-8", "replace")).splitlines()
        last = "\n".join(l for l in lines if l.startswith("[ERROR]") and l.strip() != "[ERROR]"
                         and "-e switch" not in l and "-X switch" not in l and not l.startswith("[ERROR] [Help")
                         and "read the following articles" not in l)[-3000:]
        if rc == 124:
            last = "mvn timed out after %ds\n%s" % (FETCH_TIMEOUT, last)
        if "Could not find artifact %s:%s" % coords[:2] in last or "was not found in" in last:
            break  # the artifact is simply not there: retrying will not help
        time.sleep(5 * attempt)
    raise Failure("could not resolve %s:%s:%s\n%s" % (coords + (last or tail(logfile, 30),)))


def verify_pins(kind, spec, jars):
    by_name = {os.path.basename(j): j for j in jars}
    if not spec["pins"]:
        raise Failure("%s: no sha256 pins; resolved jars:\n%s" % (
            kind, "\n".join("  %s  %s" % (sha256(j), os.path.basename(j)) for j in jars if "nacos" in j)))
    for name, want in sorted(spec["pins"].items()):
        path = by_name.get(name)
        if not path:
            raise Failure("%s: pinned jar %s is not on the resolved classpath" % (kind, name))
        got = sha256(path)
        if got != want:
            raise Failure("%s: SHA-256 MISMATCH for %s\n  expected %s\n  got      %s\n  file     %s\n"
                          "Refusing to run it. If the change is intended, update the pin in scripts/real_nacos.py."
                          % (kind, name, want, got, path))
        log("sha256 ok  %s  %s" % (got, name))


def classpath(kind, spec):
    with open(os.path.join(kind_dir(kind), "classpath.txt")) as f:
        jars = [p for p in f.read().strip().split(":") if p]
    first = [j for j in jars if any(m in j for m in spec.get("classpath_first", []))]
    rest = [j for j in jars if j not in first]
    return first + rest


def fetch_maven(kind, spec, logfile):
    java, jver = find_java()
    if jver < spec.get("min_java", 8):
        raise Failure("%s needs Java %d+, found %d (%s)" % (kind, spec["min_java"], jver, java))
    tried = [spec["coords"]] if spec.get("coords") else spec.get("candidates", [])
    errors = []
    for coords in tried:
        try:
            _, secs = mvn_resolve(kind, coords, logfile)
            spec = dict(spec, coords=coords)
            break
        except Failure as e:
            errors.append(str(e))
    else:
        raise Failure("%s: no candidate resolves from Maven Central:\n%s" % (kind, "\n".join(errors)))
    jars = classpath(kind, spec)
    missing = [j for j in jars if not os.path.exists(j)]
    if missing:
        raise Failure("%s: classpath entries missing after resolve: %s" % (kind, missing[:5]))
    verify_pins(kind, spec, jars)
    shim = build_shim(logfile)
    if spec["main"] == "CiNacosBootstrap":
        boot = os.path.join(kind_dir(kind), "boot")
        src = os.path.join(boot, "CiNacosBootstrap.java")
        write(src, JAVA_BOOTSTRAP)
        write(os.path.join(boot, "classes", "application.properties"), BOOTSTRAP_PROPERTIES)
        javac = os.path.join(os.path.dirname(os.path.realpath(java)), "javac")
        javac = javac if os.access(javac, os.X_OK) else shutil.which("javac")
        if not javac:
            raise Failure("3.x needs javac (a JDK) to compile its bootstrap class (apt-get install openjdk-17-jdk-headless)")
        rc, _ = run_logged([javac, "-nowarn", "-d", os.path.join(boot, "classes"), "-cp", ":".join(jars), src],
                           logfile, 300)
        if rc != 0:
            raise Failure("compiling the 3.x bootstrap failed:\n%s" % tail(logfile, 30))
    size = du(jars)
    stamp = {"kind": kind, "coords": ":".join(spec["coords"]), "jars": len(jars), "bytes": size,
             "resolve_seconds": round(secs, 1), "shim": bool(shim), "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    write(os.path.join(kind_dir(kind), "fetched.json"), json.dumps(stamp, indent=1))
    log("%s fetched: %s, %d jars, %.1f MB, resolve %.1fs" % (kind, stamp["coords"], len(jars), size / 1e6, secs))


def rnacos_bin():
    return os.path.join(kind_dir("rnacos"), "bin", "rnacos")


def fetch_cargo(kind, spec, logfile):
    cargo = shutil.which("cargo") or os.path.expanduser("~/.cargo/bin/cargo")
    if not os.access(cargo, os.X_OK):
        raise Failure("no cargo on PATH (rustup or apt-get install cargo)")
    name, version = spec["crate"]
    binary = rnacos_bin()
    stamp = read_json(os.path.join(kind_dir(kind), "fetched.json")) or {}
    if os.access(binary, os.X_OK) and stamp.get("version") == version:
        log("rnacos %s already built at %s" % (version, binary))
        return
    cmd = [cargo, "install", name, "--version", version, "--locked", "--root", kind_dir(kind)]
    env = dict(os.environ, CARGO_TERM_COLOR="never", CARGO_TARGET_DIR=os.path.join(CACHE, "cargo-target"))
    for attempt in range(1, ATTEMPTS + 1):
        log("cargo install %s %s (attempt %d/%d; slow: many minutes on 2 cores; log %s)"
            % (name, version, attempt, ATTEMPTS, logfile))
        rc, secs = run_logged(cmd + (["--force"] if attempt > 1 else []), logfile, BUILD_TIMEOUT, env=env)
        if rc == 0 and os.access(binary, os.X_OK):
            break
        if rc == 124:
            raise Failure("cargo install timed out after %ds:\n%s" % (BUILD_TIMEOUT, tail(logfile, 30)))
        time.sleep(5 * attempt)
    else:
        raise Failure("cargo install %s %s failed:\n%s" % (name, version, tail(logfile, 40)))
    crate = glob.glob(os.path.expanduser(os.path.join(os.environ.get("CARGO_HOME", "~/.cargo"),
                                                      "registry/cache/*/%s-%s.crate" % (name, version))))
    if crate and spec["crate_sha256"] != "PLACEHOLDER":
        got = sha256(crate[0])
        if got != spec["crate_sha256"]:
            raise Failure("rnacos crate SHA-256 MISMATCH: expected %s got %s (%s)" % (spec["crate_sha256"], got, crate[0]))
        log("sha256 ok  %s  %s" % (got, os.path.basename(crate[0])))
    shutil.rmtree(env["CARGO_TARGET_DIR"], ignore_errors=True)
    write(os.path.join(kind_dir(kind), "fetched.json"), json.dumps(
        {"kind": kind, "version": version, "build_seconds": round(secs, 1), "bytes": os.path.getsize(binary),
         "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%S")}, indent=1))
    log("rnacos %s built in %.0fs: %s" % (version, secs, binary))


def cmd_fetch(args):
    kind = args.kind
    spec = KINDS[kind]
    for d in (kind_dir(kind), os.path.join(CACHE, "logs")):
        if not os.path.isdir(d):
            os.makedirs(d)
    logfile = os.path.join(CACHE, "logs", "fetch-%s.log" % kind)
    t0 = time.time()
    if spec["type"] == "cargo":
        fetch_cargo(kind, spec, logfile)
    else:
        fetch_maven(kind, spec, logfile)
    log("fetch %s done in %.1fs (cache %s)" % (kind, time.time() - t0, CACHE))
    return 0


# --------------------------------------------------------------------------------------------- start
def state_file(kind):
    return os.path.join(RUN_ROOT, "%s.json" % kind)


def ports_needed(kind, port):
    if kind == "rnacos":
        return [port, port + 1000, port + 2000]
    if kind == "1.4":
        return [port, port - 1000]
    return [port, port + 1000, port + 1001, port - 1000]


def choose_port(kind, requested):
    if requested:
        busy = [p for p in ports_needed(kind, requested) if not port_free(p)]
        if busy:
            raise Failure("port(s) %s busy or invalid (%s on port P needs %s free)" % (
                busy, kind, ports_needed(kind, requested)))
        return requested
    base = KINDS[kind]["default_port"]
    for port in range(base, base + 200, 10):
        if all(port_free(p) for p in ports_needed(kind, port)):
            if port != base:
                log("default port %d is busy; using %d" % (base, port))
            return port
    raise Failure("no free port set near %d" % base)


def java_command(kind, spec, home, port, auth, token_ttl, compat, members=None, client_compat=True):
    """members: None = standalone (what `start` runs); a list of "127.0.0.1:P" = a cluster node (start-cluster)."""
    java, jver = find_java()
    jars = classpath(kind, spec)
    if spec["main"] == "CiNacosBootstrap":
        jars = [os.path.join(kind_dir(kind), "boot", "classes")] + jars
    opts = ["-Xms128m", "-Xmx512m", "-Xss512k", "-XX:MaxMetaspaceSize=256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8"]
    if members is None:
        opts.append("-Dnacos.standalone=true")
    else:
        # cluster node: members from cluster.conf (also given as nacos.member.list), embedded Derby over JRaft
        opts += ["-DembeddedStorage=true", "-Dnacos.member.list=" + ",".join(members)]
    opts += ["-Dnacos.home=" + home, "-Dnacos.server.ip=127.0.0.1",
             "-Dnacos.core.auth.enabled=%s" % ("true" if auth else "false"),
             "-Dnacos.core.auth.plugin.nacos.token.secret.key=" + SECRET_KEY,
             "-Dnacos.core.auth.default.token.secret.key=" + SECRET_KEY,
             "-Dnacos.core.auth.server.identity.key=" + IDENTITY_KEY,
             "-Dnacos.core.auth.server.identity.value=" + IDENTITY_VALUE,
             "-Dserver.address=127.0.0.1", "-Dserver.error.include-message=ALWAYS",
             "-Dserver.tomcat.basedir=" + os.path.join(home, "tomcat"), "-Dserver.tomcat.accesslog.enabled=false"]
    if jver >= 9:
        for mod in ("java.base/java.lang", "java.base/java.util", "java.base/java.lang.reflect",
                    "java.base/java.nio", "java.base/sun.nio.ch", "java.base/java.net"):
            opts.append("--add-opens=%s=ALL-UNNAMED" % mod)
    if token_ttl:
        opts += ["-Dnacos.core.auth.plugin.nacos.token.expire.seconds=%d" % token_ttl,
                 "-Dnacos.core.auth.default.token.expire.seconds=%d" % token_ttl]
    args = []
    if spec["line"] == "3":
        opts += ["-Dnacos.deployment.type=server", "-Dnacos.server.main.port=%d" % port,
                 "-Dnacos.server.contextPath=/nacos",
                 "-Dnacos.core.auth.admin.enabled=%s" % ("true" if auth else "false"),
                 "-Dnacos.core.auth.console.enabled=%s" % ("true" if auth else "false")]
        if compat:
            opts += ["-Dnacos.core.api.compatibility.admin.enabled=true",
                     "-Dnacos.core.api.compatibility.console.enabled=true"]
        if not client_compat:  # what a 3.2+ server without the legacy adapter serves: no v1 client API
            opts += ["-Dnacos.core.api.compatibility.client.enabled=false"]
    else:
        args += ["--server.port=%d" % port, "--server.servlet.contextPath=/nacos",
                 "--server.error.include-message=ALWAYS"]
    return [java] + opts + ["-cp", ":".join(jars), spec["main"]] + args


def rnacos_command(home, port, auth, token_ttl):
    env = {
        "RNACOS_HTTP_PORT": str(port), "RNACOS_GRPC_PORT": str(port + 1000),
        "RNACOS_HTTP_CONSOLE_PORT": str(port + 2000), "RNACOS_SDK_HOST": "127.0.0.1",
        "RNACOS_CONSOLE_HOST": "127.0.0.1", "RNACOS_RAFT_NODE_ADDR": "127.0.0.1:%d" % (port + 1000),
        "RNACOS_DATA_DIR": os.path.join(home, "data"), "RNACOS_ENABLE_OPEN_API_AUTH": "true" if auth else "false",
        "RNACOS_INIT_ADMIN_USERNAME": USERNAME, "RNACOS_INIT_ADMIN_PASSWORD": PASSWORD,
        "RNACOS_HTTP_WORKERS": "2", "RUST_LOG": os.environ.get("RUST_LOG", "info"),
    }
    if token_ttl:
        env["RNACOS_API_LOGIN_TIMEOUT"] = str(token_ttl)
    envfile = os.path.join(home, "rnacos.env")
    write(envfile, "".join("%s=%s\n" % kv for kv in sorted(env.items())))
    return [rnacos_bin(), "-e", envfile], env


def wait_ready(kind, spec, proc, port, deadline, logfile, auth=False):
    base = "http://127.0.0.1:%d/nacos" % port
    checks = ["/v1/ns/operator/metrics"]
    if kind == "3.x":  # 3.x with --no-v1 answers 410 to every v1 path: ask its own readiness API only
        checks = ["/v3/admin/core/state/readiness"]
    elif kind != "rnacos":
        checks.append("/v1/console/health/readiness")
    last = ""
    while time.time() < deadline:
        if proc.poll() is not None:
            raise Failure("%s exited with code %s during startup; log tail (%s):\n%s"
                          % (kind, proc.returncode, logfile, tail(logfile, 80)))
        ok = True
        for path in checks:
            status, body, _ = http("GET", base + path, timeout=3)
            if path.endswith("metrics"):
                # with auth on, r-nacos guards metrics too ("unknown user!"): a 403 means it is serving
                good = (status == 200 and '"UP"' in body.replace(" ", "")) or (auth and status == 403)
            else:
                good = status == 200 or status == 404  # 404: endpoint absent on this server
            if not good:
                ok, last = False, "%s -> %s %s" % (path, status, body[:200])
                break
        if ok:
            return
        time.sleep(0.5)
    raise Failure("%s did not become ready (last check: %s); log tail (%s):\n%s"
                  % (kind, last, logfile, tail(logfile, 80)))


def login(port, kind=None):
    path = "/v3/auth/user/login" if kind == "3.x" else "/v1/auth/users/login"
    return http("POST", "http://127.0.0.1:%d/nacos%s" % (port, path), data={"username": USERNAME, "password": PASSWORD})


def ensure_admin(kind, spec, port, deadline):
    """Make sure nacos/nacos can log in. 2.x with caching loads users ~5 s after start (before that a login
    answers 500 "caused: User nacos not found;"), so retry; on 2.4+/3.x create the admin once via the API."""
    base = "http://127.0.0.1:%d/nacos" % port
    created = spec.get("has_default_user", True)
    deadline = max(deadline, time.time() + 30)
    while True:
        status, body, _ = login(port, kind)
        if status == 200 and "accessToken" in body:
            return
        if not created:
            if kind == "3.x":
                s2, b2, _ = http("POST", base + "/v3/auth/user/admin", data={"password": PASSWORD})
            else:
                s2, b2, _ = http("POST", base + "/v1/auth/users/admin", params={"password": PASSWORD})
            log("create admin via API: %s %s" % (s2, b2[:200]))
            created = s2 in (200, 409) or created
        if time.time() > deadline:
            raise Failure("auth is on but login as %s/%s fails: %s %s" % (USERNAME, PASSWORD, status, body[:300]))
        time.sleep(1)


def cmd_start(args):
    kind = args.kind
    spec = KINDS[kind]
    old = read_json(state_file(kind))
    if old and pid_alive(old["pid"]):
        raise Failure("%s is already running (pid %d, port %d); run: scripts/real-nacos stop %s"
                      % (kind, old["pid"], old["port"], kind))
    if old:
        cleanup(kind, old)
    if spec["type"] == "cargo":
        if not os.access(rnacos_bin(), os.X_OK):
            raise Failure("rnacos is not built; run: scripts/real-nacos fetch rnacos")
    elif not os.path.exists(os.path.join(kind_dir(kind), "fetched.json")):
        raise Failure("%s is not fetched; run: scripts/real-nacos fetch %s" % (kind, kind))
    port = choose_port(kind, args.port)
    home = os.path.join(RUN_ROOT, "%s-%d" % (kind, port))
    shutil.rmtree(home, ignore_errors=True)
    for sub in ("logs", "conf", "data"):
        os.makedirs(os.path.join(home, sub))
    logfile = os.path.join(home, "logs", "stdout.log")
    env = dict(os.environ)
    if spec["type"] == "cargo":
        cmd, extra = rnacos_command(home, port, args.auth, args.token_ttl)
        env.update(extra)
    else:
        stamp = read_json(os.path.join(kind_dir(kind), "fetched.json")) or {}
        spec = dict(spec, coords=tuple(stamp.get("coords", ":".join(spec["coords"] or ())).split(":")))
        cmd = java_command(kind, spec, home, port, args.auth, args.token_ttl, args.compat,
                           client_compat=not args.no_v1)
        if os.path.exists(shim_path()):
            env["LD_PRELOAD"] = shim_path()
        else:
            log("WARNING: no loopback shim at %s: gRPC/JRaft ports will bind to 0.0.0.0" % shim_path())
    write(os.path.join(home, "command.txt"), " ".join(cmd) + "\n")
    log("starting %s on 127.0.0.1:%d (auth %s), home %s" % (kind, port, "on" if args.auth else "off", home))
    t0 = time.time()
    with open(logfile, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=home,
                                env=env, start_new_session=True)
    state = {"kind": kind, "pid": proc.pid, "port": port, "home": home, "log": logfile, "auth": bool(args.auth),
             "token_ttl": args.token_ttl, "started_at": t0}
    write(state_file(kind), json.dumps(state, indent=1))
    write(os.path.join(RUN_ROOT, "%s.pid" % kind), "%d\n" % proc.pid)
    try:
        wait_ready(kind, spec, proc, port, t0 + args.timeout, logfile, auth=args.auth)
        if args.auth:
            ensure_admin(kind, spec, port, t0 + args.timeout)
    except BaseException:
        kill_group(proc.pid, grace=10)
        cleanup(kind, state, keep_log=True)
        raise
    secs = time.time() - t0
    state["ready_seconds"] = round(secs, 1)
    write(state_file(kind), json.dumps(state, indent=1))
    log("%s ready in %.1fs (pid %d, RSS %s MiB)" % (kind, secs, proc.pid, (rss_kib(proc.pid) or 0) // 1024))
    if args.auth:
        print("NACOS_USERNAME=%s" % USERNAME)
        print("NACOS_PASSWORD=%s" % PASSWORD)
    print("NACOS_SERVER_ADDR=127.0.0.1:%d" % port)
    sys.stdout.flush()
    return 0


# --------------------------------------------------------------------------------------------- cluster
# `start-cluster 2.x` runs three nodes of the cached build as one cluster on 127.0.0.1: HTTP ports P, P+10, P+20
# (each node also binds +1000, +1001 and -1000, so the spacing of 10 keeps them apart), its own nacos.home
# with conf/cluster.conf, no nacos.standalone, embedded Derby replicated through JRaft (-DembeddedStorage=true).
CLUSTER_KINDS = ("2.x",)
CLUSTER_SIZE = 3
CLUSTER_PORT_STEP = 10
CLUSTER_DEFAULT_PORT = 8848


def cluster_state_file(kind):
    return os.path.join(RUN_ROOT, "cluster-%s.json" % kind)


def cluster_ports(base):
    return [base + CLUSTER_PORT_STEP * i for i in range(CLUSTER_SIZE)]


def choose_cluster_port(kind, requested):
    def busy(base):
        return [p for port in cluster_ports(base) for p in ports_needed(kind, port) if not port_free(p)]
    if requested:
        b = busy(requested)
        if b:
            raise Failure("port(s) %s busy or invalid (a %d-node %s cluster on base port %d needs %s free)" % (
                b, CLUSTER_SIZE, kind, requested,
                sorted(p for port in cluster_ports(requested) for p in ports_needed(kind, port))))
        return requested
    for base in range(CLUSTER_DEFAULT_PORT, CLUSTER_DEFAULT_PORT + 1000, 100):
        if not busy(base):
            if base != CLUSTER_DEFAULT_PORT:
                log("default base port %d is busy; using %d" % (CLUSTER_DEFAULT_PORT, base))
            return base
    raise Failure("no free port set for a cluster near %d" % CLUSTER_DEFAULT_PORT)


def save_cluster(state):
    write(cluster_state_file(state["kind"]), json.dumps(state, indent=1))
    for node in state["nodes"]:
        pidfile = os.path.join(RUN_ROOT, "cluster-%s-node%d.pid" % (state["kind"], node["n"]))
        if node.get("pid"):
            write(pidfile, "%d\n" % node["pid"])
        elif os.path.exists(pidfile):
            os.remove(pidfile)


def load_cluster(kind="2.x"):
    state = read_json(cluster_state_file(kind))
    if not state:
        raise Failure("no %s cluster is running; run: scripts/real-nacos start-cluster %s" % (kind, kind))
    return state


def launch_node(state, node, wipe):
    kind = state["kind"]
    spec = KINDS[kind]
    stamp = read_json(os.path.join(kind_dir(kind), "fetched.json")) or {}
    spec = dict(spec, coords=tuple(stamp.get("coords", ":".join(spec["coords"] or ())).split(":")))
    home = node["home"]
    if wipe:
        shutil.rmtree(home, ignore_errors=True)
    for sub in ("logs", "conf", "data"):
        if not os.path.isdir(os.path.join(home, sub)):
            os.makedirs(os.path.join(home, sub))
    write(os.path.join(home, "conf", "cluster.conf"), "".join(m + "\n" for m in state["members"]))
    cmd = java_command(kind, spec, home, node["port"], False, 0, False, members=state["members"])
    # the server's own logs (naming-server.log, config-*.log, alipay-jraft.log, nacos-cluster.log, ...) default to
    # ~/nacos/logs, shared by all nodes: give each node its own <home>/logs, for post-mortems of kills and restarts
    cmd.insert(1, "-Dnacos.logs.path=" + os.path.join(home, "logs"))
    env = dict(os.environ)
    if os.path.exists(shim_path()):
        env["LD_PRELOAD"] = shim_path()
    else:
        log("WARNING: no loopback shim at %s: gRPC/JRaft ports will bind to 0.0.0.0" % shim_path())
    write(os.path.join(home, "command.txt"), " ".join(cmd) + "\n")
    with open(node["log"], "ab") as out:
        out.write(("\n==== real-nacos: node %d starting at %s\n" % (node["n"], time.strftime("%H:%M:%S"))).encode())
        out.flush()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=home,
                                env=env, start_new_session=True)
    node.update(pid=proc.pid, started_at=time.time(), state="starting")
    node.pop("killed_at", None)
    return proc, spec


def cluster_view(port):
    """(members {address: state}, raft leaders {group: leader}) as node `port` sees them; None if it cannot say."""
    status, body, _ = http("GET", "http://127.0.0.1:%d/nacos/v1/core/cluster/nodes" % port, timeout=3)
    if status != 200:
        return None
    try:
        data = json.loads(body)["data"]
    except (ValueError, KeyError, TypeError):
        return None
    members, leaders, terms = {}, {}, {}
    for m in data:
        members[m.get("address") or "%s:%s" % (m.get("ip"), m.get("port"))] = m.get("state")
        meta = ((m.get("extendInfo") or {}).get("raftMetaData") or {}).get("metaDataMap") or {}
        for group, info in meta.items():
            # every member reports its own view; a dead member's stays stale, so the highest term wins
            if (info or {}).get("leader") and (info.get("term") or 0) >= terms.get(group, -1):
                leaders[group], terms[group] = info["leader"], info.get("term") or 0
    return members, leaders


def wait_cluster(state, procs, deadline, nodes=None):
    """Wait until the given nodes (default all) answer UP + readiness, every live node sees every member UP, the
    JRaft groups have a leader, and a config published on one node is readable on all of them."""
    kind = state["kind"]
    nodes = nodes or state["nodes"]
    for node in nodes:
        proc, spec = procs[node["n"]]
        wait_ready(kind, spec, proc, node["port"], deadline, node["log"])
        log("node %d (127.0.0.1:%d) answers UP after %.1fs" % (node["n"], node["port"], time.time() - node["started_at"]))
    last = ""
    while True:
        for n, (proc, _) in procs.items():
            if proc.poll() is not None:
                node = state["nodes"][n - 1]
                raise Failure("node %d exited with code %s; log tail (%s):\n%s"
                              % (n, proc.returncode, node["log"], tail(node["log"], 80)))
        views = {node["n"]: cluster_view(node["port"]) for node in state["nodes"]}
        ok = all(v is not None and len(v[0]) == CLUSTER_SIZE and all(s == "UP" for s in v[0].values())
                 and v[1].get("nacos_config") for v in views.values())
        if ok:
            break
        last = "; ".join("node %d: %s" % (n, "no answer" if v is None else "members %s leaders %s" % v)
                         for n, v in sorted(views.items()))
        if time.time() > deadline:
            raise Failure("the cluster did not form (last view: %s); node 1 log tail:\n%s"
                          % (last, tail(state["nodes"][0]["log"], 40)))
        time.sleep(1)
    leaders = views[nodes[0]["n"]][1]
    # a write through JRaft on one node must become readable on every node
    data_id = "real-nacos-cluster-probe"
    content = "probe-%d" % int(time.time() * 1000)
    writer = nodes[0]["port"]
    while True:
        status, body, _ = http("POST", "http://127.0.0.1:%d/nacos/v1/cs/configs" % writer,
                               data={"dataId": data_id, "group": "DEFAULT_GROUP", "content": content}, timeout=10)
        if status == 200 and body.strip() == "true":
            break
        if time.time() > deadline:
            raise Failure("publishing a probe config on 127.0.0.1:%d failed: %s %s" % (writer, status, body[:300]))
        time.sleep(1)
    for node in state["nodes"]:
        while True:
            status, body, _ = http("GET", "http://127.0.0.1:%d/nacos/v1/cs/configs" % node["port"],
                                   params={"dataId": data_id, "group": "DEFAULT_GROUP"})
            if status == 200 and body == content:
                break
            if time.time() > deadline:
                raise Failure("the probe config published on 127.0.0.1:%d is not readable on 127.0.0.1:%d: %s %s"
                              % (writer, node["port"], status, body[:200]))
            time.sleep(0.5)
    http("DELETE", "http://127.0.0.1:%d/nacos/v1/cs/configs" % writer,
         params={"dataId": data_id, "group": "DEFAULT_GROUP"}, timeout=10)
    return leaders


def cmd_start_cluster(args):
    kind = args.kind
    if kind not in CLUSTER_KINDS:
        raise Failure("start-cluster supports %s only" % ", ".join(CLUSTER_KINDS))
    old = read_json(cluster_state_file(kind))
    if old and any(n.get("pid") and pid_alive(n["pid"]) for n in old["nodes"]):
        raise Failure("a %s cluster is already running (%s); run: scripts/real-nacos stop cluster" % (kind, old["addrs"]))
    if old:
        stop_cluster(quiet=True)
    if not os.path.exists(os.path.join(kind_dir(kind), "fetched.json")):
        raise Failure("%s is not fetched; run: scripts/real-nacos fetch %s" % (kind, kind))
    base = choose_cluster_port(kind, args.base_port)
    members = ["127.0.0.1:%d" % p for p in cluster_ports(base)]
    nodes = []
    for i, port in enumerate(cluster_ports(base)):
        home = os.path.join(RUN_ROOT, "cluster-%s-%d" % (kind, port))
        nodes.append({"n": i + 1, "port": port, "home": home, "log": os.path.join(home, "logs", "stdout.log")})
    state = {"kind": kind, "base_port": base, "members": members, "addrs": ",".join(members), "nodes": nodes}
    t0 = time.time()
    procs = {}
    try:
        for node in nodes:
            procs[node["n"]] = launch_node(state, node, wipe=True)
        state["started_at"] = t0
        save_cluster(state)
        log("starting a %d-node %s cluster: %s (homes %s/cluster-%s-*)" % (CLUSTER_SIZE, kind, state["addrs"],
                                                                          RUN_ROOT, kind))
        leaders = wait_cluster(state, procs, t0 + args.timeout)
    except BaseException:
        for proc, _ in procs.values():
            kill_group(proc.pid, grace=10)
        stop_cluster(quiet=True)
        raise
    secs = time.time() - t0
    for node in nodes:
        node["state"] = "running"
    state["ready_seconds"] = round(secs, 1)
    state["leaders"] = leaders
    save_cluster(state)
    rss = [(rss_kib(n["pid"]) or 0) // 1024 for n in nodes]
    log("cluster ready in %.1fs (pids %s, RSS %s MiB, raft leaders %s)"
        % (secs, ",".join(str(n["pid"]) for n in nodes), "/".join(map(str, rss)), leaders))
    print("NACOS_CLUSTER_ADDRS=%s" % state["addrs"])
    sys.stdout.flush()
    return 0


def node_of(state, n):
    for node in state["nodes"]:
        if node["n"] == n or node["port"] == n:  # node number 1..3, or its HTTP port
            return node
    raise Failure("no node %s in the cluster (nodes 1..%d, ports %s)" % (n, CLUSTER_SIZE, state["addrs"]))


def cmd_kill_node(args):
    state = load_cluster(args.kind)
    node = node_of(state, args.node)
    pid = node.get("pid")
    if not pid or not (pid_alive(pid) or group_alive(pid)):
        raise Failure("node %d (127.0.0.1:%d) is not running" % (node["n"], node["port"]))
    t0 = time.time()
    if args.term:
        ok = kill_group(pid, grace=30)
    else:  # a crash: SIGKILL, no shutdown hooks
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        deadline = time.time() + 10
        while time.time() < deadline and group_alive(pid):
            time.sleep(0.1)
        ok = not group_alive(pid)
    node.update(pid=None, state="killed", killed_at=time.time(), killed_pid=pid)
    save_cluster(state)
    log("killed node %d (127.0.0.1:%d, pid %d) with %s in %.1fs%s" % (
        node["n"], node["port"], pid, "SIGTERM" if args.term else "SIGKILL", time.time() - t0,
        "" if ok else " -- WARNING: still alive"))
    print("NACOS_KILLED_ADDR=127.0.0.1:%d" % node["port"])
    return 0 if ok else 1


def cmd_restart_node(args):
    state = load_cluster(args.kind)
    node = node_of(state, args.node)
    if node.get("pid") and pid_alive(node["pid"]):
        raise Failure("node %d (127.0.0.1:%d) is still running (pid %d); run: scripts/real-nacos kill-node %d"
                      % (node["n"], node["port"], node["pid"], node["n"]))
    busy = [p for p in ports_needed(state["kind"], node["port"]) if not port_free(p)]
    deadline = time.time() + 30
    while busy and time.time() < deadline:  # a killed JVM's sockets can linger for a moment
        time.sleep(0.5)
        busy = [p for p in ports_needed(state["kind"], node["port"]) if not port_free(p)]
    if busy:
        raise Failure("port(s) %s of node %d are busy" % (busy, node["n"]))
    t0 = time.time()
    procs = {node["n"]: launch_node(state, node, wipe=args.wipe)}
    save_cluster(state)
    log("restarting node %d on 127.0.0.1:%d (%s)" % (node["n"], node["port"], "fresh data" if args.wipe else "data kept"))
    try:
        wait_cluster(state, procs, t0 + args.timeout, nodes=[node])
    except BaseException:
        kill_group(node["pid"], grace=10)
        node.update(pid=None, state="failed")
        save_cluster(state)
        raise
    node["state"] = "running"
    node["ready_seconds"] = round(time.time() - t0, 1)
    save_cluster(state)
    log("node %d back in the cluster in %.1fs (pid %d, RSS %s MiB)" % (
        node["n"], time.time() - t0, node["pid"], (rss_kib(node["pid"]) or 0) // 1024))
    print("NACOS_CLUSTER_ADDRS=%s" % state["addrs"])
    return 0


def stop_cluster(quiet):
    rc = 0
    for kind in CLUSTER_KINDS:
        state = read_json(cluster_state_file(kind))
        if not state:
            if not quiet:
                log("no %s cluster is running" % kind)
            continue
        logs = os.path.join(CACHE, "logs")
        if not os.path.isdir(logs):
            os.makedirs(logs)
        for node in state["nodes"]:
            pid = node.get("pid")
            if pid and (pid_alive(pid) or group_alive(pid)):
                ok = kill_group(pid)
                log("stopped %s cluster node %d (pid %d)%s" % (kind, node["n"], pid,
                                                              "" if ok else " -- WARNING: still alive after SIGKILL"))
                rc |= 0 if ok else 1
            if os.path.exists(node["log"]):
                shutil.copyfile(node["log"], os.path.join(logs, "cluster-%s-node%d-last-stdout.log" % (kind, node["n"])))
            home = node["home"]
            if os.path.basename(home).startswith("cluster-%s-" % kind) and os.path.dirname(home) == RUN_ROOT:
                shutil.rmtree(home, ignore_errors=True)
            pidfile = os.path.join(RUN_ROOT, "cluster-%s-node%d.pid" % (kind, node["n"]))
            if os.path.exists(pidfile):
                os.remove(pidfile)
        os.remove(cluster_state_file(kind))
    return rc


def cluster_status_rows():
    rows = []
    for kind in CLUSTER_KINDS:
        state = read_json(cluster_state_file(kind))
        if not state:
            continue
        fetched = read_json(os.path.join(kind_dir(kind), "fetched.json")) or {}
        for node in state["nodes"]:
            pid = node.get("pid")
            alive = bool(pid) and pid_alive(pid)
            rss = rss_kib(pid) if alive else None
            rows.append(("%s-cluster/%d" % (kind, node["n"]), "running" if alive else node.get("state", "DEAD"),
                         str(pid or node.get("killed_pid") or "-"), "127.0.0.1:%d" % node["port"],
                         "%d MiB" % (rss // 1024) if rss else "-",
                         "%ds" % (time.time() - node["started_at"]) if alive else "-", fetched.get("coords", "-")))
    return rows


def add_cluster_parsers(sub):
    timeout = float(os.environ.get("NACOS_START_TIMEOUT", "300"))
    c = sub.add_parser("start-cluster", help="start a %d-node cluster (fresh data) and wait until it has a leader"
                       % CLUSTER_SIZE)
    c.add_argument("kind", nargs="?", default="2.x", choices=list(CLUSTER_KINDS))
    c.add_argument("--base-port", type=int, default=0,
                   help="HTTP port of node 1; nodes use P, P+10, P+20 (each also P+1000, P+1001, P-1000)")
    c.add_argument("--timeout", type=float, default=timeout)
    k = sub.add_parser("kill-node", help="kill cluster node N (1..%d or its port): SIGKILL, or SIGTERM with --term"
                       % CLUSTER_SIZE)
    k.add_argument("node", type=int)
    k.add_argument("--term", action="store_true", help="graceful stop (SIGTERM, SIGKILL after 30 s)")
    k.add_argument("--kind", default="2.x", choices=list(CLUSTER_KINDS))
    r = sub.add_parser("restart-node", help="start a killed cluster node again (its data kept) and wait until it is back")
    r.add_argument("node", type=int)
    r.add_argument("--wipe", action="store_true", help="start the node with an empty data dir")
    r.add_argument("--timeout", type=float, default=timeout)
    r.add_argument("--kind", default="2.x", choices=list(CLUSTER_KINDS))


# --------------------------------------------------------------------------------------------- stop/status
def cleanup(kind, state, keep_log=True):
    home = state.get("home")
    if keep_log and state.get("log") and os.path.exists(state["log"]):
        logs = os.path.join(CACHE, "logs")
        if not os.path.isdir(logs):
            os.makedirs(logs)
        shutil.copyfile(state["log"], os.path.join(logs, "%s-last-stdout.log" % kind))
    if home and os.path.basename(home).startswith(kind + "-") and os.path.dirname(home) == RUN_ROOT:
        shutil.rmtree(home, ignore_errors=True)
    for p in (state_file(kind), os.path.join(RUN_ROOT, "%s.pid" % kind)):
        if os.path.exists(p):
            os.remove(p)


def cmd_stop(args):
    if args.kind == "cluster":
        return stop_cluster(quiet=False)
    kinds = sorted(KINDS) if args.kind == "all" else [args.kind]
    rc = stop_cluster(quiet=True) if args.kind == "all" else 0
    for kind in kinds:
        state = read_json(state_file(kind))
        if not state:
            if args.kind != "all":
                log("%s is not running" % kind)
            continue
        pid = state["pid"]
        if pid_alive(pid) or group_alive(pid):
            ok = kill_group(pid)
            log("stopped %s (pid %d)%s" % (kind, pid, "" if ok else " -- WARNING: still alive after SIGKILL"))
            rc |= 0 if ok else 1
        else:
            log("%s (pid %d) was not running any more" % (kind, pid))
        cleanup(kind, state)
    return rc


def cmd_status(args):
    rows = []
    for kind in sorted(KINDS):
        state = read_json(state_file(kind))
        fetched = read_json(os.path.join(kind_dir(kind), "fetched.json"))
        what = (fetched or {}).get("coords") or ("rnacos " + fetched["version"] if fetched and "version" in fetched else "-")
        if not state:
            rows.append((kind, "stopped", "-", "-", "-", "-", what))
            continue
        alive = pid_alive(state["pid"])
        rss = rss_kib(state["pid"]) if alive else None
        up = "%ds" % (time.time() - state["started_at"]) if alive else "-"
        rows.append((kind, "running" if alive else "DEAD", str(state["pid"]), "127.0.0.1:%d" % state["port"],
                     "%d MiB" % (rss // 1024) if rss else "-", ("auth " if state.get("auth") else "") + up, what))
    rows += cluster_status_rows()
    head = ("kind", "state", "pid", "address", "rss", "uptime", "fetched")
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    return 0


def cmd_log(args):
    state = read_json(state_file(args.kind))
    path = state["log"] if state else os.path.join(CACHE, "logs", "%s-last-stdout.log" % args.kind)
    print(tail(path, args.lines))
    return 0


def main(argv=None):
    kinds = sorted(KINDS)
    p = argparse.ArgumentParser(prog="real-nacos", description="Fetch/start/stop real Nacos servers on 127.0.0.1.")
    sub = p.add_subparsers(dest="cmd")
    f = sub.add_parser("fetch", help="download/build a server into the cache")
    f.add_argument("kind", nargs="?", default="2.x", choices=kinds)
    s = sub.add_parser("start", help="start a server with a fresh data dir and wait until it answers")
    s.add_argument("kind", nargs="?", default="2.x", choices=kinds)
    s.add_argument("--port", type=int, default=0, help="HTTP port P (2.x/3.x also use P+1000, P+1001, P-1000)")
    s.add_argument("--auth", action="store_true", help="enable auth with user nacos/nacos")
    s.add_argument("--token-ttl", type=int, default=0, help="token lifetime in seconds (with --auth)")
    s.add_argument("--timeout", type=float, default=float(os.environ.get("NACOS_START_TIMEOUT", "180")))
    s.add_argument("--compat", action="store_true", help="3.x: enable the v1 admin/console compatibility APIs")
    s.add_argument("--no-v1", action="store_true",
                   help="3.x: turn the v1 client APIs off (nacos.core.api.compatibility.client.enabled=false), "
                        "as a 3.2+ server without the legacy adapter")
    t = sub.add_parser("stop", help="stop a server (kind or all) and delete its data dir")
    t.add_argument("kind", choices=kinds + ["all", "cluster"])
    sub.add_parser("status", help="show what is running")
    add_cluster_parsers(sub)
    lg = sub.add_parser("log", help="print the tail of a server's stdout log")
    lg.add_argument("kind", choices=kinds)
    lg.add_argument("lines", nargs="?", type=int, default=60)
    args = p.parse_args(argv)
    handlers = {"fetch": cmd_fetch, "start": cmd_start, "stop": cmd_stop, "status": cmd_status, "log": cmd_log,
                "start-cluster": cmd_start_cluster, "kill-node": cmd_kill_node, "restart-node": cmd_restart_node}
    if not args.cmd:
        p.print_help(sys.stderr)
        return 2
    try:
        return handlers[args.cmd](args)
    except Failure as e:
        log("ERROR: %s" % e)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
