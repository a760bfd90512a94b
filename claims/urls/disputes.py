from django.urls import path

from claims.views import disputes, share

app_name = "disputes"

urlpatterns = [
    path("", disputes.dispute_list, name="list"),
    path("<slug:slug>/", disputes.dispute_detail, name="detail"),
    path("<slug:slug>/points/<int:pk>/card.png", share.point_card_png, name="point_card"),
]
