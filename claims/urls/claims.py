from django.urls import path

from claims.views import claims

app_name = "claims"

urlpatterns = [
    path("", claims.claim_list, name="list"),
    path("<int:pk>/", claims.claim_detail, name="detail_by_id"),
    path("<int:pk>/<str:slug>/", claims.claim_detail, name="detail"),
]
