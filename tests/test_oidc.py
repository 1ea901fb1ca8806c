"""Sign-in through an identity provider (OpenID Connect): a small provider of the test's
own, on a free port, signs ID tokens with an RSA key; the dashboard, on another port,
signs its users in through it, and refuses forged or unknown identities."""
from __future__ import annotations

import shutil
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import requests
from conftest import served
from flask import Flask, jsonify, redirect, request

from timeline import store
from timeline.webapp import access, create_app
from timeline.webapp.oidc import OidcConfig

ROOT = Path(__file__).resolve().parents[1]


def provider(issuer_box: dict, *, email: str, forged: bool = False) -> Flask:
    """An identity provider that signs anyone in as `email` (`forged`: with a key that is
    not the one it publishes)."""
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    signing = RSAKey.generate_key(2048, parameters={"kid": "k1"}) if forged else key
    codes: dict[str, dict] = {}
    idp = Flask("idp")

    @idp.get("/.well-known/openid-configuration")
    def discovery():
        i = issuer_box["url"]
        return jsonify({"issuer": i, "authorization_endpoint": f"{i}/authorize", "token_endpoint": f"{i}/token",
                        "jwks_uri": f"{i}/jwks", "response_types_supported": ["code"],
                        "id_token_signing_alg_values_supported": ["RS256"], "subject_types_supported": ["public"]})

    @idp.get("/authorize")
    def authorize():
        code = f"code-{len(codes)}"
        codes[code] = {"nonce": request.args.get("nonce"), "client": request.args["client_id"]}
        query = urllib.parse.urlencode({"code": code, "state": request.args["state"]})
        return redirect(f"{request.args['redirect_uri']}?{query}")

    @idp.post("/token")
    def token():
        grant = codes.pop(request.form.get("code", ""), None)
        if grant is None:
            return jsonify({"error": "invalid_grant"}), 400
        now = int(time.time())
        claims = {"iss": issuer_box["url"], "aud": grant["client"], "sub": "42", "email": email,
                  "nonce": grant["nonce"], "iat": now, "exp": now + 300}
        id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, signing)
        return jsonify({"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": id_token})

    @idp.get("/jwks")
    def jwks():
        return jsonify({"keys": [key.as_dict(private=False)]})

    return idp


@contextmanager
def newsroom(tmp_path, email: str, *, forged: bool = False):
    """(the dashboard's URL, its app) signing in through a provider that says `email`."""
    corpus = tmp_path / "seeds"
    corpus.mkdir()
    for f in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(f, corpus / f.name)
    engine = store.open_database(f"sqlite:///{corpus / 'timeline.db'}")
    store.add_user(engine, "ana@news.example", "editor", None)
    issuer: dict = {}
    with served(provider(issuer, email=email, forged=forged)) as idp_url:
        issuer["url"] = idp_url
        config = OidcConfig(idp_url, "timeline-desk", "s3cret")
        holder: dict = {}  # the app is made once its port, hence its public URL, is known

        def app_wsgi(environ, start_response):
            return holder["app"].server(environ, start_response)

        with served(app_wsgi) as url:
            holder["app"] = create_app([corpus], bind_host="0.0.0.0", public_url=url + "/", oidc=config)
            yield url, holder["app"]


def test_a_user_signs_in_through_the_identity_provider_and_edits(tmp_path):
    with newsroom(tmp_path, "ana@news.example") as (url, app):
        browser = requests.Session()
        login = browser.get(f"{url}/login").text
        assert "Sign in with your newsroom account" in login
        landed = browser.get(f"{url}/login/oidc?next=/%3Fevent%3Dx")
        assert landed.status_code == 200 and landed.url == f"{url}/?event=x"
        assert "Signed in as ana@news.example" in browser.get(f"{url}/_dash-layout").text
        event_id = app.corpus.snapshot().frame["event_id"].iloc[0]
        made = browser.post(f"{url}/api/stories/seeds/corrections",
                            json={"event_id": event_id, "field": "title", "value": "Through the provider"},
                            headers={"X-CSRFToken": browser.cookies[access.CSRF_COOKIE]})
        assert made.status_code == 201 and made.json()["who"] == "ana@news.example"


def test_an_identity_that_is_not_a_user_here_is_refused(tmp_path):
    with newsroom(tmp_path, "eve@elsewhere.example") as (url, _):
        browser = requests.Session()
        refused = browser.get(f"{url}/login/oidc")
        assert refused.status_code == 403 and "eve@elsewhere.example" in refused.text
        assert "Signed in" not in browser.get(f"{url}/_dash-layout").text


def test_a_token_signed_with_another_key_is_refused(tmp_path):
    with newsroom(tmp_path, "ana@news.example", forged=True) as (url, _):
        browser = requests.Session()
        refused = browser.get(f"{url}/login/oidc")
        assert refused.status_code == 401 and "identity check" in refused.text
        assert "Signed in" not in browser.get(f"{url}/_dash-layout").text


def test_a_callback_without_this_browsers_state_is_refused(tmp_path):
    with newsroom(tmp_path, "ana@news.example") as (url, _):
        stranger = requests.Session()
        answer = stranger.get(f"{url}/login/oidc/callback?code=code-0&state=guessed")
        assert answer.status_code == 401
        assert "Signed in" not in stranger.get(f"{url}/_dash-layout").text


def test_a_user_without_a_password_cannot_sign_in_with_one(tmp_path):
    engine = store.open_database(f"sqlite:///{tmp_path / 'x.db'}")
    store.add_user(engine, "ana@news.example", "editor", None)
    assert store.check_password(engine, "ana@news.example", "!") is None
    assert store.check_password(engine, "ana@news.example", "") is None
