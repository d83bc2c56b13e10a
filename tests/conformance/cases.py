# -*- coding: utf-8 -*-
"""The recorded request set: every endpoint the SDK uses, with good and bad inputs, auth off and on.

A case is a dict: ``name``, ``method``, ``path`` (below the context path), ``params`` (query), ``form`` (body),
``headers``, ``token`` (``True``: send the token of the last login as ``accessToken``; a string: send it
literally), ``write`` (the request changes state: a real server needs a moment before reads see it).
Names are fixed (a dedicated namespace and service), so bodies can be compared; the runner cleans up first.

Run against a server with :func:`run_cases` in ``replay.py``.
"""
from __future__ import absolute_import

NS = "conformance-ns"
GROUP = "CONF_GROUP"
SVC = "conf-svc"
GSVC = GROUP + "@@" + SVC
IP = "10.9.9.1"
MD5_HELLO = "5d41402abc4b2a76b9719d911017c592"

CFG = {"dataId": "conf.txt", "group": GROUP, "tenant": NS}
CFG_JSON = {"dataId": "conf.json", "group": GROUP, "tenant": NS}
INST = {"serviceName": GSVC, "groupName": GROUP, "namespaceId": NS, "ip": IP, "port": "8080"}


def _merge(*dicts, **extra):
    out = {}
    for d in dicts:
        out.update(d)
    out.update(extra)
    return out


def _probe(md5, tenant=NS, data_id="conf.txt"):
    return "%s\x02%s\x02%s\x02%s\x01" % (data_id, GROUP, md5, tenant)


NO_HANGUP = {"Long-Pulling-Timeout": "30000", "Long-Pulling-Timeout-No-Hangup": "true"}

# Clean-up requests sent before the cases (their answers are not compared).
CLEANUP = [
    dict(method="DELETE", path="/v1/cs/configs", params=CFG),
    dict(method="DELETE", path="/v1/cs/configs", params=CFG_JSON),
    dict(method="DELETE", path="/v1/ns/instance", params=INST),
    dict(method="DELETE", path="/v1/ns/instance", params=_merge(INST, ip="10.9.9.2")),
]

