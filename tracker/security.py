"""Response headers and client identification that the settings alone cannot express."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


def is_embed_path(path: str) -> bool:
    return path.startswith(settings.EMBED_PATH_PREFIX)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy from settings, with one exception by path: embeddable pages.

    Pages under EMBED_PATH_PREFIX are shown in iframes by newsrooms' CMSs (oEmbed), so any
    site may frame them: `frame-ancestors *` and no X-Frame-Options. The rule is by path,
    not by view, so a 404 or an error under the prefix gets the same headers as the page.
    Listed above XFrameOptionsMiddleware, it sees the response after that header is set.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_embed_path(request.path_info):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["*"]}
        return parts

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if is_embed_path(request.path_info):
            response.headers.pop("X-Frame-Options", None)
        return super().process_response(request, response)


def client_ip_address(request: HttpRequest) -> str | None:
    """The address django-axes counts failed logins against.

    Behind the TLS proxy every connection comes from the proxy, so the client is the last
    address in X-Forwarded-For: the one our proxy appended. Anything to its left was sent
    by the client and may be forged to dodge the lockout. Without the proxy the header is
    ignored entirely for the same reason.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")
