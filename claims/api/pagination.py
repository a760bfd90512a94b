"""The API's one pagination: numbered pages of a bounded size."""

from rest_framework.pagination import PageNumberPagination

from claims.views.claims import CLAIMS_PER_PAGE


class Pagination(PageNumberPagination):
    # The claims list's page size, so page N of the API is page N of the site.
    page_size = CLAIMS_PER_PAGE
    page_size_query_param = "page_size"
    # Bounds the work and the response of one request.
    max_page_size = 100
    page_size_query_description = (
        f"Records per page: {CLAIMS_PER_PAGE} unless asked, at most {max_page_size}."
    )
