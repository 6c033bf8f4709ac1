"""Reading what an HTTP answer means beyond its status code.

Bot walls and paywalls answer with 200, 403 or 503 but the page a reader would
get is fine, so they must be reported as "blocked", never as dead or flaky.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping

# Markers specific to one vendor's challenge or block page: trusted on any status.
_STRONG_MARKERS = (
    ("<title>just a moment...</title>", "Cloudflare challenge"),
    ("attention required! | cloudflare", "Cloudflare block page"),
    ("/cdn-cgi/challenge-platform/", "Cloudflare challenge"),
    ("cf-browser-verification", "Cloudflare challenge"),
    ("captcha-delivery.com", "DataDome captcha"),
    ("px-captcha", "PerimeterX captcha"),
    ("_incapsula_resource", "Imperva challenge"),
    ("pardon our interruption", "Imperva challenge"),
    ("awswafcaptcha", "AWS WAF captcha"),
    ('"isaccessibleforfree": false', "paywall"),
    ('"isaccessibleforfree":false', "paywall"),
    ('"isaccessibleforfree": "false"', "paywall"),
    ('"isaccessibleforfree":"false"', "paywall"),
)

# Generic captcha widgets also appear on ordinary pages (comment forms), so they
# only count when the server refused or failed the request.
_WEAK_MARKERS = (
    ("g-recaptcha", "captcha"),
    ("hcaptcha.com", "captcha"),
    ("challenges.cloudflare.com/turnstile", "captcha"),
    ("unusual traffic from your computer", "captcha"),
)

# Response headers that bot-protection services put on every answer. A HEAD that
# succeeds through one of them is confirmed with a GET, because the challenge
# is often only visible in the body.
_VENDOR_HEADERS = ("x-datadome", "x-px-block", "x-sucuri-id", "x-iinfo", "x-amzn-waf-action")
_VENDOR_SERVERS = ("cloudflare", "ddos-guard", "sucuri")

# Non-standard status used by LinkedIn-like hosts to refuse crawlers.
BOT_REFUSAL_STATUS = 999


def wall_from_headers(status: int, headers: Mapping[str, str]) -> str | None:
    """Recognise a bot wall from the status and headers alone."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "bot wall (Cloudflare challenge)"
    if headers.get("x-amzn-waf-action", "").lower() in ("captcha", "challenge"):
        return "bot wall (AWS WAF captcha)"
    if status == BOT_REFUSAL_STATUS:
        return "bot wall (HTTP 999 crawler refusal)"
    return None


def wall_from_body(status: int, body: str) -> str | None:
    """Recognise a bot wall or paywall from the first bytes of the page."""
    text = body.lower()
    for marker, name in _STRONG_MARKERS:
        if marker in text:
            return name if name == "paywall" else f"bot wall ({name})"
    if status >= 400:
        for marker, name in _WEAK_MARKERS:
            if marker in text:
                return f"bot wall ({name})"
    return None


def behind_bot_protection(headers: Mapping[str, str]) -> bool:
    """True when the headers show a bot-protection service in front of the site."""
    if any(name in headers for name in _VENDOR_HEADERS):
        return True
    server = headers.get("server", "").lower()
    return any(vendor in server for vendor in _VENDOR_SERVERS)


def is_html(headers: Mapping[str, str]) -> bool:
    """True when the body is (or may be) a web page; walls are always HTML."""
    content_type = headers.get("content-type", "").lower()
    return not content_type or "html" in content_type


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)
