"""The signed-in user's own API tokens under /arbejde/tokens/: see them and revoke them."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sundhed import konti
from sundhed.formularer import DkfdsForm, koer


class TilbagekaldForm(DkfdsForm):
    """No fields: the button says what happens, and the tokens are the signed-in user's own."""


@login_required
def api_noegler(request: HttpRequest) -> HttpResponse:
    """List the user's tokens (never whole) and revoke them. Only one's own: no other user's are named."""
    # The form has no fields, so its POST is empty: bind it on the method, not on the data.
    form = TilbagekaldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        svar = koer(
            request, form,
            lambda: konti.api_noegler_tilbagekald(bruger=request.user, konto=request.user,
                                                  grund="trukket tilbage af ejeren"),
            besked=lambda antal: ("Din API-nøgle er trukket tilbage. Programmer, der brugte den, skal hente en ny."
                                  if antal else "Du havde ingen API-nøgle at trække tilbage."),
            videre="arbejde:api-noegler",
        )
        if svar is not None:
            return svar
    return render(request, "arbejde/api_noegler.html", {
        "noegler": konti.api_noegler(bruger=request.user), "form": form, "dage": settings.API_TOKEN_DAGE,
    })
