from django.urls import path

from claims.views import claims, share

app_name = "claims"

urlpatterns = [
    path("", claims.claim_list, name="list"),
    path("<int:pk>/", claims.claim_detail, name="detail_by_id"),
    path("<int:pk>/card.png", share.claim_card_png, name="card"),
    path("<int:pk>/<str:slug>/", claims.claim_detail, name="detail"),
]
