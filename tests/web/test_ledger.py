"""The ledger's filters, search, sort, pagination and xlsx export."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from investpromo.imports.rows import VALUE_CNY_WAN_HEADER
from investpromo.sectors.models import SEIIndustry
from tests.factories import make_event, make_org, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger():
    """Five projects that differ in every filtered field."""
    one, two = make_event(slug="event-one"), make_event(slug="event-two", start=dt.date(2024, 5, 1))
    shenzhen = make_org("深圳甲科技有限公司", "440300")
    ningbo = make_org("宁波乙材料有限公司", "330200")
    return {
        "nangang": make_project(
            event=one,
            name="南岗算力中心",
            investor=shenzhen,
            dest="230103",
            value="500000000",
            signing_date=dt.date(2024, 8, 31),
            agreement_type="contract",
            sei_industry=SEIIndustry.objects.get(code=1),
        ),
        "harbin": make_project(
            event=one,
            name="哈尔滨冷链物流园",
            investor=ningbo,
            dest="230100",
            value="80000000",
            signing_date=dt.date(2024, 9, 1),
            agreement_type="framework",
        ),
        "daqing": make_project(
            event=one,
            name="大庆新材料基地",
            investor=ningbo,
            dest="230602",
            value="300000000",
            signing_date=dt.date(2024, 8, 31),
            sei_status="sei_unspecified",
        ),
        "unknown_origin": make_project(
            event=two,
            name="牡丹江文旅项目",
            investor=make_org("无来源公司", "230100"),
            dest="231000",
            value="20000000",
            origin=None,
            signing_date=dt.date(2024, 5, 1),
        ),
        "undated": make_project(
            event=two, name="佳木斯农业项目", investor=shenzhen, dest="230800", value="10000000"
        ),
    }


def names(client, query: str) -> list[str]:
    response = client.get(f"{reverse('web:project_list')}?{query}")
    assert response.status_code == 200, response.content
    return [p.name for p in response.context["page_obj"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            {
                "南岗算力中心",
                "哈尔滨冷链物流园",
                "大庆新材料基地",
                "牡丹江文旅项目",
                "佳木斯农业项目",
            },
        ),
        ("event=event-one", {"南岗算力中心", "哈尔滨冷链物流园", "大庆新材料基地"}),
        # A prefecture includes its districts (230103 南岗区 is in 230100 哈尔滨市).
        ("destination=230100", {"南岗算力中心", "哈尔滨冷链物流园"}),
        ("destination=哈尔滨", {"南岗算力中心", "哈尔滨冷链物流园"}),
        ("destination=230103", {"南岗算力中心"}),
        (
            "destination=230000",
            {
                "南岗算力中心",
                "哈尔滨冷链物流园",
                "大庆新材料基地",
                "牡丹江文旅项目",
                "佳木斯农业项目",
            },
        ),
        ("origin=440000", {"南岗算力中心", "佳木斯农业项目"}),
        ("origin=广东", {"南岗算力中心", "佳木斯农业项目"}),
        ("sei=any", {"南岗算力中心", "大庆新材料基地"}),
        ("sei=1", {"南岗算力中心"}),
        ("sei=unspecified", {"大庆新材料基地"}),
        ("sei=none", {"哈尔滨冷链物流园", "牡丹江文旅项目", "佳木斯农业项目"}),
        ("agreement=framework", {"哈尔滨冷链物流园"}),
        (
            "unit=yuan&value_min=80000000&value_max=300000000",
            {"哈尔滨冷链物流园", "大庆新材料基地"},
        ),
        # Bounds are typed in the unit the ledger shows: 万元 by default in Chinese.
        ("value_min=8000&value_max=30000", {"哈尔滨冷链物流园", "大庆新材料基地"}),
        ("unit=yi&value_min=0.8&value_max=3", {"哈尔滨冷链物流园", "大庆新材料基地"}),
        ("signed_from=2024-08-31&signed_to=2024-08-31", {"南岗算力中心", "大庆新材料基地"}),
        ("q=物流", {"哈尔滨冷链物流园"}),
        ("q=宁波乙", {"哈尔滨冷链物流园", "大庆新材料基地"}),
        ("event=event-one&destination=230100&sei=none", {"哈尔滨冷链物流园"}),
    ],
)
def test_filters(admin_client, ledger, query, expected):
    assert set(names(admin_client, query)) == expected


def test_origin_none_finds_projects_without_an_origin(admin_client, ledger):
    ledger["unknown_origin"].origin_region = None
    ledger["unknown_origin"].save(update_fields=["origin_region"])
    assert names(admin_client, "origin=none") == ["牡丹江文旅项目"]


def test_sorting(admin_client, ledger):
    assert names(admin_client, "sort=-value")[:3] == [
        "南岗算力中心",
        "大庆新材料基地",
        "哈尔滨冷链物流园",
    ]
    assert names(admin_client, "sort=value")[0] == "佳木斯农业项目"
    # Newest first, undated last.
    by_date = names(admin_client, "sort=-date")
    assert by_date[0] == "哈尔滨冷链物流园" and by_date[-1] == "佳木斯农业项目"


def test_ledger_shows_stage_sorts_by_headers_and_reads_in_the_chosen_unit(admin_client, ledger):
    url = reverse("web:project_list")
    page = admin_client.get(url, {"sort": "-value", "unit": "yi", "destination": "230100"})
    html = page.content.decode()
    # Each row's stage today; projects without a step are at 签约.
    assert 'data-stage="signed"' in html and "签约" in html
    # The sorted column says so and links to the other way; the others sort their own way.
    assert 'aria-sort="descending"' in html and "sort=value" in html and "sort=-date" in html
    # Table, totals and header in 亿元.
    assert "金额 (亿元)" in html or "亿元)" in html
    total = page.context["totals"]["value_cny"]
    assert f"{total / 100_000_000:,.2f} 亿元" in html
    # Filters folded to one line naming the active ones.
    assert "<details" in html and "data-filters" in html
    assert [label for label, _ in page.context["active_filters"]] == ["落地地"]


def test_totals_follow_the_filter(admin_client, ledger):
    response = admin_client.get(f"{reverse('web:project_list')}?destination=230100")
    assert response.context["totals"]["projects"] == 2
    assert response.context["totals"]["value_cny"] == Decimal("580000000")
    assert "5.8亿元" in response.content.decode()


def test_an_invalid_filter_shows_its_error_and_no_rows(admin_client, ledger):
    response = admin_client.get(f"{reverse('web:project_list')}?destination=不存在的地方")
    assert response.status_code == 200
    assert response.context["form"].errors["destination"]
    assert list(response.context["page_obj"].object_list) == []
    assert response.context["totals"]["projects"] == 0


def test_pagination_keeps_the_filter(admin_client):
    event = make_event()
    investor = make_org()
    for index in range(30):
        make_project(
            event=event, investor=investor, name=f"项目{index:02d}", value=str(1000000 + index)
        )
    url = reverse("web:project_list")
    first = admin_client.get(f"{url}?event=test-event&sort=value&size=25")
    assert len(first.context["page_obj"].object_list) == 25
    assert "event=test-event" in first.content.decode().split('rel="next"')[0].rsplit("href=", 1)[1]
    second = admin_client.get(f"{url}?event=test-event&sort=value&size=25&page=2")
    assert [p.name for p in second.context["page_obj"].object_list] == [
        f"项目{i}" for i in range(25, 30)
    ]


def test_export_writes_the_filtered_rows_as_an_importable_list(admin_client, ledger):
    response = admin_client.get(f"{reverse('web:project_export')}?destination=230100&sort=-value")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["签约项目", "项目进展", "导出说明"]
    sheet = workbook["签约项目"]
    rows = list(sheet.iter_rows(values_only=True))
    header, totals = rows[0], rows[-1]
    names = [row[header.index("项目名称")] for row in rows[1:-1]]
    assert sorted(names) == sorted(["南岗算力中心", "哈尔滨冷链物流园"])
    values = {
        row[header.index("项目名称")]: row[header.index(VALUE_CNY_WAN_HEADER)] for row in rows[1:-1]
    }
    # Numbers in 万元 with a number format, the unit in the header; a bold totals row.
    assert values["南岗算力中心"] == 50000
    assert totals[0] == "合计" and totals[header.index(VALUE_CNY_WAN_HEADER)] == sum(
        values.values()
    )
    cny_column = header.index(VALUE_CNY_WAN_HEADER) + 1
    assert sheet.cell(row=2, column=cny_column).number_format == "#,##0.00####"
    assert sheet.cell(row=len(rows), column=1).font.bold
    assert sheet.freeze_panes == "B2" and sheet.column_dimensions["B"].width == 30
    # The filters used, by their labels in the user's language, and the time of export.
    info = {
        row[0].strip(): row[1] for row in workbook["导出说明"].iter_rows(values_only=True) if row[0]
    }
    assert info["落地地"] == "哈尔滨市 (230100)"
    assert info["项目数"] == 2 and info["导出时间"].startswith(str(timezone.localdate()))


def test_export_names_every_filter_used_in_the_users_language(admin_client, ledger):
    query = "sei=any&agreement=contract&stage=from_started&value_min=1000&q=项目&sort=-value"
    url = f"{reverse('web:project_export')}?{query}"
    for language, sheet, expected in (
        ("zh-hans", "导出说明", {"战新产业", "协议类型", "进展阶段"}),
        ("en", "Export information", {"SEI industry", "Agreement type", "Progress stage"}),
    ):
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        rows = [row for row in workbook[sheet].iter_rows(values_only=True) if row and row[0]]
        filters = {row[0].strip(): row[1] for row in rows if row[0].startswith("  ")}
        assert expected <= set(filters), filters
        assert len(filters) == 5  # sort is how, not which: left out
