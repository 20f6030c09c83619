"""/sitemap.xml: the public agreements and the public structure pages."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from aftaler import stempler, synlighed
from organisation.models import Forum, Klynge
from sundhed.betinget import betinget_svar


class AftaleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return synlighed.offentlige_aftaler().only("slug", "opdateret").order_by("pk")

    def location(self, item) -> str:
        return reverse("aftale-detalje", args=[item.slug])

    def lastmod(self, item):
        return item.opdateret


class SideSitemap(Sitemap):
    """The fixed public pages that exist in this installation."""

    changefreq = "weekly"
    priority = 0.5
    NAVNE = ("forside", "aftale-liste", "organisation", "klynge-liste", "indikator-liste", "tilgaengelighed")

    def items(self):
        res = []
        for navn in self.NAVNE:
            try:
                reverse(navn)
            except NoReverseMatch:
                continue
            res.append(navn)
        return res

    def location(self, item) -> str:
        return reverse(item)


class KlyngeSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Klynge.objects.only("slug").order_by("navn")  # ended ones stay readable at their address

    def location(self, item) -> str:
        return reverse("klynge-detalje", args=[item.slug])


class ForumSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return Forum.objects.only("slug").order_by("navn")

    def location(self, item) -> str:
        return reverse("forum-detalje", args=[item.slug])


SITEMAPS = {"sider": SideSitemap, "aftaler": AftaleSitemap, "klynger": KlyngeSitemap, "fora": ForumSitemap}


@require_safe
def sitemap_view(request: HttpRequest) -> HttpResponse:
    stempel = stempler.global_stempel()

    def svar() -> HttpResponse:
        res = sitemap(request, sitemaps=SITEMAPS)
        res.render()
        return res

    return betinget_svar(request, stempel=stempel.noegle, sidst_aendret=stempel.sidst_aendret, lav_svar=svar)
