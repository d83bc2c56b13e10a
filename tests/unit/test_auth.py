from nacos.auth import (Credentials, StaticCredentialsProvider, is_token_rejection, sign, sign_config,
                        sign_naming)


def test_sign_vectors_from_the_legacy_client():
    # verified values from the protocol reference (sk "SK1")
    assert sign("DEFAULT_GROUP+1795239559852", "SK1") == "y8lPUmKhZOzqhaMnapgldVZKjWo="
    assert sign("1795239561380@@DEFAULT_GROUP@@svc2", "SK1") == "W/mPo60hKt4YiHwsk3y6p+jiYdI="


def test_sign_config_resources():
    creds = Credentials("AK", "SK1")
    h = sign_config(creds, None, "DEFAULT_GROUP", timestamp="1795239559852")
    assert h == {"Spas-AccessKey": "AK", "Timestamp": "1795239559852",
                 "Spas-Signature": "y8lPUmKhZOzqhaMnapgldVZKjWo="}
    h = sign_config(creds, "ns", "g", timestamp="1")
    assert h["Spas-Signature"] == sign("ns+g+1", "SK1")
    assert sign_config(creds, "ns", None, timestamp="1")["Spas-Signature"] == sign("ns+1", "SK1")
    assert sign_config(creds, None, None, timestamp="1")["Spas-Signature"] == sign("1", "SK1")
    sts = sign_config(Credentials("AK", "SK1", "STS"), None, "g", timestamp="1")
    assert sts["Spas-SecurityToken"] == "STS"


def test_sign_naming_data():
    creds = StaticCredentialsProvider("AK", "SK1").get_credentials()
    p = sign_naming(creds, "svc2", "DEFAULT_GROUP", timestamp="1795239561380")
    assert p == {"ak": "AK", "data": "1795239561380@@DEFAULT_GROUP@@svc2",
                 "signature": "W/mPo60hKt4YiHwsk3y6p+jiYdI="}
    assert sign_naming(creds, "G@@s", "X", timestamp="5")["data"] == "5@@G@@s"
    assert sign_naming(creds, "s", "", timestamp="5")["data"] == "5@@s"
    assert sign_naming(creds, None, None, timestamp="5")["data"] == "5"


def test_credentials_repr_hides_secret():
    text = repr(Credentials("AK", "very-secret", "sts-token"))
    assert "very-secret" not in text and "sts-token" not in text


def test_token_rejection_markers():
    assert is_token_rejection('{"status":403,"message":"token expired!"}')
    assert is_token_rejection("token invalid!")
    assert not is_token_rejection("authorization failed!")
    assert not is_token_rejection(None)