CASES_NOAUTH = [
    # ---------------------------------------------------------------- config
    dict(name="config-get-missing", method="GET", path="/v1/cs/configs", params=CFG),
    dict(name="config-publish", method="POST", path="/v1/cs/configs", form=_merge(CFG, content="hello"), write=True),
    dict(name="config-get", method="GET", path="/v1/cs/configs", params=CFG),
    dict(name="config-get-public-tenant", method="GET", path="/v1/cs/configs",
         params={"dataId": "conf.txt", "group": GROUP, "tenant": "public"}),
    dict(name="config-publish-json", method="POST", path="/v1/cs/configs",
         form=_merge(CFG_JSON, content='{"a":1}', type="json"), write=True),
    dict(name="config-get-json", method="GET", path="/v1/cs/configs", params=CFG_JSON),
    dict(name="config-publish-cas-mismatch", method="POST", path="/v1/cs/configs",
         form=_merge(CFG, content="other"), headers={"casMd5": "0" * 32}),
    dict(name="config-publish-cas-match", method="POST", path="/v1/cs/configs",
         form=_merge(CFG, content="hello"), headers={"casMd5": MD5_HELLO}, write=True),
    dict(name="config-search-accurate", method="GET", path="/v1/cs/configs",
         params={"dataId": "", "group": GROUP, "tenant": NS, "search": "accurate", "pageNo": "1",
                 "pageSize": "10"}),
    dict(name="config-get-bad-dataid", method="GET", path="/v1/cs/configs", params=_merge(CFG, dataId="a b")),
    dict(name="config-publish-bad-dataid", method="POST", path="/v1/cs/configs",
         form=_merge(CFG, dataId="a$b", content="x")),
    dict(name="config-publish-missing-content", method="POST", path="/v1/cs/configs", form=CFG),
    dict(name="config-publish-missing-dataid", method="POST", path="/v1/cs/configs",
         form={"group": GROUP, "tenant": NS, "content": "x"}),
    dict(name="config-publish-blank-content", method="POST", path="/v1/cs/configs", form=_merge(CFG, content="  ")),
    dict(name="config-get-bad-tenant", method="GET", path="/v1/cs/configs", params=_merge(CFG, tenant="a b")),
    # ---------------------------------------------------------------- listener
    dict(name="listener-current-no-hangup", method="POST", path="/v1/cs/configs/listener",
         params={"tenant": NS}, form={"Listening-Configs": _probe(MD5_HELLO)}, headers=NO_HANGUP),
    dict(name="listener-stale", method="POST", path="/v1/cs/configs/listener", params={"tenant": NS},
         form={"Listening-Configs": _probe("0" * 32)}, headers={"Long-Pulling-Timeout": "30000"}),
    dict(name="listener-empty-md5", method="POST", path="/v1/cs/configs/listener", params={"tenant": NS},
         form={"Listening-Configs": _probe("")}, headers={"Long-Pulling-Timeout": "30000"}),
    dict(name="listener-missing-config-no-hangup", method="POST", path="/v1/cs/configs/listener",
         params={"tenant": NS}, form={"Listening-Configs": _probe("", data_id="absent.txt")}, headers=NO_HANGUP),
    dict(name="listener-no-timeout-header", method="POST", path="/v1/cs/configs/listener", params={"tenant": NS},
         form={"Listening-Configs": _probe("0" * 32)}, headers={"Client-Version": "2.3.2"}),
    dict(name="listener-malformed", method="POST", path="/v1/cs/configs/listener",
         form={"Listening-Configs": "bad"}, headers={"Long-Pulling-Timeout": "30000"}),
    dict(name="config-delete", method="DELETE", path="/v1/cs/configs", params=CFG, write=True),
    dict(name="config-get-deleted", method="GET", path="/v1/cs/configs", params=CFG),
    dict(name="config-delete-missing", method="DELETE", path="/v1/cs/configs", params=CFG),
    # ---------------------------------------------------------------- naming
    dict(name="instance-register", method="POST", path="/v1/ns/instance",
         params=_merge(INST, clusterName="DEFAULT", weight="1.0", metadata='{"k":"v"}', ephemeral="true"),
         write=True),
    dict(name="instance-list", method="GET", path="/v1/ns/instance/list",
         params={"serviceName": GSVC, "groupName": GROUP, "namespaceId": NS, "clusters": "",
                 "healthyOnly": "false"}),
    dict(name="instance-list-cluster", method="GET", path="/v1/ns/instance/list",
         params={"serviceName": GSVC, "groupName": GROUP, "namespaceId": NS, "clusters": "DEFAULT"}),
    dict(name="instance-list-unknown-service", method="GET", path="/v1/ns/instance/list",
         params={"serviceName": GROUP + "@@no-such-svc", "groupName": GROUP, "namespaceId": NS}),
    dict(name="instance-list-missing-service", method="GET", path="/v1/ns/instance/list",
         params={"namespaceId": NS}),
    dict(name="instance-get", method="GET", path="/v1/ns/instance",
         params=_merge(INST, clusterName="DEFAULT", cluster="DEFAULT")),
    dict(name="instance-get-unknown-ip", method="GET", path="/v1/ns/instance",
         params=_merge(INST, ip="10.9.9.9")),
    dict(name="instance-get-unknown-service", method="GET", path="/v1/ns/instance",
         params=_merge(INST, serviceName=GROUP + "@@no-such-svc")),
    dict(name="instance-modify", method="PUT", path="/v1/ns/instance",
         params=_merge(INST, clusterName="DEFAULT", weight="3.0", metadata='{"k":"w"}', ephemeral="true",
                       enabled="true"), write=True),
    dict(name="instance-list-after-modify", method="GET", path="/v1/ns/instance/list",
         params={"serviceName": GSVC, "groupName": GROUP, "namespaceId": NS}),
    dict(name="instance-modify-unknown-service", method="PUT", path="/v1/ns/instance",
         params=_merge(INST, serviceName=GROUP + "@@no-such-svc", weight="2.0")),
    dict(name="beat-with-body", method="PUT", path="/v1/ns/instance/beat",
         params=_merge(INST, clusterName="DEFAULT"),
         form={"beat": '{"cluster":"DEFAULT","ip":"%s","metadata":{"k":"w"},"period":5000,"port":8080,'
                       '"scheduled":false,"serviceName":"%s","stopped":false,"weight":3.0}' % (IP, GSVC)}),
    dict(name="beat-light", method="PUT", path="/v1/ns/instance/beat", params=_merge(INST, clusterName="DEFAULT")),
    dict(name="beat-unknown-light", method="PUT", path="/v1/ns/instance/beat",
         params=_merge(INST, ip="10.9.9.2", clusterName="DEFAULT")),
    dict(name="register-missing-ip", method="POST", path="/v1/ns/instance",
         params={"serviceName": GSVC, "namespaceId": NS, "port": "8080"}),
    dict(name="register-bad-cluster-underscore", method="POST", path="/v1/ns/instance",
         params=_merge(INST, clusterName="bad_name")),
    dict(name="register-bad-cluster-space", method="POST", path="/v1/ns/instance",
         params=_merge(INST, clusterName="bad name")),
    dict(name="register-bad-weight", method="POST", path="/v1/ns/instance", params=_merge(INST, weight="20000")),
    dict(name="register-bad-metadata", method="POST", path="/v1/ns/instance", params=_merge(INST, metadata="notjson")),
    dict(name="service-list", method="GET", path="/v1/ns/service/list",
         params={"pageNo": "1", "pageSize": "10", "groupName": GROUP, "namespaceId": NS}),
    dict(name="instance-deregister", method="DELETE", path="/v1/ns/instance",
         params=_merge(INST, clusterName="DEFAULT", ephemeral="true"), write=True),
    dict(name="instance-list-after-deregister", method="GET", path="/v1/ns/instance/list",
         params={"serviceName": GSVC, "groupName": GROUP, "namespaceId": NS}),
    dict(name="instance-deregister-unknown", method="DELETE", path="/v1/ns/instance",
         params=_merge(INST, ip="10.9.9.3")),
    dict(name="metrics", method="GET", path="/v1/ns/operator/metrics"),
]

