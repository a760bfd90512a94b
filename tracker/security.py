"""Response headers and client identification that the settings alone cannot express."""

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What a response may carry that makes its policy its own (django-csp's decorators), rather
# than the site's from settings.
_PER_RESPONSE = (
    "_csp_exempt", "_csp_exempt_ro", "_csp_config", "_csp_update", "_csp_replace",
    "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro",
)  # fmt: skip


@cache
def site_policy(report_only: bool) -> str:
    """The site's policy from settings, the same string for every plain response: built once
    per process instead of per response (it was a third of a cached page's cost)."""
    return build_policy(report_only=report_only)


def _forget_site_policy(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policy.cache_clear()


setting_changed.connect(_forget_site_policy)


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
        if not _is_plain(request, response):
            return super().process_response(request, response)
        # django-csp's own steps for a response with nothing of its own (no nonce, no
        # decorator, no excluded prefix), with the site's policy built once per process.
        if response.status_code in {404, 500} and settings.DEBUG:
            return response  # Django's debug pages, as django-csp leaves them
        for header, report_only in ((HEADER, False), (HEADER_REPORT_ONLY, True)):
            policy = site_policy(report_only)
            if policy and header not in response:
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


def _is_plain(request: HttpRequest, response: HttpResponseBase) -> bool:
    if getattr(request, "_csp_nonce", None) is not None:
        return False
    if any(hasattr(response, name) for name in _PER_RESPONSE):
        return False
    for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        if (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES"):
            return False
    return True


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
