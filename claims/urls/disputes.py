from django.urls import path

from claims import views

app_name = "disputes"

urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("<slug:slug>/", views.dispute_detail, name="detail"),
]
