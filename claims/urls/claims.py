from django.urls import path

from claims.pagination import PAGE_URL
from claims.views import claims, share

app_name = "claims"

urlpatterns = [
    path("", claims.claim_list, name="list"),
    path(PAGE_URL, claims.claim_list, name="list_page"),
    path("<int:pk>/", claims.claim_detail, name="detail_by_id"),
    path("<int:pk>/card.png", share.claim_card_png, name="card"),
    path("<int:pk>/<str:slug>/", claims.claim_detail, name="detail"),
]
