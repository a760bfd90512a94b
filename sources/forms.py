"""The source form of the admin: paste the text or upload a .txt or .html file."""

from __future__ import annotations

import re
from pathlib import PurePath

import trafilatura
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join

from sources.dates import PreciseDateModelForm
from sources.models import Source
from sources.validation import describe_control_character, first_control_character

UPLOAD_EXTENSIONS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


class UnreadableUpload(ValueError):
    """The file is not text in any encoding we can recognise, or has no article in it."""


def decode_bytes(data: bytes, *, kind: str = "text") -> str:
    """Bytes to text: a byte-order mark, an HTML <meta charset>, UTF-8, then Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    candidates = []
    if kind == "html" and (match := _META_CHARSET.search(data[:4096])):
        candidates.append(match.group(1).decode("ascii"))
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    raise UnreadableUpload("The file is not readable text (try saving it as UTF-8).")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def article_text(data: bytes, *, filename: str) -> str:
    """The article text of an uploaded .txt file, or of an .html page (via trafilatura,
    offline: it parses the bytes it is given and fetches nothing)."""
    kind = UPLOAD_EXTENSIONS.get(PurePath(filename).suffix.lower())
    if kind is None:
        raise UnreadableUpload("Upload a .txt or .html file.")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableUpload("The file is binary, not text; upload a .txt or .html file.")
    text = decode_bytes(data, kind=kind)
    if kind == "html":
        text = (
            trafilatura.extract(
                text,
                include_comments=False,
                include_tables=False,
                favor_recall=True,
                with_metadata=False,
            )
            or ""
        )
    text = normalise_newlines(text).strip()
    if not text:
        raise UnreadableUpload("No article text was found in the file.")
    if (index := first_control_character(text)) is not None:
        # Anywhere in the file, not only in the first 4 KB sniffed above.
        raise UnreadableUpload(
            f"The file contains {describe_control_character(text, index)}, so it is not "
            "plain text (or it is damaged); save the article as UTF-8 text and upload that."
        )
    return text


class SourceForm(PreciseDateModelForm):
    """Add or correct a source; the body comes from the text box or from an uploaded file."""

    precise_dates = {"published_on": "published_precision"}

    upload = forms.FileField(
        required=False,
        label="or upload a file",
        help_text="A .txt or .html file; the article text is taken from an HTML page. "
        "Replaces the text above.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.text,.html,.htm"}),
    )
    save_anyway = forms.BooleanField(
        required=False,
        label="Save anyway",
        help_text="Tick to save a text that is nearly the same as an existing source "
        "(when it is a different article, or a version worth keeping apart).",
    )

    class Meta:
        model = Source
        fields = [
            "title",
            "slug",
            "kind",
            "outlet",
            "author",
            "url",
            "published_on",
            "date_note",
            "body",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].required = False
        # Left empty (a title in a script a slug cannot spell, say), the model makes one.
        slug = self.fields["slug"]
        slug.required = False
        slug.help_text = "The web address of the source; made from the title if left empty."
        self.fields["body"].help_text = (
            "Paste the full text as published, or upload a file below. "
            "Every quote is checked against it."
        )

    def clean_body(self) -> str:
        return normalise_newlines(self.cleaned_data.get("body") or "").strip()

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        limit = settings.SOURCE_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                "“%(name)s” is %(size)s; the largest file accepted is %(limit)s. "
                "Paste the article text instead, or upload only the article.",
                code="upload_too_large",
                params={
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(limit),
                },
            )
        if PurePath(upload.name).suffix.lower() not in UPLOAD_EXTENSIONS:
            raise ValidationError(
                "“%(name)s” is not a .txt or .html file.",
                code="upload_wrong_type",
                params={"name": upload.name},
            )
        try:
            return article_text(upload.read(limit + 1), filename=upload.name)
        except UnreadableUpload as exc:
            raise ValidationError(str(exc), code="upload_unreadable") from exc

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        uploaded = cleaned.get("upload")
        if "upload" in self.errors:
            return cleaned
        pasted_new_text = "body" in self.changed_data and cleaned.get("body")
        if uploaded and pasted_new_text:
            raise ValidationError(
                "Paste the text or upload a file, not both.", code="body_and_upload"
            )
        if uploaded:
            cleaned["body"] = uploaded
        if not cleaned.get("body"):
            self.add_error("body", "Paste the article text, or upload a .txt or .html file.")
        elif not cleaned.get("save_anyway") and (
            "body" in self.changed_data or uploaded or not self.instance.pk
        ):
            self._flag_nearly_the_same(cleaned["body"])
        return cleaned

    def _flag_nearly_the_same(self, body: str) -> None:
        others = Source.objects.exclude(pk=self.instance.pk) if self.instance.pk else None
        similar = (others or Source.objects.all()).nearly_the_same_as(body)
        if not similar:
            return
        links = format_html_join(
            ", ", '<a href="{}">{}</a>', ((s.get_admin_url(), s.title) for s in similar)
        )
        self.add_error(
            "body",
            ValidationError(
                format_html(
                    "This text is nearly the same as {} (the same article, perhaps with "
                    "page menus or footers around it). Check it; tick “Save anyway” below "
                    "to keep both.",
                    links,
                ),
                code="nearly_duplicate_body",
            ),
        )

    def _update_errors(self, errors: ValidationError) -> None:
        # Source.clean() names an existing duplicate in plain text (it is model code, used
        # outside HTML too); here the admin turns that into a link. Only the escaped title
        # and the admin URL go into the markup.
        if hasattr(errors, "error_dict"):
            for name, field_errors in errors.error_dict.items():
                errors.error_dict[name] = [_linked(error) for error in field_errors]
        super()._update_errors(errors)  # type: ignore[misc]  # private, absent from the stubs


def _linked(error: ValidationError) -> ValidationError:
    if error.code not in {"duplicate_url", "duplicate_body"} or not error.params:
        return error
    what = "this URL" if error.code == "duplicate_url" else "this exact text"
    message = format_html(
        'A source with {} is already in the database: <a href="{}">{}</a>.',
        what,
        error.params["link"],
        error.params["title"],
    )
    return ValidationError(message, code=error.code)
