# The public source pages show what claims cite, so they are served by the claims app under
# the "sources" namespace that Source.get_absolute_url() reverses.
from django.urls import path

from claims.pagination import PAGE_URL
from claims.views import sources

app_name = "sources"

urlpatterns = [
    path("", sources.source_list, name="list"),
    path(PAGE_URL, sources.source_list, name="list_page"),
    path("<slug:slug>/", sources.source_detail, name="detail"),
]
