from django.urls import path

from claims.views import metrics

app_name = "metrics"

urlpatterns = [
    path("", metrics.metric_list, name="list"),
    path("<slug:slug>/", metrics.metric_detail, name="detail"),
]
