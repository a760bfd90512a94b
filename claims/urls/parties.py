from django.urls import path

from claims.views import parties

app_name = "parties"

urlpatterns = [
    path("", parties.party_list, name="list"),
    path("<slug:slug>/", parties.party_detail, name="detail"),
]
