"""A minimal HTTP client for the soak: keeps cookies and fills in Django admin forms."""

import http.client
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie


@dataclass
class Result:
    started: float
    ended: float
    status: int  # 0 when the server could not be reached at all
    location: str = ""
    body: str = ""


class FormFields(HTMLParser):
    """Every named field of one form, with the value the page gives it, as a browser sends it.

    The admin's add pages carry inline management forms and empty inline rows; reading them
    from the page keeps the soak's POSTs identical to what a browser would send."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in {"submit", "button", "file", "checkbox"}:
            self.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.fields[a["name"]] = a.get("value", "on")
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(a["name"], "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields.setdefault(a["name"], "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += (
                data.lstrip("\n") if not self.fields[self._textarea] else data
            )


def form_fields(html: str, form_id: str) -> dict[str, str]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


@dataclass
class Browser:
    host: str
    port: int
    timeout: float = 15.0
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: str = "") -> Result:
        started = time.monotonic()
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body.encode() if body else None, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except OSError:
            return Result(started, time.monotonic(), 0)
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Result(
            started, time.monotonic(), response.status, response.getheader("Location", ""), text
        )

    def get(self, path: str) -> Result:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> Result:
        from urllib.parse import urlencode

        return self.request("POST", path, urlencode(fields))
