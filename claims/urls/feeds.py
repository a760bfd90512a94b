from django.urls import path

from claims import feeds

app_name = "feeds"

urlpatterns = [
    path("claims/", feeds.ClaimFeed(), name="claims"),
    path("corrections/", feeds.CorrectionFeed(), name="corrections"),
    path("parties/<slug:slug>/", feeds.PartyClaimFeed(), name="party"),
    path("disputes/<slug:slug>/", feeds.DisputeClaimFeed(), name="dispute"),
]
