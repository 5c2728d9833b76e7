from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from ai4media_portal.core import sitemaps as core_sitemaps
from ai4media_portal.core import views as core_views
from ai4media_portal.core.api.docs import api_docs

handler403 = "ai4media_portal.core.views.permission_denied"
handler404 = "ai4media_portal.core.views.page_not_found"
handler500 = "ai4media_portal.core.views.server_error"

admin.site.site_header = "AI4Media portal administration"
admin.site.site_title = "AI4Media admin"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/live", core_views.healthz_live, name="healthz-live"),
    path("healthz/ready", core_views.healthz_ready, name="healthz-ready"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("search/", core_views.search, name="search"),
    path("sitemap.xml", core_sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", core_sitemaps.section, name="sitemap-section"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("ai4media_portal.accounts.urls")),
    path("admin/", admin.site.urls),
    path("network/", include("network.urls")),
    path("observatory/", include("observatory.urls")),
    path("aida/", include("aida.urls")),
    path("calls/", include("opencalls.urls")),
    path("fellows/", include("fellows.urls")),
    path("outputs/", include("outputs.urls")),
    path("oai/", include("outputs.oai_urls")),
    path("api/v1/", include("ai4media_portal.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
    # Public uploads only (logos, guides), served with headers that keep them from running as
    # pages; confidential files live in the "private" storage and are streamed by
    # permission-checked views.
    re_path(r"^media/(?P<path>.+)$", core_views.media, name="media"),
]
