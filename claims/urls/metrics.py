from django.urls import path

from claims import views

app_name = "metrics"

urlpatterns = [
    path("", views.metric_list, name="list"),
    path("<slug:slug>/", views.metric_detail, name="detail"),
]
