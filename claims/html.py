"""Markup for the rows a page repeats (claim cards, timeline rows, figures): the one
definition of escaping and bidi isolation that the template tags share.

Why not django.utils.html.format_html and conditional_escape: both are wrapped by
keep_lazy, which checks every argument for a lazy translation string on every call. A board
of 40 cards made some 2,300 such calls per request, a tenth of its time. The arguments here
are plain text, numbers and SafeStrings; the escaping is the same (html.escape with quotes,
as django.utils.html.escape does, and SafeData passed through as conditional_escape does).
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeData, SafeString, mark_safe

from claims.text import has_bidi_control


def html(markup: str, *args: object) -> SafeString:
    """format_html(markup, *args) for plain arguments: each escaped unless already safe;
    markup is ours, never a reader's or an article's text."""
    return mark_safe(  # every argument is escaped or already safe
        markup.format(*(a if isinstance(a, SafeData) else escape(str(a)) for a in args))
    )


def isolated(text: object) -> SafeString:
    """Published text, escaped, inside <bdi> when it carries directional controls, so that
    an override in it cannot reorder the marks, links and text around it."""
    if has_bidi_control(str(text)):
        return html("<bdi>{}</bdi>", text)
    return text if isinstance(text, SafeString) else mark_safe(escape(str(text)))
