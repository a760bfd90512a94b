"""Adding a source in the admin: pasted text or an uploaded file, refusals that say why."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sources.models import Source
from tests.factories import make_source

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:sources_source_add")
ARTICLE = (
    "Acme denies everything\n\n"
    "“We have never sold a fake,” said Jane Roe, the company’s chief executive officer.\n"
    "Takedown requests fell 25% last year."
)


def form_data(**overrides) -> dict:
    data = {
        "title": "Acme denies everything",
        "slug": "acme-denies-everything",
        "kind": Source.Kind.ARTICLE,
        "author": "A. Reporter",
        "url": "https://news.example.org/acme-denies",
        "published_on": "2018-01-15",
        "published_precision": "day",
        "date_note": "",
        "body": ARTICLE,
    }
    data.update(overrides)
    return data


def test_an_analyst_adds_a_source_by_pasting_its_text(client, superuser):
    client.force_login(superuser)
    response = client.post(ADD_URL, form_data(body=ARTICLE.replace("\n", "\r\n")))
    assert response.status_code == 302
    source = Source.objects.get(slug="acme-denies-everything")
    assert source.body == ARTICLE  # browsers send CRLF; the stored text has plain newlines
    assert source.published_on == datetime.date(2018, 1, 15)
    assert source.added_by == superuser


def test_a_txt_upload_becomes_the_body(client, superuser):
    client.force_login(superuser)
    upload = SimpleUploadedFile("article.txt", ARTICLE.encode("cp1252", errors="strict"))
    response = client.post(ADD_URL, {**form_data(body=""), "upload": upload})
    assert response.status_code == 302
    assert Source.objects.get(slug="acme-denies-everything").body == ARTICLE


def test_an_html_upload_is_reduced_to_its_article_text(client, superuser):
    client.force_login(superuser)
    html = (
        "<html><head><meta charset='utf-8'><title>Acme</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/about'>About us</a></nav>"
        "<article><h1>Acme denies everything</h1>"
        "<p>“We have never sold a fake,” said Jane Roe, the company’s chief executive officer, "
        "in a statement published on Monday after weeks of pressure from brand owners.</p>"
        "<p>Takedown requests fell 25% last year, the company said, a fall it attributes to "
        "its own filtering of listings before they go live.</p></article>"
        "<footer>Copyright Example News. Privacy policy.</footer></body></html>"
    )
    upload = SimpleUploadedFile("acme.html", html.encode("utf-8"), content_type="text/html")
    response = client.post(ADD_URL, {**form_data(body=""), "upload": upload})
    assert response.status_code == 302
    body = Source.objects.get(slug="acme-denies-everything").body
    assert "“We have never sold a fake,” said Jane Roe" in body
    assert "Takedown requests fell 25% last year" in body
    assert "Privacy policy" not in body
    assert "<p>" not in body


def test_an_oversized_upload_is_refused_and_nothing_is_saved(client, superuser, settings):
    settings.SOURCE_UPLOAD_MAX_BYTES = 1000
    client.force_login(superuser)
    upload = SimpleUploadedFile("big.txt", b"x" * 1001)
    response = client.post(ADD_URL, {**form_data(body=""), "upload": upload})
    assert response.status_code == 200
    assert "“big.txt” is 1001\xa0bytes; the largest file accepted is 1000\xa0bytes" in response.text
    assert not Source.objects.exists()


def test_an_oversized_upload_on_an_existing_source_leaves_its_text_unchanged(
    client, superuser, settings
):
    settings.SOURCE_UPLOAD_MAX_BYTES = 1000
    client.force_login(superuser)
    source = make_source()
    before = source.body
    url = reverse("admin:sources_source_change", args=[source.pk])
    data = form_data(slug=source.slug, url=source.url, body=source.body)
    response = client.post(url, {**data, "upload": SimpleUploadedFile("big.txt", b"x" * 5000)})
    assert "the largest file accepted is 1000\xa0bytes" in response.text
    source.refresh_from_db()
    assert source.body == before


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("article.pdf", b"%PDF-1.4", "is not a .txt or .html file"),
        ("article.txt", b"\x00\x01\x02binary", "binary, not text"),
        ("empty.html", b"<html><body><script>x()</script></body></html>", "No article text"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_with_a_message(
    client, superuser, name, content, expected
):
    client.force_login(superuser)
    response = client.post(
        ADD_URL, {**form_data(body=""), "upload": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert expected in response.text
    assert not Source.objects.exists()


def test_pasting_text_and_uploading_a_file_at_once_is_refused(client, superuser):
    client.force_login(superuser)
    upload = SimpleUploadedFile("article.txt", b"Other text.")
    response = client.post(ADD_URL, {**form_data(), "upload": upload})
    assert "Paste the text or upload a file, not both." in response.text
    assert not Source.objects.exists()


def test_a_source_without_any_text_is_refused(client, superuser):
    client.force_login(superuser)
    response = client.post(ADD_URL, form_data(body=""))
    assert "Paste the article text, or upload a .txt or .html file." in response.text
    assert not Source.objects.exists()


def test_a_malformed_date_is_refused_with_a_clear_message(client, superuser):
    client.force_login(superuser)
    response = client.post(ADD_URL, form_data(published_on="15th of Janvier"))
    assert "type YYYY-MM-DD (2018-05-22), YYYY-MM (2018-05) or YYYY (2018)" in response.text
    assert not Source.objects.exists()


def test_a_duplicate_url_is_refused_with_a_link_to_the_existing_source(client, superuser):
    client.force_login(superuser)
    existing = make_source(title="<b>First</b> & only", url="https://news.example.org/acme-denies")
    response = client.post(ADD_URL, form_data())
    assert response.status_code == 200
    link = reverse("admin:sources_source_change", args=[existing.pk])
    assert (
        f'A source with this URL is already in the database: <a href="{link}">'
        "&lt;b&gt;First&lt;/b&gt; &amp; only</a>."
    ) in response.text
    assert Source.objects.count() == 1


def test_a_duplicate_body_is_refused_with_a_link_to_the_existing_source(client, superuser):
    client.force_login(superuser)
    existing = make_source(title="The original", body=ARTICLE, url="")
    response = client.post(ADD_URL, form_data(url=""))
    link = reverse("admin:sources_source_change", args=[existing.pk])
    assert (
        f'A source with this exact text is already in the database: <a href="{link}">'
        "The original</a>."
    ) in response.text
    assert Source.objects.count() == 1


def test_the_change_page_links_to_the_proposals(client, superuser):
    client.force_login(superuser)
    source = make_source()
    response = client.get(reverse("admin:sources_source_change", args=[source.pk]))
    proposals = reverse("admin:sources_source_proposals", args=[source.pk])
    assert f'href="{proposals}"' in response.text
    assert "multipart/form-data" in response.text


def test_a_source_with_a_non_latin_title_and_no_slug_is_added_with_one(client, superuser):
    client.force_login(superuser)
    response = client.post(ADD_URL, form_data(title="阿里巴巴回应", slug=""))
    assert response.status_code == 302
    source = Source.objects.get(title="阿里巴巴回应")
    assert source.slug == "source"
    assert client.get(source.get_absolute_url()).status_code == 200