CASES_AUTH = [
    dict(name="auth-login", method="POST", path="/v1/auth/login", form={"username": "nacos", "password": "nacos"},
         login=True),
    dict(name="auth-login-users-path", method="POST", path="/v1/auth/users/login",
         params={"username": "nacos"}, form={"password": "nacos"}),
    dict(name="auth-login-wrong-password", method="POST", path="/v1/auth/login",
         form={"username": "nacos", "password": "wrong"}),
    dict(name="auth-config-no-token", method="GET", path="/v1/cs/configs", params=CFG),
    dict(name="auth-config-bad-token", method="GET", path="/v1/cs/configs", params=CFG, token="not-a-token"),
    dict(name="auth-config-token-missing", method="GET", path="/v1/cs/configs", params=CFG, token=True),
    dict(name="auth-config-publish-token", method="POST", path="/v1/cs/configs", form=_merge(CFG, content="hello"),
         token=True, write=True),
    dict(name="auth-config-get-token", method="GET", path="/v1/cs/configs", params=CFG, token=True),
    dict(name="auth-config-get-bearer", method="GET", path="/v1/cs/configs", params=CFG, bearer=True),
    dict(name="auth-config-delete-token", method="DELETE", path="/v1/cs/configs", params=CFG, token=True),
    dict(name="auth-listener-no-token", method="POST", path="/v1/cs/configs/listener", params={"tenant": NS},
         form={"Listening-Configs": _probe("")}, headers=NO_HANGUP),
    dict(name="auth-list-no-token", method="GET", path="/v1/ns/instance/list",
         params={"serviceName": GSVC, "namespaceId": NS}),
    dict(name="auth-list-bad-token", method="GET", path="/v1/ns/instance/list",
         params={"serviceName": GSVC, "namespaceId": NS}, token="not-a-token"),
    dict(name="auth-list-token", method="GET", path="/v1/ns/instance/list",
         params={"serviceName": GSVC, "groupName": GROUP, "namespaceId": NS}, token=True),
    dict(name="auth-register-no-token", method="POST", path="/v1/ns/instance", params=INST),
    dict(name="auth-beat-no-token", method="PUT", path="/v1/ns/instance/beat", params=INST),
    dict(name="auth-metrics-no-token", method="GET", path="/v1/ns/operator/metrics"),
]
