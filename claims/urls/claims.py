from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="list"),
    path("<int:pk>/", views.claim_detail, name="detail_by_id"),
    path("<int:pk>/<str:slug>/", views.claim_detail, name="detail"),
]
