"""The password sign-in with its second step, and the page where a user manages the second factor.

/log-ind/ checks the password. A user who needs no code (sundhed.mfa.kraever_kode) is signed in at once;
anyone else is *not* signed in yet: the session only remembers who passed the password (for
VENTER_MINUTTER), and the browser goes on to /log-ind/kode/ (a TOTP or recovery code) or, for a user who
must have a second factor and has none, to /log-ind/totp/ to set one up. Only a right code calls
django.contrib.auth.login. A wrong code counts as a failed sign-in toward the lockout (sundhed.sikkerhed).
"""

from __future__ import annotations

import time

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from sundhed import mfa, sikkerhed
from sundhed.exceptions import DomainError
from sundhed.formularer import DkfdsForm, koer, vis_fejl

VENTER = "_mfa_venter"
VENTER_MINUTTER = 10
NYE_KODER = "_mfa_nye_gendannelseskoder"


class KodeForm(DkfdsForm):
    kode = forms.CharField(
        label="Engangskode", max_length=32, strip=True,
        help_text="De 6 cifre, som din godkendelsesapp viser nu, eller en af dine gendannelseskoder.",
        error_messages={"required": "Skriv koden fra din godkendelsesapp eller en gendannelseskode."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none",
                                      "spellcheck": "false", "class": "input-width-s"}),
    )


class NyEnhedForm(DkfdsForm):
    kode = forms.CharField(
        label="Kode fra godkendelsesappen", max_length=16, strip=True,
        help_text="De 6 cifre, som appen viser, når du har tilføjet portalen.",
        error_messages={"required": "Skriv den 6-cifrede kode, som din godkendelsesapp viser."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "class": "input-width-xs"}),
    )


class TomForm(DkfdsForm):
    """No fields: the button says what happens, to the signed-in user's own account."""


# --- the pending sign-in -----------------------------------------------------------------------------


def _venter_gem(request: HttpRequest, bruger, videre: str) -> None:
    request.session[VENTER] = {
        "bruger": bruger.pk, "backend": bruger.backend, "hash": bruger.get_session_auth_hash(),
        "tid": time.time(), "videre": videre,
    }


def _venter(request: HttpRequest):
    """The user who passed the password in this session and has yet to give a code, or None (never
    started, too long ago, or the password changed since)."""
    data = request.session.get(VENTER)
    if not data:
        return None
    bruger = None
    if time.time() - data["tid"] <= VENTER_MINUTTER * 60:
        bruger = get_user_model().objects.filter(pk=data["bruger"], is_active=True).first()
    if bruger is None or not constant_time_compare(bruger.get_session_auth_hash(), data["hash"]):
        request.session.pop(VENTER, None)
        return None
    bruger.backend = data["backend"]
    return bruger


