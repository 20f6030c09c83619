"""The signed-in user's own API tokens under /arbejde/tokens/: see them, get one, and revoke them."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from sundhed import konti, mfa
from sundhed.exceptions import DomainError
from sundhed.formularer import DkfdsForm, koer, vis_fejl

UDSTED = "udsted"


class TilbagekaldForm(DkfdsForm):
    """No fields: the button says what happens, and the tokens are the signed-in user's own."""


@never_cache
@login_required
def api_noegler(request: HttpRequest) -> HttpResponse:
    """List the user's tokens (never whole), issue one (shown whole once, in the answer to the POST) and
    revoke them. Only one's own: no other user's are named."""
    # The form has no fields, so its POST is empty: bind it on the method, not on the data.
    form = TilbagekaldForm(request.POST if request.method == "POST" else None)
    ny_noegle = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("handling") == UDSTED:
            try:
                ny_noegle = konti.api_noegle_ny(bruger=request.user, session=request.session).key
            except DomainError as fejl:
                vis_fejl(form, fejl)
        else:
            svar = koer(
                request, form,
                lambda: konti.api_noegler_tilbagekald(bruger=request.user, konto=request.user,
                                                      grund="trukket tilbage af ejeren"),
                besked=lambda antal: ("Din API-nøgle er trukket tilbage. Programmer, der brugte den, skal hente en "
                                      "ny." if antal else "Du havde ingen API-nøgle at trække tilbage."),
                videre="arbejde:api-noegler",
            )
            if svar is not None:
                return svar
    noegler = konti.api_noegler(bruger=request.user)
    kraever_kode = mfa.kraever_kode(request.user)
    return render(request, "arbejde/api_noegler.html", {
        "noegler": noegler, "form": form, "dage": settings.API_TOKEN_DAGE, "ny_noegle": ny_noegle,
        "kan_udstede": not any(not n.udloebet for n in noegler),
        "kraever_kode": kraever_kode,
        "maa_udstede": not kraever_kode or mfa.session_har_anden_faktor(request.session),
    })
