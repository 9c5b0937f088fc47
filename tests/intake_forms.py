"""Helpers for intake tests: a valid set of answers, and a form fetched the way a browser gets it."""

from __future__ import annotations

import re
from html import unescape

VALID = {
    "for_whom": "self",
    "name": "Dana",
    "phone": "(614) 555-0123",
    "contact_method": "phone",
    "contact_time": "any",
    "language": "en",
    "consent": "y",
    "privacy_ack": "y",
}

_HIDDEN = re.compile(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"')
_REFERENCE = re.compile(r'id="reference">([^<]+)<')


def hidden_fields(html: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in _HIDDEN.findall(html)}


def prechecked(html: str) -> dict[str, list[str]]:
    """Checkboxes the page arrives with already ticked (a browser sends them unless unticked)."""
    ticked: dict[str, list[str]] = {}
    for tag in re.findall(r"<input [^>]*>", html):
        if 'type="checkbox"' in tag and re.search(r"\bchecked\b", tag):
            name = re.search(r'name="([^"]+)"', tag).group(1)
            ticked.setdefault(name, []).append(re.search(r'value="([^"]*)"', tag).group(1))
    return ticked


def form_data(client, query: str = "", **answers) -> dict:
    """GET /intake (with `query`), then the answers a person would send from that page."""
    page = client.get("/intake" + query)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return hidden_fields(html) | prechecked(html) | VALID | answers


def is_checked(html: str, name: str, value: str) -> bool:
    """Whether the checkbox or radio button `name=value` is rendered checked."""
    for tag in re.findall(r"<input [^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return re.search(r"\bchecked\b", tag) is not None
    raise AssertionError(f"no input {name}={value}")


def is_selected(html: str, name: str, value: str) -> bool:
    select = re.search(rf'<select [^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    option = re.search(rf'<option [^>]*value="{value}"[^>]*>', select.group(1))
    return option is not None and "selected" in option.group(0)


def reference_in(html: str) -> str | None:
    found = _REFERENCE.search(html)
    return found.group(1) if found else None
