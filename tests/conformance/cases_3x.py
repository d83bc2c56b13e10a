# -*- coding: utf-8 -*-
"""The recorded request set for a Nacos 3.x WITHOUT the v1 APIs (a 3.2+ without the legacy adapter; recorded on a
3.1 with ``nacos.core.api.compatibility.client.enabled=false``): the 410 of every v1 API the SDK used, and the v3
client, admin and auth APIs with good and bad inputs, auth off and on.

Same case format as ``cases.py`` (``token_header``: send the token in an ``accessToken`` header). Fixed names in a
dedicated namespace, cleaned up first, so bodies can be compared.
"""
from __future__ import absolute_import

NS = "conf3-ns"
GROUP = "CONF3_GROUP"
SVC = "conf3-svc"
PSVC = "conf3-persist"  # a service made by POST /v3/admin/ns/service
IP = "10.9.8.1"
MD5_HELLO = "5d41402abc4b2a76b9719d911017c592"

CFG = {"dataId": "conf.txt", "groupName": GROUP, "namespaceId": NS}
CFG_JSON = {"dataId": "conf.json", "groupName": GROUP, "namespaceId": NS}
CFG_PUBLIC = {"dataId": "conf3-public.txt", "groupName": GROUP}
INST = {"serviceName": SVC, "groupName": GROUP, "namespaceId": NS, "ip": IP, "port": "8080"}
LIST = {"serviceName": SVC, "groupName": GROUP, "namespaceId": NS}
V1_CFG = {"dataId": "conf.txt", "group": GROUP, "tenant": NS}
V1_INST = {"serviceName": GROUP + "@@" + SVC, "namespaceId": NS, "ip": IP, "port": "8080"}


def _merge(*dicts, **extra):
    out = {}
    for d in dicts:
        out.update(d)
    out.update(extra)
    return out


LOGIN_PATH = "/v3/auth/user/login"

CLEANUP = [
    dict(method="DELETE", path="/v3/admin/cs/config", params=CFG),
    dict(method="DELETE", path="/v3/admin/cs/config", params=CFG_JSON),
    dict(method="DELETE", path="/v3/admin/cs/config", params=CFG_PUBLIC),
    dict(method="DELETE", path="/v3/client/ns/instance", params=INST),
    dict(method="DELETE", path="/v3/client/ns/instance", params=_merge(INST, ip="10.9.8.2", clusterName="c1")),
    dict(method="DELETE", path="/v3/client/ns/instance", params=_merge(INST, ip="10.9.8.3")),
    dict(method="DELETE", path="/v3/admin/ns/service", params={"serviceName": PSVC, "namespaceId": NS}),
]

GONE = [
    dict(name="gone-config-get", method="GET", path="/v1/cs/configs", params=V1_CFG),
    dict(name="gone-config-publish", method="POST", path="/v1/cs/configs", form=_merge(V1_CFG, content="x")),
    dict(name="gone-config-delete", method="DELETE", path="/v1/cs/configs", params=V1_CFG),
    dict(name="gone-listener", method="POST", path="/v1/cs/configs/listener",
         form={"Listening-Configs": "conf.txt\x02%s\x02\x02%s\x01" % (GROUP, NS)},
         headers={"Long-Pulling-Timeout": "30000"}),
    dict(name="gone-register", method="POST", path="/v1/ns/instance", params=V1_INST),
    dict(name="gone-deregister", method="DELETE", path="/v1/ns/instance", params=V1_INST),
    dict(name="gone-instance-modify", method="PUT", path="/v1/ns/instance", params=V1_INST),
    dict(name="gone-instance-get", method="GET", path="/v1/ns/instance", params=V1_INST),
    dict(name="gone-instance-list", method="GET", path="/v1/ns/instance/list", params=V1_INST),
    dict(name="gone-beat", method="PUT", path="/v1/ns/instance/beat", params=V1_INST),
    dict(name="gone-service-create", method="POST", path="/v1/ns/service", params=V1_INST),
    dict(name="gone-service-modify", method="PUT", path="/v1/ns/service", params=V1_INST),
    dict(name="gone-service-delete", method="DELETE", path="/v1/ns/service", params=V1_INST),
    dict(name="gone-service-get", method="GET", path="/v1/ns/service", params=V1_INST),
    dict(name="gone-service-list", method="GET", path="/v1/ns/service/list", params={"pageNo": "1", "pageSize": "9"}),
    dict(name="gone-metrics", method="GET", path="/v1/ns/operator/metrics"),
    dict(name="gone-login", method="POST", path="/v1/auth/login", form={"username": "nacos", "password": "nacos"}),
    dict(name="gone-users-login", method="POST", path="/v1/auth/users/login", form={"username": "nacos"}),
    dict(name="v1-console-namespaces", method="GET", path="/v1/console/namespaces"),
    dict(name="v1-console-readiness", method="GET", path="/v1/console/health/readiness"),
    dict(name="v3-unknown-path", method="GET", path="/v3/no/such/api"),
    dict(name="v3-wrong-method", method="PATCH", path="/v3/admin/cs/config", params=CFG),
]

