"""Who may do what: the expected status of every URL of the site for each kind of user.

The table is the documentation (README "Who may do what" is its short form). Each row is a
URL name and, per method exercised, the status each role gets, in the order of ROLES:

    anonymous · viewer · officer of another region (大庆) · officer of the object's region
    (哈尔滨) · administrator

The objects are Harbin's (哈尔滨, 230103) unless a row says otherwise, so "elsewhere" is a
大庆 (230600) officer looking at or changing a Harbin record. Every URL pattern in the URLconf
must have a row: a new page or endpoint fails `test_every_url_has_a_row` (in
test_permissions_table.py, which walks the URLconf) until someone writes down who may use it.
Django's admin (`admin:*`) is one rule: staff only.

Writes send a minimal body that is valid for an allowed role, so an allowed write succeeds
(each test is rolled back) and a refused one shows the refusal, not a validation error.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "viewer", "elsewhere", "here", "administrator")
LOGIN = 302  # a web page sends an anonymous visitor to the sign-in page
API_ANON = 401  # the API answers an anonymous caller 401


@dataclass(frozen=True)
class Call:
    """One method on one URL: the statuses per role, and what to send."""

    method: str
    expect: tuple[int, int, int, int, int]
    # A dict, or a function of the fixture objects giving one.
    body: dict | Callable | None = None
    # Which fixture object fills the URL's arguments, when not the URL's usual one (KWARGS).
    target: str | None = None
    headers: dict | Callable = field(default_factory=dict)
    # Multipart (web forms, uploads) rather than JSON.
    form: bool = False


def row(*calls: Call) -> tuple[Call, ...]:
    return calls


WEB_READ = (LOGIN, 200, 200, 200, 200)
API_READ = (API_ANON, 200, 200, 200, 200)
WEB_GET_ON_POST_ONLY = (LOGIN, 405, 405, 405, 405)
ADMIN_ONLY = (LOGIN, 403, 403, 403, 200)
API_NO_SUCH_METHOD = (API_ANON, 405, 405, 405, 405)


def _version(objects) -> dict:
    return {"If-Match": f'"{objects["project"].version}"'}


def _bare(objects) -> dict:
    return {"If-Match": f'"{objects["bare_project"].version}"'}


THRESHOLDS = {
    "idle_months": {
        stage: {"yellow": 3, "red": 6}
        for stage in ("signed", "registered", "approved", "started", "completed", "in_production")
    },
    "red_not_started_months": 12,
    "red_low_funds_months": 12,
    "red_low_funds_share": "0.3",
}


NEW_PROJECT = {
    "event": "table-event",
    "name": "哈尔滨新表格项目",
    "investor": None,  # filled per request: the investor's id
    "destination_region": "230103",
    "contract_value": "1000000",
    "currency": "CNY",
}

# URL arguments: the argument, the fixture object's attribute, and the default object.
KWARGS = {
    "web:event_detail": ("slug", "slug", "event"),
    "web:event_bulletin": ("slug", "slug", "event"),
    "web:snapshot_create": ("slug", "slug", "event"),
    "web:event_edit": ("slug", "slug", "event"),
    "web:user_edit": ("pk", "pk", "viewer"),
    "web:user_deactivate": ("pk", "pk", "viewer"),
    "web:user_reactivate": ("pk", "pk", "viewer"),
    "web:user_password": ("pk", "pk", "viewer"),
    "web:project_detail": ("pk", "pk", "project"),
    "web:project_edit": ("pk", "pk", "project"),
    "web:project_delete": ("pk", "pk", "project"),
    "web:record_step": ("pk", "pk", "project"),
    "web:organisation_detail": ("pk", "pk", "investor"),
    "web:region_detail": ("code", "code", "harbin"),
    "web:import_detail": ("pk", "pk", "job"),
    "web:import_progress": ("pk", "pk", "job"),
    "web:import_confirm": ("pk", "pk", "job"),
    "web:import_problems": ("pk", "pk", "job"),
    "web:evidence_download": ("pk", "pk", "evidence"),
    "web:snapshot_detail": ("pk", "pk", "snapshot"),
    "web:progress_import_detail": ("pk", "pk", "progress_job"),
    "web:progress_import_progress": ("pk", "pk", "progress_job"),
    "web:progress_import_confirm": ("pk", "pk", "progress_job"),
    "web:progress_import_problems": ("pk", "pk", "progress_job"),
    "api:user-token": ("username", "username", "viewer"),
    "api:event-import": ("slug", "slug", "event"),
    "api:event-followthrough": ("slug", "slug", "event"),
    "api:event-snapshots": ("slug", "slug", "event"),
    "api:event-recommendations": ("slug", "slug", "event"),
    "api:event-match-weights": ("slug", "slug", "event"),
    "web:portal": ("token", "token", "portal"),
    "api:event-participants": ("slug", "slug", "meeting_event"),
    "api:event-meeting-requests": ("slug", "slug", "meeting_event"),
    "api:event-meeting-overview": ("slug", "slug", "meeting_event"),
    "api:participant": ("id", "pk", "participant"),
    "api:participant-review": ("id", "pk", "participant"),
    "api:participant-contacts": ("id", "pk", "participant"),
    "api:meeting-request": ("id", "pk", "meeting"),
    "api:project-meetings": ("id", "pk", "project"),
    "api:snapshot": ("id", "pk", "snapshot"),
    "api:project-progress": ("id", "pk", "project"),
    "api:progress-step": ("id", "pk", "step"),
    "api:job-detail": ("id", "pk", "job"),
    "api:evidence": ("id", "pk", "evidence"),
    "api:region-detail": ("code", "code", "harbin"),
    "api:industry-detail": ("code", "code", "industry"),
    "api:sei-industry-detail": ("code", "code", "sei"),
    "api:organisation-detail": ("pk", "pk", "investor"),
    "api:event-detail": ("slug", "slug", "event"),
    "api:event-summary": ("slug", "slug", "event"),
    "api:project-detail": ("pk", "pk", "project"),
    "api:rate-detail": ("pk", "pk", "rate"),
}

TABLE = {
    # --- web pages ---------------------------------------------------------------------------
    "web:dashboard": row(Call("GET", WEB_READ)),
    "web:event_list": row(Call("GET", WEB_READ)),
    "web:event_detail": row(Call("GET", WEB_READ)),
    # The event page's figures as a Word document: whoever may read the page.
    "web:event_bulletin": row(Call("GET", WEB_READ)),
    "web:snapshot_create": row(
        Call("GET", WEB_GET_ON_POST_ONLY),
        Call(
            "POST",
            (LOGIN, 403, 403, 403, 302),
            {"snapshot-label": "表格快照", "snapshot-as_of": "2024-10-31"},
            form=True,
        ),
    ),
    # Events and users are administrators' work; an empty form shows its errors (200).
    "web:event_create": row(
        Call("GET", ADMIN_ONLY),
        Call("POST", ADMIN_ONLY, {}, form=True),
    ),
    "web:event_edit": row(
        Call("GET", ADMIN_ONLY),
        Call("POST", ADMIN_ONLY, {}, form=True),
    ),
    "web:user_list": row(Call("GET", ADMIN_ONLY)),
    "web:user_create": row(
        Call("GET", ADMIN_ONLY),
        Call("POST", ADMIN_ONLY, {}, form=True),
    ),
    "web:user_edit": row(
        Call("GET", ADMIN_ONLY),
        Call("POST", ADMIN_ONLY, {}, form=True),
    ),
    # Done, then back to the user's page.
    "web:user_deactivate": row(
        Call("GET", WEB_GET_ON_POST_ONLY),
        Call("POST", (LOGIN, 403, 403, 403, 302), {}, form=True),
    ),
    "web:user_reactivate": row(
        Call("GET", WEB_GET_ON_POST_ONLY),
        Call("POST", (LOGIN, 403, 403, 403, 302), {}, form=True),
    ),
    # The new one-time password is shown on the page answering the POST.
    "web:user_password": row(
        Call("GET", WEB_GET_ON_POST_ONLY),
        Call("POST", ADMIN_ONLY, {}, form=True),
    ),
    # The pickers' suggestions: for anyone signed in, as every region is public reference data.
    "web:region_lookup": row(Call("GET", WEB_READ)),
    "web:project_list": row(Call("GET", WEB_READ)),
    "web:project_export": row(Call("GET", WEB_READ)),
    "web:project_create": row(
        Call("GET", (LOGIN, 403, 200, 200, 200)),
        Call("POST", (LOGIN, 403, 200, 200, 200), {}, form=True),
    ),
    "web:project_detail": row(Call("GET", WEB_READ)),
    "web:project_edit": row(
        Call("GET", (LOGIN, 403, 403, 200, 200)),
        Call("POST", (LOGIN, 403, 403, 200, 200), {}, form=True),
    ),
    "web:project_delete": row(
        Call("GET", (LOGIN, 403, 403, 200, 200)),
        Call("POST", (LOGIN, 403, 403, 200, 200), {}, form=True),
    ),
    "web:record_step": row(
        Call("GET", WEB_GET_ON_POST_ONLY),
        Call("POST", (LOGIN, 403, 403, 200, 200), {}, form=True),
    ),
    "web:organisation_detail": row(Call("GET", WEB_READ)),
    # A participant's personal page: the link is the key, whoever opens it (signed in or not);
    # a POST without a request to act on is refused on the page.
    "web:portal": row(
        Call("GET", (200, 200, 200, 200, 200)),
        Call("POST", (400, 400, 400, 400, 400), {}, form=True),
    ),
    "web:region_detail": row(Call("GET", WEB_READ)),
    # Blank templates hold no data: anyone signed in may download them.
    "web:import_template": row(Call("GET", WEB_READ)),
    "web:progress_import_template": row(Call("GET", WEB_READ)),
    "web:import_index": row(
        Call("GET", (LOGIN, 403, 200, 200, 200)),
        Call("POST", (LOGIN, 403, 200, 200, 200), {}, form=True),
    ),
    # The check was uploaded by the Harbin officer: a viewer may not import at all, another
    # officer does not see it exists, an administrator may confirm it.
    "web:import_detail": row(Call("GET", (LOGIN, 403, 404, 200, 200))),
    "web:import_progress": row(Call("GET", (LOGIN, 403, 404, 200, 200))),
    "web:import_confirm": row(
        Call("GET", WEB_GET_ON_POST_ONLY),
        Call("POST", (LOGIN, 403, 404, 302, 302), {}, form=True),
    ),
    "web:import_problems": row(Call("GET", (LOGIN, 403, 404, 200, 200))),
    "web:overdue": row(Call("GET", WEB_READ)),
    "web:overdue_export": row(Call("GET", WEB_READ)),
    "web:thresholds_edit": row(
        Call("GET", (LOGIN, 403, 403, 403, 200)),
        Call("POST", (LOGIN, 403, 403, 403, 200), {}, form=True),
    ),
    "web:evidence_download": row(Call("GET", WEB_READ)),
    "web:snapshot_detail": row(Call("GET", WEB_READ)),
    "web:progress_import_index": row(
        Call("GET", (LOGIN, 403, 200, 200, 200)),
        Call("POST", (LOGIN, 403, 200, 200, 200), {}, form=True),
    ),
    "web:progress_import_detail": row(Call("GET", (LOGIN, 403, 404, 200, 200))),
    "web:progress_import_progress": row(Call("GET", (LOGIN, 403, 404, 200, 200))),
    "web:progress_import_confirm": row(
        Call("GET", WEB_GET_ON_POST_ONLY),
        Call("POST", (LOGIN, 403, 404, 302, 302), {}, form=True),
    ),
    "web:progress_import_problems": row(Call("GET", (LOGIN, 403, 404, 200, 200))),
    # Signed in already: on to the dashboard.
    "web:login": row(Call("GET", (200, 302, 302, 302, 302))),
    # One's own password: anyone signed in (an empty form shows its errors).
    "web:password_change": row(
        Call("GET", WEB_READ),
        Call("POST", WEB_READ, {}, form=True),
    ),
    "web:logout": row(Call("POST", (302, 302, 302, 302, 302), {}, form=True)),
    "web:set_language": row(Call("POST", (302, 302, 302, 302, 302), {"language": "en"}, form=True)),
    # --- API -----------------------------------------------------------------------------------
    "api:token": row(
        # Anyone may ask for a token; a wrong password is a 400 for all.
        Call("POST", (400, 400, 400, 400, 400), {"username": "table-viewer", "password": "wrong"}),
        Call("DELETE", (API_ANON, 204, 204, 204, 204)),
    ),
    "api:user-token": row(Call("DELETE", (API_ANON, 403, 403, 403, 204))),
    "api:me": row(Call("GET", API_READ)),
    "api:event-import": row(
        Call("POST", (API_ANON, 403, 400, 400, 400), {}, form=True),
    ),
    "api:event-followthrough": row(Call("GET", API_READ)),
    "api:event-snapshots": row(
        Call("GET", API_READ),
        Call("POST", (API_ANON, 403, 403, 403, 201), {"label": "表格快照", "as_of": "2024-10-31"}),
    ),
    # Matchmaking is the event's organisers' (and administrators') work; no participant named:
    # the latest run and the weights. A POST runs the (empty) event's recommendations at once.
    "api:event-recommendations": row(
        Call("GET", (API_ANON, 403, 403, 403, 200)),
        Call("POST", (API_ANON, 403, 403, 403, 202), {}),
    ),
    "api:event-match-weights": row(
        Call("GET", (API_ANON, 403, 403, 403, 200)),
        Call("PUT", (API_ANON, 403, 403, 403, 200), {"text": 5.0}),
    ),
    # An event's participants: administrators and the event's organisers manage (no role here
    # organises the table's meeting event); officers read the participants in their regions
    # (the list is filtered, a participant elsewhere is 403); viewers see none.
    "api:event-participants": row(
        Call("GET", API_READ),
        Call("POST", (API_ANON, 403, 403, 403, 201), {"name": "表格参会单位", "side": "visitor"}),
    ),
    "api:participant": row(
        Call("GET", (API_ANON, 403, 403, 200, 200)),
        Call(
            "PATCH",
            (API_ANON, 403, 403, 403, 200),
            {"offers": "表格"},
            headers=lambda objects: {"If-Match": f'"{objects["participant"].version}"'},
        ),
    ),
    "api:participant-review": row(
        Call(
            "POST",
            (API_ANON, 403, 403, 403, 200),
            {"action": "approve"},
            headers=lambda objects: {"If-Match": f'"{objects["participant"].version}"'},
        ),
    ),
    "api:participant-contacts": row(
        Call("POST", (API_ANON, 403, 403, 403, 201), {"name": "表格联系人"}),
    ),
    # Meeting requests are the organisers' view; participants act through their own link.
    "api:event-meeting-requests": row(
        Call("GET", (API_ANON, 403, 403, 403, 200)),
        Call(
            "POST",
            (API_ANON, 403, 403, 403, 201),
            lambda objects: {
                "requester": objects["participant"].pk,
                "recipient": objects["third_participant"].pk,
            },
        ),
    ),
    "api:event-meeting-overview": row(Call("GET", (API_ANON, 403, 403, 403, 200))),
    "api:meeting-request": row(
        Call("GET", (API_ANON, 403, 403, 403, 200)),
        Call(
            "POST",
            (API_ANON, 403, 403, 403, 200),
            {"action": "priority", "priority": "high"},
            headers=lambda objects: {"If-Match": f'"{objects["meeting"].version}"'},
        ),
    ),
    # The meetings a project came from: read with the project; named by the event's organisers
    # or whoever may change the project (here: the Harbin officer).
    "api:project-meetings": row(
        Call("GET", API_READ),
        Call(
            "POST",
            (API_ANON, 403, 403, 201, 201),
            lambda objects: {"meeting": objects["meeting"].pk},
        ),
    ),
    "api:snapshot": row(Call("GET", API_READ)),
    "api:project-progress": row(
        Call("GET", API_READ),
        Call("POST", (API_ANON, 403, 403, 201, 201), {"stage": "approved", "date": "2024-09-10"}),
    ),
    "api:progress-step": row(
        Call("GET", API_READ),
        Call("PATCH", (API_ANON, 403, 403, 200, 200), {"note": "表格"}),
        Call("DELETE", (API_ANON, 403, 403, 204, 204)),
    ),
    "api:progress-import": row(Call("POST", (API_ANON, 403, 400, 400, 400), {}, form=True)),
    "api:job-detail": row(Call("GET", (API_ANON, 404, 404, 200, 200))),
    "api:evidence": row(Call("GET", API_READ)),
    "api:overdue": row(Call("GET", API_READ)),
    "api:overdue-thresholds": row(
        Call("GET", API_READ),
        Call("PUT", (API_ANON, 403, 403, 403, 200), THRESHOLDS),
    ),
    # The schema and its documentation: signed-in users only (INVESTPROMO_API_DOCS_REQUIRE_LOGIN).
    "api:schema": row(Call("GET", API_READ)),
    "api:docs": row(Call("GET", WEB_READ)),
    "api:redoc": row(Call("GET", WEB_READ)),
    "api:region-list": row(Call("GET", API_READ), Call("POST", API_NO_SUCH_METHOD, {})),
    "api:region-detail": row(Call("GET", API_READ), Call("PATCH", API_NO_SUCH_METHOD, {})),
    "api:industry-list": row(Call("GET", API_READ)),
    "api:industry-detail": row(Call("GET", API_READ)),
    "api:sei-industry-list": row(Call("GET", API_READ)),
    "api:sei-industry-detail": row(Call("GET", API_READ)),
    "api:organisation-list": row(
        Call("GET", API_READ),
        Call(
            "POST", (API_ANON, 403, 201, 201, 201), {"name": "表格新公司", "home_region": "230103"}
        ),
    ),
    # The investor is used by a Harbin project only: a 大庆 officer may not change it.
    "api:organisation-detail": row(
        Call("GET", API_READ),
        Call("PATCH", (API_ANON, 403, 403, 200, 200), {"aliases": ["表格别名"]}),
        # Deleting: administrators only, and only an organisation no project uses.
        Call("DELETE", (API_ANON, 403, 403, 403, 204), target="unused_org"),
        Call("DELETE", (API_ANON, 403, 403, 403, 400)),
    ),
    "api:event-list": row(
        Call("GET", API_READ),
        Call(
            "POST",
            (API_ANON, 403, 403, 403, 201),
            {
                "slug": "table-new",
                "name": "表格新活动",
                "start_date": "2025-01-01",
                "host_region": "230100",
            },
        ),
    ),
    "api:event-detail": row(
        Call("GET", API_READ),
        Call("PATCH", (API_ANON, 403, 403, 403, 200), {"description": "表格"}),
        Call("DELETE", (API_ANON, 403, 403, 403, 204), target="empty_event"),
        # An event with projects is not deleted, even by an administrator.
        Call("DELETE", (API_ANON, 403, 403, 403, 400)),
    ),
    "api:event-summary": row(Call("GET", API_READ)),
    "api:project-list": row(
        Call("GET", API_READ),
        Call(
            "POST",
            (API_ANON, 403, 403, 201, 201),
            lambda o: {**NEW_PROJECT, "investor": o["investor"].pk},
        ),
    ),
    "api:project-detail": row(
        Call("GET", API_READ),
        Call("PATCH", (API_ANON, 403, 403, 200, 200), {"notes": "表格"}, headers=_version),
        # A project with recorded progress is not deleted; this one has none.
        Call("DELETE", (API_ANON, 403, 403, 204, 204), target="bare_project", headers=_bare),
    ),
    "api:rate-list": row(
        Call("GET", API_READ),
        Call(
            "POST",
            (API_ANON, 403, 403, 403, 201),
            {"currency": "GBP", "date": "2024-08-31", "cny_per_unit": "9.1"},
        ),
    ),
    "api:rate-detail": row(
        Call("GET", API_READ),
        Call("PATCH", (API_ANON, 403, 403, 403, 200), {"cny_per_unit": "7.9"}),
        Call("DELETE", (API_ANON, 403, 403, 403, 204)),
    ),
    # Anything else under /api/ is a JSON 404, whoever asks.
    "api:^.*$": row(Call("GET", (404, 404, 404, 404, 404))),
}

# Pending work of other points: the intended expectation is in the table; these cases fail on
# the code of the moment and are marked xfail(strict=True) until that work lands.
PENDING: dict[tuple[str, str, str], str] = {}

# Django's admin, every page of it: staff only. Anyone else is sent to the admin's sign-in.
ADMIN_RULE = (LOGIN, LOGIN, LOGIN, LOGIN, 200)
# Pages of the admin that are not the rule: its own sign-in and sign-out.
ADMIN_OWN = {
    "admin:login": (200, 200, 200, 200, 302),
    "admin:logout": (LOGIN, LOGIN, LOGIN, LOGIN, 405),
    # Needs the field it completes; without one, refused.
    "admin:autocomplete": (LOGIN, LOGIN, LOGIN, LOGIN, 403),
}
# Records the admin shows but never adds: the change log, the job queue, snapshots, and the
# reference data its loaders write.
READ_ONLY_IN_ADMIN = (LOGIN, LOGIN, LOGIN, LOGIN, 403)
for _model in (
    "auth_user",  # accounts are added on 用户管理 (/users/), through the audited services
    "core_changelog",
    "django_tasks_database_dbtaskresult",
    "followup_snapshot",
    "geo_region",
    "jobs_job",
    "participants_contactperson",
    "participants_eventorganiser",
    "participants_meetingrequest",
    "participants_meetingrules",
    "participants_participant",
    "participants_portallink",
    "participants_projectorigin",
    "sectors_industrycategory",
    "sectors_seiclassmapping",
    "sectors_seiindustry",
):
    ADMIN_OWN[f"admin:{_model}_add"] = READ_ONLY_IN_ADMIN