def _forfra(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:  # e.g. a `next` that pointed back here: the sign-in is done
        return redirect("arbejde:forside")
    messages.info(request, f"Log ind igen med brugernavn og adgangskode. Koden skal skrives inden for "
                           f"{VENTER_MINUTTER} minutter.")
    return redirect("login")


def _spaerret(request: HttpRequest, bruger) -> HttpResponse | None:
    """The lockout answer if this account is locked out from this address (the same lock as the password)."""
    legitimation = {"username": bruger.get_username()}
    if AxesProxyHandler.is_locked(request, legitimation):
        request.session.pop(VENTER, None)
        return sikkerhed.spaerret_svar(request, credentials=legitimation)
    return None


def _andet_trin(request: HttpRequest, form_klasse: type[forms.Form], *, har_enhed: bool):
    """The opening of the two pages after the password: the pending user (or back to the sign-in), on the
    right page (`har_enhed`: this page is for a user who has an authenticator), the page's form (bound on a
    POST), and a POST while the account is locked out answered with the lockout page.

    Returns (user, form, None), or (None, None, the answer to give instead). An unbound form is never valid,
    so the views need not ask for the method again."""
    bruger = _venter(request)
    if bruger is None:
        return None, None, _forfra(request)
    if (mfa.totp_enhed(bruger) is not None) != har_enhed:
        return None, None, redirect("login-totp-opret" if har_enhed else "login-kode")
    form = form_klasse(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (svar := _spaerret(request, bruger)) is not None:
        return None, None, svar
    return bruger, form, None


def _forkert_kode(request: HttpRequest, bruger) -> None:
    """A wrong code is a failed sign-in: django-axes counts it with the wrong passwords (and, at the limit,
    its middleware answers with the lockout page)."""
    user_login_failed.send(sender=__name__, credentials={"username": bruger.get_username()}, request=request)
    if getattr(request, "axes_locked_out", False):
        request.session.pop(VENTER, None)


def _log_ind(request: HttpRequest, bruger, enhed) -> str:
    """Sign the user in after the second factor; where to go next."""
    videre = request.session[VENTER].get("videre") or reverse("arbejde:forside")
    auth_login(request, bruger, backend=bruger.backend)  # a new session key; the pending state goes with it
    request.session.pop(VENTER, None)
    otp_login(request, enhed)
    request.session[mfa.LOGIN_METODE] = mfa.ADGANGSKODE_TOTP
    return videre


# --- the views -------------------------------------------------------------------------------------


class AdgangskodeLogin(auth_views.LoginView):
    """Django's login form; the user is signed in here only if no code is needed."""

    template_name = "registration/login.html"

    def form_valid(self, form):
        bruger = form.get_user()
        if not mfa.kraever_kode(bruger):
            svar = super().form_valid(form)
            self.request.session[mfa.LOGIN_METODE] = mfa.ADGANGSKODE
            return svar
        _venter_gem(self.request, bruger, self.get_success_url())
        if mfa.totp_enhed(bruger) is None:
            return redirect("login-totp-opret")
        return redirect("login-kode")


@sensitive_post_parameters("kode")
@never_cache
def kode(request: HttpRequest) -> HttpResponse:
    """The second step: a TOTP code or a recovery code."""
    bruger, form, svar = _andet_trin(request, KodeForm, har_enhed=True)
    if svar is not None:
        return svar
    if form.is_valid():
        kontrol = mfa.kode_kontroller(bruger=bruger, kode=form.cleaned_data["kode"])
        if kontrol.godkendt:
            return redirect(_log_ind(request, bruger, kontrol.enhed))
        form.add_error("kode", kontrol.fejl)
        if not kontrol.vent_sekunder:
            _forkert_kode(request, bruger)
    return render(request, "registration/totp_kode.html", {"form": form, "brugernavn": bruger.get_username()})


@sensitive_post_parameters("kode")
@never_cache
def opret_ved_login(request: HttpRequest) -> HttpResponse:
    """A user who must have a second factor and has none sets it up before being signed in."""
    bruger, form, svar = _andet_trin(request, NyEnhedForm, har_enhed=False)
    if svar is not None:
        return svar
    enhed = mfa.ny_enhed(bruger=bruger)
    if form.is_valid():
        try:
            koder = mfa.totp_bekraeft(bruger=bruger, enhed=enhed, kode=form.cleaned_data["kode"])
        except DomainError as fejl:
            vis_fejl(form, fejl)
            _forkert_kode(request, bruger)
        else:
            enhed.refresh_from_db()
            videre = _log_ind(request, bruger, enhed)
            request.session[NYE_KODER] = {"koder": koder, "videre": videre}
            return redirect("arbejde:gendannelseskoder")
    return render(request, "registration/totp_opret.html", {
        "form": form, "enhed": enhed, "hemmelighed": mfa.hemmelighed(enhed), "qr": mfa.qr_svg(enhed),
        "handling": reverse("login-totp-opret"), "ved_login": True,
    })


@login_required
def sikkerhed_side(request: HttpRequest) -> HttpResponse:
    """The user's second factor: on or off, required or not, recovery codes left."""
    enhed = mfa.totp_enhed(request.user)
    return render(request, "registration/sikkerhed.html", {
        "enhed": enhed,
        "paakraevet": mfa.totp_paakraevet(request.user),
        "tilbage": mfa.gendannelseskoder_tilbage(request.user) if enhed else 0,
        "login_metode": request.session.get(mfa.LOGIN_METODE, ""),
        "form": TomForm(),
    })


@sensitive_post_parameters("kode")
@login_required
def sikkerhed_opret(request: HttpRequest) -> HttpResponse:
    """Turn the second factor on (or move it to a new phone) while signed in."""
    enhed = mfa.ny_enhed(bruger=request.user)
    form = NyEnhedForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            koder = mfa.totp_bekraeft(bruger=request.user, enhed=enhed, kode=form.cleaned_data["kode"])
        except DomainError as fejl:
            vis_fejl(form, fejl)
        else:
            enhed.refresh_from_db()
            otp_login(request, enhed)
            # The session has now seen the second factor (an identity provider's sign-in stays as it was).
            if request.session.get(mfa.LOGIN_METODE) != mfa.OIDC:
                request.session[mfa.LOGIN_METODE] = mfa.ADGANGSKODE_TOTP
            request.session[NYE_KODER] = {"koder": koder, "videre": reverse("arbejde:sikkerhed")}
            return redirect("arbejde:gendannelseskoder")
    return render(request, "registration/totp_opret.html", {
        "form": form, "enhed": enhed, "hemmelighed": mfa.hemmelighed(enhed), "qr": mfa.qr_svg(enhed),
        "handling": reverse("arbejde:sikkerhed-totp"), "ved_login": False,
        "har_enhed": mfa.totp_enhed(request.user) is not None,
    })


@login_required
def gendannelseskoder(request: HttpRequest) -> HttpResponse:
    """GET: the new recovery codes, once (then they are gone from the session). POST: make new ones."""
    if request.method == "POST":
        form = TomForm(request.POST)
        if form.is_valid():
            try:
                koder = mfa.gendannelseskoder_forny(bruger=request.user)
            except DomainError as fejl:
                messages.error(request, fejl.message)
                return redirect("arbejde:sikkerhed")
            request.session[NYE_KODER] = {"koder": koder, "videre": reverse("arbejde:sikkerhed")}
        return redirect("arbejde:gendannelseskoder")
    nye = request.session.pop(NYE_KODER, None)
    return render(request, "registration/gendannelseskoder.html", {
        "koder": (nye or {}).get("koder", []), "videre": (nye or {}).get("videre") or reverse("arbejde:sikkerhed"),
    })


@login_required
def sikkerhed_fjern(request: HttpRequest) -> HttpResponse:
    """Turn the second factor off (POST), for a user who is not required to have it."""
    if request.method != "POST":
        return redirect("arbejde:sikkerhed")
    form = TomForm(request.POST)
    if form.is_valid():
        svar = koer(request, form, lambda: mfa.totp_fjern(bruger=request.user),
                    besked="Totrinsbekræftelse er slået fra. Du logger nu ind med brugernavn og adgangskode.",
                    videre="arbejde:sikkerhed")
        if svar is not None:
            return svar
    for fejl in form.non_field_errors():
        messages.error(request, fejl)
    return redirect("arbejde:sikkerhed")
