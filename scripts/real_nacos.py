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


def java_command(kind, spec, home, port, auth, token_ttl, compat):
    java, jver = find_java()
    jars = classpath(kind, spec)
    if spec["main"] == "CiNacosBootstrap":
        jars = [os.path.join(kind_dir(kind), "boot", "classes")] + jars
    opts = ["-Xms128m", "-Xmx512m", "-Xss512k", "-XX:MaxMetaspaceSize=256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
            "-Dnacos.standalone=true", "-Dnacos.home=" + home, "-Dnacos.server.ip=127.0.0.1",
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
    if kind == "3.x":
        checks.append("/v3/admin/core/state/readiness")
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


def login(port):
    return http("POST", "http://127.0.0.1:%d/nacos/v1/auth/users/login" % port,
                data={"username": USERNAME, "password": PASSWORD})


def ensure_admin(kind, spec, port, deadline):
    """Make sure nacos/nacos can log in. 2.x with caching loads users ~5 s after start (before that a login
    answers 500 "caused: User nacos not found;"), so retry; on 2.4+/3.x create the admin once via the API."""
    base = "http://127.0.0.1:%d/nacos" % port
    created = spec.get("has_default_user", True)
    deadline = max(deadline, time.time() + 30)
    while True:
        status, body, _ = login(port)
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
        cmd = java_command(kind, spec, home, port, args.auth, args.token_ttl, args.compat)
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
    kinds = sorted(KINDS) if args.kind == "all" else [args.kind]
    rc = 0
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
    t = sub.add_parser("stop", help="stop a server (kind or all) and delete its data dir")
    t.add_argument("kind", choices=kinds + ["all"])
    sub.add_parser("status", help="show what is running")
    lg = sub.add_parser("log", help="print the tail of a server's stdout log")
    lg.add_argument("kind", choices=kinds)
    lg.add_argument("lines", nargs="?", type=int, default=60)
    args = p.parse_args(argv)
    handlers = {"fetch": cmd_fetch, "start": cmd_start, "stop": cmd_stop, "status": cmd_status, "log": cmd_log}
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
