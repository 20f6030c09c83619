"""The provider's claims: each person's own fixed claims (a stable `sub` among them), not the user's pk."""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    # Every claim the test gives a person goes out whatever the scope: the portal is what is under test.
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return dict(settings.PERSONER.get(request.user.get_username(), {}).get("claims", {}))
