# Share images without a page of their own, oEmbed and the frameable /embed/ pages (another
# setting allows framing, by CSP frame-ancestors, for exactly the /embed/ prefix).
from django.urls import path

from claims.views import embeds, share

app_name = "share"

urlpatterns = [
    path("card.png", share.site_card_png, name="site_card"),
    path("oembed/", embeds.oembed, name="oembed"),
    path("embed/claims/<int:pk>/", embeds.embed_claim, name="embed_claim"),
    path("embed/points/<int:pk>/", embeds.embed_point, name="embed_point"),
]