CONFIG = [
    dict(name="config-get-missing", method="GET", path="/v3/client/cs/config", params=CFG),
    dict(name="config-get-no-group", method="GET", path="/v3/client/cs/config",
         params={"dataId": "conf.txt", "namespaceId": NS}),
    dict(name="config-get-no-dataid", method="GET", path="/v3/client/cs/config",
         params={"groupName": GROUP, "namespaceId": NS}),
    dict(name="config-get-bad-dataid", method="GET", path="/v3/client/cs/config", params=_merge(CFG, dataId="a b")),
    dict(name="config-get-bad-namespace", method="GET", path="/v3/client/cs/config",
         params=_merge(CFG, namespaceId="a b")),
    dict(name="config-publish", method="POST", path="/v3/admin/cs/config", form=_merge(CFG, content="hello"),
         write=True),
    dict(name="config-publish-json", method="POST", path="/v3/admin/cs/config",
         form=_merge(CFG_JSON, content='{"a":1}', type="json", appName="app3", desc="d", configTags="t1,t2"),
         write=True),
    dict(name="config-publish-public", method="POST", path="/v3/admin/cs/config",
         form=_merge(CFG_PUBLIC, content="pub", type="no-such-type"), write=True),
    dict(name="config-publish-no-group", method="POST", path="/v3/admin/cs/config",
         form={"dataId": "conf.txt", "namespaceId": NS, "content": "x"}),
    dict(name="config-publish-no-dataid", method="POST", path="/v3/admin/cs/config",
         form={"groupName": GROUP, "namespaceId": NS, "content": "x"}),
    dict(name="config-publish-no-content", method="POST", path="/v3/admin/cs/config", form=CFG),
    dict(name="config-publish-blank-content", method="POST", path="/v3/admin/cs/config",
         form=_merge(CFG, content="  ")),
    dict(name="config-publish-bad-dataid", method="POST", path="/v3/admin/cs/config",
         form=_merge(CFG, dataId="a$b", content="x")),
    dict(name="config-get", method="GET", path="/v3/client/cs/config", params=CFG),
    dict(name="config-get-json", method="GET", path="/v3/client/cs/config", params=CFG_JSON),
    dict(name="config-get-public-blank", method="GET", path="/v3/client/cs/config", params=CFG_PUBLIC),
    dict(name="config-get-public-named", method="GET", path="/v3/client/cs/config",
         params=_merge(CFG_PUBLIC, namespaceId="public")),
    dict(name="admin-config-get", method="GET", path="/v3/admin/cs/config", params=CFG_JSON),
    dict(name="admin-config-get-missing", method="GET", path="/v3/admin/cs/config",
         params=_merge(CFG, dataId="absent.txt")),
    dict(name="admin-config-get-no-group", method="GET", path="/v3/admin/cs/config",
         params={"dataId": "conf.txt", "namespaceId": NS}),
    dict(name="config-publish-cas-mismatch", method="POST", path="/v3/admin/cs/config",
         form=_merge(CFG, content="other"), headers={"casMd5": "0" * 32}),
    dict(name="config-publish-cas-match", method="POST", path="/v3/admin/cs/config",
         form=_merge(CFG, content="hello"), headers={"casMd5": MD5_HELLO}, write=True),
    dict(name="config-publish-cas-form-ignored", method="POST", path="/v3/admin/cs/config",
         form=_merge(CFG, content="hello", casMd5="0" * 32), write=True),
    dict(name="config-list", method="GET", path="/v3/admin/cs/config/list", params={"namespaceId": NS}),
    dict(name="config-list-blur-empty", method="GET", path="/v3/admin/cs/config/list",
         params={"namespaceId": NS, "search": "blur", "dataId": "", "groupName": "", "pageNo": "1",
                 "pageSize": "10"}),
    dict(name="config-list-accurate", method="GET", path="/v3/admin/cs/config/list",
         params={"namespaceId": NS, "search": "accurate", "dataId": "conf.txt", "groupName": GROUP}),
    dict(name="config-list-blur-no-wildcard", method="GET", path="/v3/admin/cs/config/list",
         params={"namespaceId": NS, "dataId": "conf"}),
    dict(name="config-list-group-wildcard", method="GET", path="/v3/admin/cs/config/list",
         params={"namespaceId": NS, "groupName": "CONF3*"}),
    dict(name="config-list-dataid-wildcard", method="GET", path="/v3/admin/cs/config/list",
         params={"namespaceId": NS, "dataId": "conf*"}),
    dict(name="config-list-app", method="GET", path="/v3/admin/cs/config/list",
         params={"namespaceId": NS, "appName": "app3"}),
    dict(name="config-list-page-2", method="GET", path="/v3/admin/cs/config/list",
         params={"namespaceId": NS, "pageNo": "2", "pageSize": "1"}),
    dict(name="config-list-page-0", method="GET", path="/v3/admin/cs/config/list",
         params={"namespaceId": NS, "pageNo": "0"}),
    dict(name="config-delete", method="DELETE", path="/v3/admin/cs/config", params=CFG, write=True),
    dict(name="config-delete-again", method="DELETE", path="/v3/admin/cs/config", params=CFG),
    dict(name="config-delete-no-group", method="DELETE", path="/v3/admin/cs/config",
         params={"dataId": "conf.txt", "namespaceId": NS}),
    dict(name="config-get-deleted", method="GET", path="/v3/client/cs/config", params=CFG),
]

