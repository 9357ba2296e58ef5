"""The OpenAPI schema tells the truth (#12.12) and is generated without warnings (#18.4)."""

import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS

from investpromo.projects.selectors import ProjectFilter


@pytest.fixture
def schema(viewer_api):
    return viewer_api.get("/api/schema/", {"format": "json"}).json()


def _parameter(schema, path, name, method="get"):
    return next(p for p in schema["paths"][path][method]["parameters"] if p["name"] == name)


def _choice_values(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from _choice_values(label)
        else:
            yield str(value)


def test_18_4_generating_the_schema_emits_no_warnings(viewer_api, capsys):
    GENERATOR_STATS.reset()
    response = viewer_api.get("/api/schema/")
    assert response.status_code == 200
    # What `spectacular --validate --fail-on-warn` fails on: every warn() and error() counted.
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    assert "Warning" not in capsys.readouterr().err


def test_18_4_sei_and_stage_filters_list_the_values_they_take(schema, ledger):
    form = ProjectFilter().form
    for name in ("sei", "stage"):
        parameter = _parameter(schema, "/api/projects/", name)
        accepted = set(_choice_values(form.fields[name].choices)) - {""}
        assert parameter["schema"]["type"] == "string"
        assert set(parameter["schema"]["enum"]) == accepted, name


def test_18_4_every_stage_the_schema_names_is_accepted(viewer_api, schema, ledger):
    for stage in _parameter(schema, "/api/projects/", "stage")["schema"]["enum"]:
        assert viewer_api.get("/api/projects/", {"stage": stage}).status_code == 200, stage


def test_12_12_every_operation_documents_its_error_statuses_with_a_body(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if operation.get("security") and {} not in operation["security"]:
                assert "401" in responses, f"{method} {path}"
            if method in ("post", "put", "patch", "delete"):
                assert {"400", "403", "409"} <= set(responses), f"{method} {path}"
            if "{" in path:
                assert "404" in responses, f"{method} {path}"
            if any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert "400" in responses, f"{method} {path}"
            for code, response in responses.items():
                if code[0] in "45":
                    body = response["content"]["application/json"]["schema"]
                    assert body == {"$ref": "#/components/schemas/Error"}, f"{method} {path} {code}"
    followthrough = schema["paths"]["/api/events/{slug}/followthrough/"]["get"]
    assert "400" in followthrough["responses"]  # a bad as_of
    project_update = schema["paths"]["/api/projects/{id}/"]["patch"]["responses"]
    assert {"412", "428"} <= set(project_update)


def test_12_12_records_are_sent_as_json_and_files_as_multipart(schema):
    project_create = schema["paths"]["/api/projects/"]["post"]["requestBody"]["content"]
    assert list(project_create) == ["application/json"]
    upload = schema["paths"]["/api/events/{slug}/imports/"]["post"]["requestBody"]["content"]
    assert list(upload) == ["multipart/form-data"]


def test_12_12_decimal_patterns_refuse_what_the_api_refuses(schema):
    rate = schema["components"]["schemas"]["ExchangeRateRequest"]["properties"]["cny_per_unit"]
    pattern = re.compile(rate["pattern"])
    for taken in ("7.1", "7", ".5", "123456.123456"):
        assert pattern.search(taken), taken
    for refused in ("", ".", "-", "-7.1", "1.1234567", "1e3", "NaN"):
        assert not pattern.search(refused), refused


def test_12_12_filters_say_empty_means_unset_and_how_long_text_may_be(viewer_api, schema, ledger):
    parent = _parameter(schema, "/api/industries/", "parent")
    assert parent["allowEmptyValue"] is True and parent["schema"]["maxLength"] == 5
    currency = _parameter(schema, "/api/rates/", "currency")
    assert currency["schema"]["maxLength"] == 10
    assert viewer_api.get("/api/events/", {"starts_to": ""}).status_code == 200
    assert viewer_api.get("/api/rates/", {"currency": "X" * 11}).status_code == 400


@pytest.mark.parametrize("page_size", ["abc", "0", "-1", "1.5", "null"])
def test_12_12_a_page_size_that_is_no_whole_number_is_refused(viewer_api, ledger, page_size):
    response = viewer_api.get("/api/events/", {"page_size": page_size})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_12_12_page_and_page_size_as_documented(viewer_api, schema, ledger):
    assert _parameter(schema, "/api/events/", "page_size")["schema"]["minimum"] == 1
    assert viewer_api.get("/api/events/", {"page_size": ""}).status_code == 200
    assert len(viewer_api.get("/api/regions/", {"page_size": 9999}).json()["results"]) == 500
    assert viewer_api.get("/api/events/", {"page": "last"}).status_code == 404
    assert viewer_api.get("/api/events/", {"page": "٢"}).status_code == 404
    assert viewer_api.get("/api/events/", {"page": ""}).status_code == 200


def test_12_12_a_yes_no_filter_refuses_other_words(viewer_api, ledger):
    assert viewer_api.get("/api/events/", {"is_demo": "false"}).json()["count"] == 1
    assert viewer_api.get("/api/events/", {"is_demo": "true"}).json()["count"] == 0
    for word in ("maybe", "-58800", "1"):
        response = viewer_api.get("/api/organisations/", {"is_demo": word})
        assert response.status_code == 400 and "is_demo" in response.json(), word


def test_12_12_json_booleans_and_decimals_have_the_types_the_schema_gives(admin_api, ledger):
    slug = ledger["event"].slug
    for is_demo in (1, "yes", "true"):
        response = admin_api.patch(f"/api/events/{slug}/", {"is_demo": is_demo}, format="json")
        assert response.status_code == 400 and "is_demo" in response.json(), is_demo
    assert (
        admin_api.patch(f"/api/events/{slug}/", {"is_demo": False}, format="json").status_code
        == 200
    )
    rate = {"currency": "GBP", "date": "2024-08-31"}
    number = admin_api.post("/api/rates/", {**rate, "cny_per_unit": 9.1}, format="json")
    assert number.status_code == 400 and "cny_per_unit" in number.json()
    assert (
        admin_api.post("/api/rates/", {**rate, "cny_per_unit": " 9.1 "}, format="json").status_code
        == 201
    )
    kind = admin_api.post("/api/organisations/", {"name": "某公司", "kind": "0"}, format="json")
    assert kind.status_code == 400 and "kind" in kind.json()


def test_12_12_text_fields_take_text_not_numbers(admin_api, ledger):
    slug = ledger["event"].slug
    response = admin_api.patch(f"/api/events/{slug}/", {"source": 0}, format="json")
    assert response.status_code == 400 and "source" in response.json()
    aliases = admin_api.post(
        "/api/organisations/", {"name": "某公司", "aliases": [5]}, format="json"
    )
    assert aliases.status_code == 400 and "aliases" in aliases.json()
    name = admin_api.post("/api/organisations/", {"name": 5}, format="json")
    assert name.status_code == 400 and "name" in name.json()


def test_12_12_currencies_and_evidence_as_the_api_takes_them(schema):
    rate = schema["components"]["schemas"]["ExchangeRateRequest"]["properties"]["currency"]
    pattern = re.compile(rate["pattern"])
    assert all(pattern.search(code) for code in ("USD", "usd", " Eur "))
    assert not any(pattern.search(code) for code in ("XYZ", "", "US"))
    step = schema["paths"]["/api/projects/{id}/progress/"]["post"]["requestBody"]["content"]
    as_json = step["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    multipart = step["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    # Files travel only in a multipart request.
    assert "evidence" not in schema["components"]["schemas"][as_json]["properties"]
    assert "evidence" in schema["components"]["schemas"][multipart]["properties"]
