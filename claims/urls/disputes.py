from django.urls import path

from claims.views import disputes

app_name = "disputes"

urlpatterns = [
    path("", disputes.dispute_list, name="list"),
    path("<slug:slug>/", disputes.dispute_detail, name="detail"),
]