NAMING = [
    dict(name="register", method="POST", path="/v3/client/ns/instance",
         form=_merge(INST, weight="2", metadata='{"k":"v"}'), write=True),
    dict(name="register-c1", method="POST", path="/v3/client/ns/instance",
         form=_merge(INST, ip="10.9.8.2", clusterName="c1"), write=True),
    dict(name="register-disabled", method="POST", path="/v3/client/ns/instance",
         form=_merge(INST, ip="10.9.8.3", enabled="false"), write=True),
    dict(name="list", method="GET", path="/v3/client/ns/instance/list", params=LIST),
    dict(name="list-clusters", method="GET", path="/v3/client/ns/instance/list",
         params=_merge(LIST, clusterName="c1,DEFAULT")),
    dict(name="list-healthy-only-ignored", method="GET", path="/v3/client/ns/instance/list",
         params=_merge(LIST, healthyOnly="true", clusterName="c1")),
    dict(name="list-unknown-service", method="GET", path="/v3/client/ns/instance/list",
         params=_merge(LIST, serviceName="no-such-svc")),
    dict(name="list-no-service", method="GET", path="/v3/client/ns/instance/list", params={"namespaceId": NS}),
    dict(name="beat", method="POST", path="/v3/client/ns/instance", form=_merge(INST, heartBeat="true")),
    dict(name="beat-unknown", method="POST", path="/v3/client/ns/instance",
         form=_merge(INST, ip="10.9.8.9", heartBeat="true")),
    dict(name="register-bad-port", method="POST", path="/v3/client/ns/instance", form=_merge(INST, port="99999")),
    dict(name="register-no-ip", method="POST", path="/v3/client/ns/instance",
         form={"serviceName": SVC, "namespaceId": NS, "port": "1"}),
    dict(name="register-no-port", method="POST", path="/v3/client/ns/instance",
         form={"serviceName": SVC, "namespaceId": NS, "ip": IP}),
    dict(name="register-no-service", method="POST", path="/v3/client/ns/instance",
         form={"namespaceId": NS, "ip": IP, "port": "1"}),
    dict(name="register-bad-cluster", method="POST", path="/v3/client/ns/instance",
         form=_merge(INST, clusterName="bad_name")),
    dict(name="register-bad-cluster-space", method="POST", path="/v3/client/ns/instance",
         form=_merge(INST, clusterName="bad name")),
    dict(name="register-bad-weight", method="POST", path="/v3/client/ns/instance", form=_merge(INST, weight="20000")),
    dict(name="register-bad-metadata", method="POST", path="/v3/client/ns/instance",
         form=_merge(INST, metadata="notjson")),
    dict(name="register-bad-beat-settings", method="POST", path="/v3/client/ns/instance",
         form=_merge(INST, metadata='{"preserved.heart.beat.interval":"20000"}')),
    dict(name="register-persistent-clash", method="POST", path="/v3/client/ns/instance",
         form=_merge(INST, ip="10.9.8.4", ephemeral="false")),
    dict(name="admin-instance-get", method="GET", path="/v3/admin/ns/instance", params=INST),
    dict(name="admin-instance-get-unknown", method="GET", path="/v3/admin/ns/instance",
         params=_merge(INST, ip="10.9.8.9")),
    dict(name="admin-instance-get-unknown-service", method="GET", path="/v3/admin/ns/instance",
         params=_merge(INST, serviceName="no-such-svc")),
    dict(name="admin-instance-list", method="GET", path="/v3/admin/ns/instance/list", params=LIST),
    dict(name="admin-instance-list-unknown-service", method="GET", path="/v3/admin/ns/instance/list",
         params=_merge(LIST, serviceName="no-such-svc")),
    dict(name="admin-instance-modify", method="PUT", path="/v3/admin/ns/instance",
         form=_merge(INST, weight="3", metadata='{"k":"w"}'), write=True),
    dict(name="admin-instance-modify-unknown-service", method="PUT", path="/v3/admin/ns/instance",
         form=_merge(INST, serviceName="no-such-svc")),
    dict(name="list-after-modify", method="GET", path="/v3/client/ns/instance/list", params=LIST),
    # 3.x keeps what PUT set as an overlay that outlives the instance (about 60 s) and applies it when the same
    # ip:port registers again: put the registered values back, so that a second run within a minute sees the same
    dict(name="admin-instance-modify-back", method="PUT", path="/v3/admin/ns/instance",
         form=_merge(INST, weight="2", metadata='{"k":"v"}')),
    dict(name="service-get-registered", method="GET", path="/v3/admin/ns/service", params=LIST),
    dict(name="service-delete-not-empty", method="DELETE", path="/v3/admin/ns/service", params=LIST),
    dict(name="service-create", method="POST", path="/v3/admin/ns/service",
         form={"serviceName": PSVC, "namespaceId": NS, "protectThreshold": "0.5", "metadata": '{"m":"1"}'},
         write=True),
    dict(name="service-create-again", method="POST", path="/v3/admin/ns/service",
         form={"serviceName": PSVC, "namespaceId": NS}),
    dict(name="service-create-no-name", method="POST", path="/v3/admin/ns/service", form={"namespaceId": NS}),
    dict(name="service-get", method="GET", path="/v3/admin/ns/service",
         params={"serviceName": PSVC, "namespaceId": NS}),
    dict(name="service-get-unknown", method="GET", path="/v3/admin/ns/service",
         params={"serviceName": "no-such-svc", "namespaceId": NS}),
    dict(name="service-modify", method="PUT", path="/v3/admin/ns/service",
         form={"serviceName": PSVC, "namespaceId": NS, "metadata": '{"z":"2"}'}, write=True),
    dict(name="service-get-after-modify", method="GET", path="/v3/admin/ns/service",
         params={"serviceName": PSVC, "namespaceId": NS}),
    dict(name="service-modify-unknown", method="PUT", path="/v3/admin/ns/service",
         form={"serviceName": "no-such-svc", "namespaceId": NS}),
    dict(name="service-list", method="GET", path="/v3/admin/ns/service/list",
         params={"namespaceId": NS, "serviceNameParam": PSVC}),
    dict(name="service-list-group", method="GET", path="/v3/admin/ns/service/list",
         params={"namespaceId": NS, "groupNameParam": GROUP, "pageSize": "1"}),
    dict(name="service-list-bad-page", method="GET", path="/v3/admin/ns/service/list",
         params={"namespaceId": NS, "pageSize": "0"}),
    dict(name="service-delete", method="DELETE", path="/v3/admin/ns/service",
         params={"serviceName": PSVC, "namespaceId": NS}, write=True),
    dict(name="service-delete-again", method="DELETE", path="/v3/admin/ns/service",
         params={"serviceName": PSVC, "namespaceId": NS}),
    dict(name="deregister", method="DELETE", path="/v3/client/ns/instance",
         params=_merge(INST, ip="10.9.8.2", clusterName="c1"), write=True),
    dict(name="list-after-deregister", method="GET", path="/v3/client/ns/instance/list",
         params=_merge(LIST, clusterName="c1")),
    dict(name="deregister-unknown", method="DELETE", path="/v3/client/ns/instance", params=_merge(INST, ip="10.9.8.9")),
    dict(name="deregister-bad-port", method="DELETE", path="/v3/client/ns/instance", params=_merge(INST, port="-1")),
    dict(name="metrics", method="GET", path="/v3/admin/ns/ops/metrics"),
    dict(name="readiness", method="GET", path="/v3/admin/core/state/readiness"),
    dict(name="liveness", method="GET", path="/v3/admin/core/state/liveness"),
    dict(name="login-unknown-user", method="POST", path=LOGIN_PATH, form={"username": "nobody", "password": "x"}),
]

