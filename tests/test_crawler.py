"""Every role, over the demo data, follows every same-site link it is shown, breadth-first from its home page.

It fails on any 5xx, on a shown link that answers 403 or 404 (a dead end), and on "None" or English-only words in the
visible text of a Vietnamese page. It runs under the test settings and again as production runs (DEBUG off, the
manifest static storage after a real collectstatic). Every page (path) a role is shown is visited, each record's
own pages included, to the end of the queue; only query strings are bounded: the same path under other filters, page
numbers or sort orders is visited QUERY_VARIANTS times, since its links are those of the page already seen.
One test per role and mode, so that xdist runs them side by side.
"""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from accounts.models import User

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "quantri", "chuyenvien", "lanhdao", "kcv.thuynguyen", "kcv.cathai", "giamkhao"]
QUERY_VARIANTS = 2  # per path: the same page under other filters, another page number or sort order
MAX_PAGES = 3000  # per role; far above what the demo holds, so reaching it is itself a failure
# /media/ files are served by their own scoped views (another change); the crawler leaves them to it.
SKIP_PREFIXES = ("/accounts/logout", "/admin/logout", "/media/")
# Django's admin is its own (translated) application: checked for errors from its index, not walked.
NOT_WALKED = ("/admin/",)
BINARY_HINTS = (".xlsx", ".pdf", ".png", ".jpg", ".jpeg", ".csv", ".zip", "/tai-ve", "/anh/", "/thumbnail", ".js")
# Words an English-only string would show on a Vietnamese page (Django's defaults, a forgotten label, a raw value).
ENGLISH = re.compile(
    r"\b(None|True|False|null|undefined|Forbidden|Not Found|Server Error|Bad Request|Page not found|Submit|"
    r"Previous|Next|Search|Delete|Save|Cancel|Loading|Unknown|This field is required|Enter a valid|"
    r"Select a valid choice|Page \d+ of|Yes|No)\b"
)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Page(HTMLParser):
    """Links (a href) and the visible text of a page (not scripts, styles, or elements hidden until shown)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self._stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        classes = (attrs.get("class") or "").split()
        hidden = (
            tag in ("script", "style", "template", "noscript", "option", "textarea")
            or "hidden" in attrs
            or "d-none" in classes
        )
        if not hidden and not self._hidden():
            for name in ("title", "placeholder", "aria-label", "alt"):
                if attrs.get(name):
                    self.text.append(attrs[name])
        if tag not in VOID:
            self._stack.append((tag, hidden))

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data):
        if not self._hidden():
            self.text.append(data)


def _same_site(href: str, base: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "#", "data:")):
        return None
    url, _fragment = urldefrag(urljoin("http://testserver" + base, href))
    parts = urlsplit(url)
    if parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, start: str = "/") -> tuple[Counter, list[str], int]:
    """Breadth-first walk. Returns (status counts, problems, pages visited)."""
    queue = deque([(start, "(start)")])
    seen = {start}
    variants: Counter = Counter()
    statuses: Counter = Counter()
    problems: list[str] = []
    visited = 0
    while queue and visited < MAX_PAGES:
        url, source = queue.popleft()
        visited += 1
        response = client.get(url)
        statuses[response.status_code] += 1
        where = f"{url} (link on {source})"
        if response.status_code >= 500:
            problems.append(f"{response.status_code} {where}")
            continue
        if response.status_code in (403, 404) and source != "(start)":
            problems.append(f"{response.status_code} {where}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            target = _same_site(response["Location"], url)
            if target and target not in seen:
                seen.add(target)
                queue.append((target, url))
            continue
        if "text/html" not in response.get("Content-Type", "") or url.startswith(NOT_WALKED):
            continue
        page = _Page()
        page.feed(response.content.decode())
        text = " ".join(" ".join(page.text).split())
        if response.status_code == 200 and (match := ENGLISH.search(text)):
            start_at = max(match.start() - 60, 0)
            problems.append(f"English/None {match.group(0)!r} on {url}: …{text[start_at : match.end() + 60]}…")
        for href in page.links:
            target = _same_site(href, url)
            if not target or target in seen or target.startswith(SKIP_PREFIXES):
                continue
            seen.add(target)
            path, _, query = target.partition("?")
            if query:
                if variants[path] >= QUERY_VARIANTS:
                    continue
                variants[path] += 1
            if any(hint in target.lower() for hint in BINARY_HINTS):
                # A download is checked, not parsed.
                answer = client.get(target)
                visited += 1
                statuses[answer.status_code] += 1
                if answer.status_code >= 500 or answer.status_code in (403, 404):
                    problems.append(f"{answer.status_code} {target} (download on {url})")
                continue
            queue.append((target, url))
    if queue:
        problems.append(f"stopped after {MAX_PAGES} pages with {len(queue)} still queued")
    return statuses, problems, visited


def _crawl(label: str, username: str) -> list[str]:
    client = Client()
    if username != "anonymous":
        client.force_login(User.objects.get(username=username))
    statuses, found, visited = crawl(client)
    print(f"CRAWL {label} {username}: {visited} pages, status {dict(sorted(statuses.items()))}")
    for problem in found:
        print(f"PROBLEM [{label} {username}] {problem}")
    return [f"[{label} {username}] {p}" for p in found]


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """collectstatic once per test process with the manifest storage production uses (hashed names; the image's
    compressed copies are tests/core/test_deploy.py's business)."""
    static_root = tmp_path_factory.mktemp("static")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=static_root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return static_root, storages


@pytest.mark.parametrize("username", ROLES)
def test_every_role_crawls_the_demo_without_errors_dead_links_or_english(demo, username):
    problems = _crawl("test-settings", username)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("username", ROLES)
def test_every_role_crawls_the_demo_as_production_runs(demo, production_static, username):
    """DEBUG off, the manifest static storage after a real collectstatic."""
    static_root, storages = production_static
    with override_settings(DEBUG=False, STATIC_ROOT=static_root, STORAGES=storages):
        login_page = Client().get("/accounts/login/").content.decode()
        assert re.search(r"/static/css/app\.[0-9a-f]{12}\.css", login_page), "the manifest storage is not in use"
        problems = _crawl("production", username)
    assert not problems, "\n".join(problems)
