from django.urls import path

from claims.pagination import PAGE_URL
from claims.views import metrics

app_name = "metrics"

urlpatterns = [
    path("", metrics.metric_list, name="list"),
    path(PAGE_URL, metrics.metric_list, name="list_page"),
    path("<slug:slug>/", metrics.metric_detail, name="detail"),
    path("<slug:slug>/" + PAGE_URL, metrics.metric_detail, name="detail_page"),
]
