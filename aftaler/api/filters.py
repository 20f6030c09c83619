"""Query-string filters for the agreement list (django-filter). Related objects are named by slug."""

import django_filters

from aftaler.choices import Omfang, Status
from aftaler.models import Samarbejdsaftale

_UGYLDIGT_VALG = {"invalid_choice": "'%(value)s' er ikke en gyldig værdi."}


class AftaleFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, label="Status (fx `indstillet`)",
                                         error_messages=_UGYLDIGT_VALG)
    omfang = django_filters.ChoiceFilter(choices=Omfang.choices, label="Omfang: `regional` eller `lokal`",
                                         error_messages=_UGYLDIGT_VALG)
    klynge = django_filters.CharFilter(field_name="klynge__slug", label="Klyngens slug (lokale aftaler)")
    indsatsomraade = django_filters.CharFilter(field_name="indsatsomraade__slug", label="Indsatsområdets slug")
    ejer = django_filters.CharFilter(field_name="ejer_forum__slug", label="Det ejende forums slug")

    class Meta:
        model = Samarbejdsaftale
        fields = ["status", "omfang", "klynge", "indsatsomraade", "ejer"]