CASES_NOAUTH = GONE + CONFIG + NAMING

CASES_AUTH = [
    dict(name="auth-login", method="POST", path=LOGIN_PATH, form={"username": "nacos", "password": "nacos"},
         login=True),
    dict(name="auth-login-query", method="POST", path=LOGIN_PATH, params={"username": "nacos", "password": "nacos"}),
    dict(name="auth-login-wrong-password", method="POST", path=LOGIN_PATH,
         form={"username": "nacos", "password": "wrong"}),
    dict(name="auth-login-unknown-user", method="POST", path=LOGIN_PATH, form={"username": "nobody", "password": "x"}),
    dict(name="auth-login-no-password", method="POST", path=LOGIN_PATH, form={"username": "nacos"}),
    dict(name="auth-login-bad-token", method="POST", path=LOGIN_PATH,
         form={"username": "nacos", "password": "nacos"}, token="not-a-token"),
    dict(name="auth-admin-exists", method="POST", path="/v3/auth/user/admin", form={"password": "other"}),
    dict(name="auth-gone-before-auth", method="GET", path="/v1/cs/configs", params=V1_CFG),
    dict(name="auth-config-no-token", method="GET", path="/v3/client/cs/config", params=CFG),
    dict(name="auth-config-bad-token", method="GET", path="/v3/client/cs/config", params=CFG, token="not-a-token"),
    dict(name="auth-config-token", method="GET", path="/v3/client/cs/config", params=CFG, token=True),
    dict(name="auth-config-bearer", method="GET", path="/v3/client/cs/config", params=CFG, bearer=True),
    dict(name="auth-config-token-header", method="GET", path="/v3/client/cs/config", params=CFG, token_header=True),
    dict(name="auth-config-password", method="GET", path="/v3/client/cs/config",
         params=_merge(CFG, username="nacos", password="nacos")),
    dict(name="auth-config-wrong-password", method="GET", path="/v3/client/cs/config",
         params=_merge(CFG, username="nacos", password="wrong")),
    dict(name="auth-admin-config-no-token", method="GET", path="/v3/admin/cs/config", params=CFG),
    dict(name="auth-publish-no-token", method="POST", path="/v3/admin/cs/config", form=_merge(CFG, content="x")),
    dict(name="auth-publish-bad-token", method="POST", path="/v3/admin/cs/config", form=_merge(CFG, content="x"),
         token="not-a-token"),
    dict(name="auth-register-no-token", method="POST", path="/v3/client/ns/instance", form=INST),
    dict(name="auth-list-no-token", method="GET", path="/v3/client/ns/instance/list", params=LIST),
    dict(name="auth-list-token", method="GET", path="/v3/client/ns/instance/list",
         params=_merge(LIST, serviceName="no-such-svc"), token=True),
    dict(name="auth-service-list-no-token", method="GET", path="/v3/admin/ns/service/list",
         params={"namespaceId": NS}),
    dict(name="auth-metrics-no-token", method="GET", path="/v3/admin/ns/ops/metrics"),
    dict(name="auth-metrics-token", method="GET", path="/v3/admin/ns/ops/metrics", token=True),
    dict(name="auth-readiness-no-token", method="GET", path="/v3/admin/core/state/readiness"),
]
