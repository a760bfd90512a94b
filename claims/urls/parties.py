from django.urls import path

from claims.pagination import PAGE_URL
from claims.views import parties

app_name = "parties"

urlpatterns = [
    path("", parties.party_list, name="list"),
    path(PAGE_URL, parties.party_list, name="list_page"),
    path("<slug:slug>/", parties.party_detail, name="detail"),
    path("<slug:slug>/" + PAGE_URL, parties.party_detail, name="detail_page"),
]
