"""#12.11: security headers, no page loading anything from outside, API docs behind a login."""

import datetime as dt
import os
import re
import runpy
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import investpromo.settings as app_settings
from investpromo.core.audit import system_user
from investpromo.followup.services import record_progress, take_snapshot
from investpromo.jobs.models import Job
from investpromo.participants import services as participant_services
from tests.factories import make_event, make_project

pytestmark = pytest.mark.django_db
PROJECT_DIR = Path(app_settings.__file__).resolve().parents[1]
REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
REMOTE_IMPORT = re.compile(r"@import\s+(?:url\()?\s*['\"]?\s*(?:https?:)?//", re.IGNORECASE)
LOADING_TAGS = {"script": "src", "img": "src", "iframe": "src", "link": "href"}


class _Loads(HTMLParser):
    """What a page makes the browser fetch: script, image and frame sources, linked files."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self.handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in LOADING_TAGS and attrs.get(LOADING_TAGS[tag]):
            self.urls.append(attrs[LOADING_TAGS[tag]])
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.inline_scripts += 1
        self.handlers += [name for name in attrs if name.startswith("on")]


def _html_pages(client, kwargs_for) -> dict[str, str]:
    """Every page a GET reaches (web, admin, API documentation), by URL."""
    pages = {}

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                if ns == "admin":
                    continue  # the admin's pages: below, one per registered model
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if pattern.pattern.regex.groupindex:
                    if namespace == "api":
                        continue  # JSON endpoints; the API's pages (docs, redoc) have no parameters
                    if name not in kwargs_for:
                        # A new page with parameters: say here what to render it with.
                        raise AssertionError(f"no sample arguments for {name}")
                    pages[reverse(name, kwargs=kwargs_for[name])] = name
                elif "^" not in str(pattern.pattern) or str(pattern.pattern).startswith("^"):
                    try:
                        pages[reverse(name)] = name
                    except Exception:  # a catch-all such as the API's JSON 404
                        continue

    walk(get_resolver().url_patterns)
    pages[reverse("admin:index")] = "admin:index"
    for model in admin.site._registry:
        meta = model._meta
        pages[reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")] = "admin list"
        pages[reverse(f"admin:{meta.app_label}_{meta.model_name}_add")] = "admin add"
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            pages[url] = "admin change"
    html = {}
    for url in pages:
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            html[url] = response.content.decode()
    return html


@pytest.fixture
def every_record(admin_user, admin_client):
    """One of each record a page shows: event, project, step with evidence, snapshot, upload."""
    event = make_event()
    project = make_project(event=event)
    step = record_progress(
        actor=system_user(),
        project=project,
        stage="registered",
        date=dt.date(2024, 9, 10),
        evidence_files=[SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test")],
    )
    snapshot = take_snapshot(
        actor=system_user(), event=event, as_of=dt.date(2024, 9, 30), label="九月"
    )
    csv = "项目名称,投资方,进展阶段,日期\n测试项目,测试投资有限公司,开工,2024-10-08\n"
    admin_client.post(
        reverse("web:progress_import_index"),
        {"file": SimpleUploadedFile("p.csv", csv.encode())},
    )
    progress_job = Job.objects.get(kind=Job.Kind.PROGRESS_IMPORT)
    admin_client.post(
        reverse("web:import_index"),
        {"event": event.slug, "file": SimpleUploadedFile("s.csv", "项目名称\n".encode())},
    )
    job = Job.objects.get(kind=Job.Kind.SIGNING_IMPORT)
    evidence = step.evidence.get()
    participant = participant_services.create_participant(
        actor=system_user(), event=event, name="测试参会单位", side="visitor"
    )
    _link, token = participant_services.issue_portal_link(
        actor=system_user(), participant=participant
    )
    return {
        "web:portal": {"token": token},
        "web:event_detail": {"slug": event.slug},
        "web:event_bulletin": {"slug": event.slug},
        "web:snapshot_create": {"slug": event.slug},
        "web:project_detail": {"pk": project.pk},
        "web:project_edit": {"pk": project.pk},
        "web:project_delete": {"pk": project.pk},
        "web:record_step": {"pk": project.pk},
        "web:organisation_detail": {"pk": project.investor_id},
        "web:region_detail": {"code": "230103"},
        "web:import_detail": {"pk": job.pk},
        "web:import_progress": {"pk": job.pk},
        "web:import_confirm": {"pk": job.pk},
        "web:import_problems": {"pk": job.pk},
        "web:progress_import_detail": {"pk": progress_job.pk},
        "web:progress_import_progress": {"pk": progress_job.pk},
        "web:progress_import_confirm": {"pk": progress_job.pk},
        "web:progress_import_problems": {"pk": progress_job.pk},
        "web:evidence_download": {"pk": evidence.pk},
        "web:snapshot_detail": {"pk": snapshot.pk},
        "web:event_edit": {"slug": event.slug},
        # The user pages, on the signed-in administrator's own account.
        **{
            f"web:user_{page}": {"pk": get_user_model().objects.get(username="admin").pk}
            for page in ("edit", "deactivate", "reactivate", "password")
        },
    }


def test_pages_load_nothing_from_outside(admin_client, every_record):
    pages = _html_pages(admin_client, every_record)
    # Signed in, the sign-in page sends you on: render it as a visitor.
    pages["/accounts/login/"] = Client().get("/accounts/login/").content.decode()
    for must in ["/", "/api/docs/", "/api/redoc/", "/admin/", "/accounts/login/"]:
        assert must in pages, f"{must} did not render"
    assert len(pages) >= 30
    for url, page in pages.items():
        loads = _Loads()
        loads.feed(page)
        remote = [src for src in loads.urls if REMOTE.match(src)]
        assert not remote, f"{url} loads {remote}"
        assert not REMOTE_IMPORT.search(page), f"{url} imports a remote stylesheet"
        # What the Content-Security-Policy would block anyway: code written into the page.
        assert loads.inline_scripts == 0, f"{url} has an inline <script>"
        assert not loads.handlers, f"{url} has inline event handlers {loads.handlers}"
    # The documentation's scripts and styles are the app's own files.
    for url in ["/api/docs/", "/api/redoc/"]:
        loads = _Loads()
        loads.feed(pages[url])
        assert loads.urls and all(src.startswith(("/static/", url)) for src in loads.urls)


def test_security_headers_content_security_policy(admin_client, every_record):
    response = admin_client.get("/")
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline script, no eval, nothing from outside
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    docs = admin_client.get("/api/redoc/")["Content-Security-Policy"]
    assert "script-src 'self';" in docs + ";" and "https:" not in docs


def _settings_with(monkeypatch, tmp_path, **env) -> dict:
    for name in ["DJANGO_DEBUG", "DJANGO_SECURE_COOKIES", "DJANGO_SSL_REDIRECT"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INVESTPROMO_DATA_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(app_settings.__file__)


def test_security_headers_hsts_and_https_redirect_with_secure_cookies(
    monkeypatch, tmp_path, client, settings
):
    production = _settings_with(monkeypatch, tmp_path)
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600
    plain_http = _settings_with(monkeypatch, tmp_path, DJANGO_SECURE_COOKIES="0")
    assert plain_http["SECURE_SSL_REDIRECT"] is False and plain_http["SECURE_HSTS_SECONDS"] == 0

    settings.SECURE_SSL_REDIRECT = production["SECURE_SSL_REDIRECT"]
    settings.SECURE_HSTS_SECONDS = production["SECURE_HSTS_SECONDS"]
    redirected = client.get("/accounts/login/")
    assert redirected.status_code == 301
    assert redirected["Location"] == "https://testserver/accounts/login/"
    secure = client.get("/accounts/login/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == f"max-age={production['SECURE_HSTS_SECONDS']}"


def test_make_run_serves_with_debug_off(monkeypatch, tmp_path, client, settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout
    serve = next(line for line in recipe.splitlines() if " runserver " in line)
    # The variables `make run` gives the server (KEY=value words just before the command).
    prefix = serve.split(";")[-1].split(" runserver ")[0].rsplit(" ", 1)[0]
    given = subprocess.run(
        ["bash", "-c", f"{prefix} env"], env=env, capture_output=True, text=True, check=True
    ).stdout
    server_env = dict(line.split("=", 1) for line in given.splitlines() if "=" in line)
    server_env = {k: v for k, v in server_env.items() if k.startswith("DJANGO_")}
    served = _settings_with(monkeypatch, tmp_path, **server_env)

    assert served["DEBUG"] is False  # an error page never shows settings or the environment
    assert {"127.0.0.1", "localhost"} <= set(served["ALLOWED_HOSTS"])
    # Plain HTTP on this machine: the session cookie must still be sent back.
    assert served["SESSION_COOKIE_SECURE"] is False and served["SECURE_SSL_REDIRECT"] is False
    # Without DEBUG, runserver serves no static files: WhiteNoise does, from the apps too.
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in served["MIDDLEWARE"]
    assert served["WHITENOISE_USE_FINDERS"] is True
    settings.DEBUG = False
    assert client.get("/static/web/app.css").status_code == 200
    assert (
        client.get("/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js").status_code
        == 200
    )


def test_api_docs_need_login_by_default(client, admin_client_for_docs, settings):
    assert client.get("/api/schema/").status_code == 401
    for page in ["/api/docs/", "/api/redoc/"]:
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for page in ["/api/schema/", "/api/docs/", "/api/docs/?script=", "/api/redoc/"]:
        assert admin_client_for_docs.get(page).status_code == 200, page

    settings.INVESTPROMO_API_DOCS_REQUIRE_LOGIN = False
    for page in ["/api/schema/", "/api/docs/", "/api/redoc/"]:
        assert client.get(page).status_code == 200, page


@pytest.fixture
def admin_client_for_docs(admin_user):
    signed_in = Client()
    signed_in.force_login(admin_user)
    return signed_in
