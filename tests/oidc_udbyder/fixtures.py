"""Start and stop the test provider (a real OpenID Connect provider in a process of its own)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Udbyder:
    """A running provider: its address and the portal's OIDC_* settings that point at it."""

    url: str
    client_id: str
    client_secret: str

    def portal_miljoe(self, **ekstra: str) -> dict[str, str]:
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/o/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/o/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/o/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/o/.well-known/jwks.json",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.url}/o/logout/",
            "OIDC_RP_SIGN_ALGO": "RS256",
            **ekstra,
        }


@contextlib.contextmanager
def koer_udbyder(*, port: int, redirect_uri: str, personer: dict,
                 post_logout_redirect_uri: str = "") -> Iterator[Udbyder]:
    """Run the provider on 127.0.0.1:`port` until the block ends; `personer` as settings.PERSONER; the
    portal's address after a sign-out that ends the provider's session too."""
    tmp = Path(tempfile.mkdtemp(prefix="oidc-udbyder-"))
    udbyder = Udbyder(url=f"http://127.0.0.1:{port}", client_id="sundhedsportalen",
                      client_secret="hemmelig-kun-til-test-" + os.urandom(8).hex())
    env = {
        **os.environ,
        "UDBYDER_DB": str(tmp / "udbyder.sqlite3"),
        "UDBYDER_PERSONER": json.dumps(personer),
        "UDBYDER_KLIENT": json.dumps({"client_id": udbyder.client_id, "client_secret": udbyder.client_secret,
                                      "redirect_uri": redirect_uri,
                                      "post_logout_redirect_uri": post_logout_redirect_uri}),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(tmp / "udbyder.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "tests.oidc_udbyder", str(port)], env=env, cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        frist = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{udbyder.url}/o/.well-known/openid-configuration", timeout=2) as svar:
                    if svar.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > frist or proc.poll() is not None:
                raise RuntimeError("Testudbyderen startede ikke:\n" + (tmp / "udbyder.log").read_text())
            time.sleep(0.3)
        yield udbyder
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
