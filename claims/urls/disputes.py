from django.urls import path

from claims.pagination import PAGE_URL
from claims.views import disputes, share

app_name = "disputes"

urlpatterns = [
    path("", disputes.dispute_list, name="list"),
    path(PAGE_URL, disputes.dispute_list, name="list_page"),
    path("<slug:slug>/", disputes.dispute_detail, name="detail"),
    path("<slug:slug>/points/<int:pk>/sides/<int:side>/", disputes.dispute_cell, name="cell"),
    path(
        "<slug:slug>/points/<int:pk>/sides/<int:side>/" + PAGE_URL,
        disputes.dispute_cell,
        name="cell_page",
    ),
    path("<slug:slug>/points/<int:pk>/card.png", share.point_card_png, name="point_card"),
]
