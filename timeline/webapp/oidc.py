"""Sign-in through the newsroom's identity provider (OpenID Connect, with Authlib).

Configured from the environment (`OidcConfig.from_env`):

- `TIMELINE_OIDC_ISSUER`: the provider's issuer URL (its
  `/.well-known/openid-configuration` is read when the first reader signs in);
- `TIMELINE_OIDC_CLIENT_ID`, `TIMELINE_OIDC_CLIENT_SECRET`: this app's registration there,
  with the redirect URI `<public URL>login/oidc/callback`;
- `TIMELINE_OIDC_NAME_CLAIM`: the claim that names the user (default `email`).

The provider says who someone is; the users table says what they may do: a person signs in
only if a user of that name exists (`timeline users add ana@news.example --role editor
--no-password`), and gets that user's role. Authlib checks the ID token (signature from
the provider's keys, issuer, audience, expiry, nonce) and the state that ties the answer
to this browser.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from flask import redirect, request, session

from timeline.store import users as accounts
from timeline.webapp.access import local_path, refuse

OIDC_LOGIN, OIDC_CALLBACK = "/login/oidc", "/login/oidc/callback"


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    name_claim: str = "email"

    @classmethod
    def from_env(cls, env=os.environ) -> OidcConfig | None:
        """The configuration in `env`, or None when no issuer is set."""
        issuer = (env.get("TIMELINE_OIDC_ISSUER") or "").strip()
        if not issuer:
            return None
        return cls(issuer.rstrip("/"), env.get("TIMELINE_OIDC_CLIENT_ID", ""),
                   env.get("TIMELINE_OIDC_CLIENT_SECRET", ""), env.get("TIMELINE_OIDC_NAME_CLAIM") or "email")


def install(server, access, config: OidcConfig, *, public_url: str) -> None:
    """Add /login/oidc and its callback to the Flask `server`, signing people in as the
    users of `access`'s database."""
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth(server)
    provider = oauth.register(
        "newsroom", client_id=config.client_id, client_secret=config.client_secret,
        server_metadata_url=f"{config.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile"},
    )
    callback = public_url.rstrip("/") + OIDC_CALLBACK

    def start():
        if access.mode != "sign-in":
            return refuse(404, "nobody signs in here")
        session["oidc_next"] = local_path(request.args.get("next", "/"))
        try:
            return provider.authorize_redirect(callback)
        except Exception as e:  # the provider cannot be reached or answers nonsense
            return refuse(502, f"the identity provider did not answer ({type(e).__name__})")

    def finish():
        if access.mode != "sign-in":
            return refuse(404, "nobody signs in here")
        try:
            token = provider.authorize_access_token()
        except Exception as e:  # a forged, replayed or expired answer; an unreachable provider
            return refuse(401, f"sign-in refused by the identity check ({type(e).__name__})")
        claims = token.get("userinfo") or {}
        name = claims.get(config.name_claim)
        user = accounts.get_user(access.engine, name) if isinstance(name, str) and name else None
        if user is None:
            return refuse(403, f"{str(name)[:100]!r} is not a user of this newsroom's timeline; "
                                     "an admin adds them with `timeline users add`")
        target = session.pop("oidc_next", "/")
        access.start_session(user)
        return redirect(target, code=303)

    server.add_url_rule(OIDC_LOGIN, "timeline_oidc_login", start)
    server.add_url_rule(OIDC_CALLBACK, "timeline_oidc_callback", finish)


