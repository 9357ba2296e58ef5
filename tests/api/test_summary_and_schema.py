"""The summary endpoint equals the CLI's JSON; the schema and its documentation load."""

import io
import json

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from investpromo.demo.loader import DEMO_SLUG

# The demo is in the database for every test here, loaded once for the run (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]


def test_summary_equals_the_cli_json_for_the_demo_event(viewer_api):
    out = io.StringIO()
    call_command("report", "--event", DEMO_SLUG, "--format", "json", stdout=out)
    response = viewer_api.get(f"/api/events/{DEMO_SLUG}/summary/")
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["projects"] == 172


def test_summary_as_of_a_date(viewer_api, ledger):
    out = io.StringIO()
    call_command("report", "--event", "test-event", "--as-of", "2024-12-31", stdout=out)
    response = viewer_api.get("/api/events/test-event/summary/", {"as_of": "2024-12-31"})
    assert response.json() == json.loads(out.getvalue())
    assert viewer_api.get("/api/events/test-event/summary/", {"as_of": "soon"}).status_code == 400
    assert viewer_api.get("/api/events/nope/summary/").status_code == 404


def test_schema_is_openapi_3_and_lists_every_endpoint(viewer_api, db):
    response = viewer_api.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/auth/token/",
        "/api/auth/tokens/{username}/",
        "/api/auth/me/",
        "/api/regions/",
        "/api/regions/{code}/",
        "/api/industries/",
        "/api/sei-industries/",
        "/api/organisations/{id}/",
        "/api/events/{slug}/summary/",
        "/api/projects/",
        "/api/projects/{id}/",
        "/api/rates/{id}/",
    } <= set(schema["paths"])
    project_list = {p["name"] for p in schema["paths"]["/api/projects/"]["get"]["parameters"]}
    assert {"event", "destination", "origin", "sei", "q", "sort", "ordering", "page_size"} <= (
        project_list
    )
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    json_schema = viewer_api.get("/api/schema/", {"format": "json"})
    assert json_schema.status_code == 200 and json_schema.json()["openapi"] == schema["openapi"]


def test_docs_use_local_assets_only(viewer_api, db):
    page = viewer_api.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower() and "https://" not in page
    # The assets are the sidecar package's static files, collected like the app's own.
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_schema_validates_against_the_openapi_specification(db):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert len([op for path in schema["paths"].values() for op in path]) >= 34


def test_project_list_costs_a_fixed_number_of_queries(
    viewer_api, ledger, django_assert_max_num_queries
):
    from tests.factories import make_project

    for number in range(20):
        make_project(event=ledger["event"], name=f"项目{number}", investor=ledger["other"])
    # Authentication, count, page, co-investors: not one query per row.
    with django_assert_max_num_queries(6):
        response = viewer_api.get(
            "/api/projects/", {"page_size": 100, "event": ledger["event"].slug}
        )
    assert response.json()["count"] == 22
