"""Follow-through: progress steps and evidence, overdue flags, rates, snapshots, imports."""

from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.utils import timezone
from django.utils.text import get_valid_filename
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from investpromo.api.fields import (
    CurrencyField,
    DecimalStringField,
    JSONBooleanField,
    JSONTypes,
    RegionField,
)
from investpromo.api.serializers.imports import check_spreadsheet_upload
from investpromo.api.serializers.summary import EventSummarySerializer
from investpromo.events.models import Event
from investpromo.followup.models import (
    IDLE_STAGES,
    Approval,
    Evidence,
    OverdueThresholds,
    ProgressStep,
    Snapshot,
    Stage,
)
from investpromo.followup.reasons import REASONS, reason_texts
from investpromo.followup.selectors import snapshot_diff
from investpromo.projects.money import MAX_VALUE_CNY

MAX_EVIDENCE_FILES = 20
# A century: further back than any project, and months_before() stays within the calendar.
MAX_MONTHS = 1200
STAGE_HELP = "one of " + ", ".join(Stage.values)
APPROVAL_HELP = "any of " + ", ".join(Approval.values)


# Described as the model's choices, so the schema names one stage enum for requests and answers.
@extend_schema_field(serializers.ChoiceField(choices=Stage.choices))
class StageField(serializers.CharField):
    """A stage as its code; any text is let through for the service to name the choices."""


@extend_schema_field({"type": "string", "enum": Approval.values})
class ApprovalField(serializers.CharField):
    """An approval as its code; the service names the choices."""


class EvidenceFileField(serializers.FileField):
    """An uploaded evidence file whose name the storage can keep."""

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        try:
            get_valid_filename(upload.name)
        except SuspiciousFileOperation:
            raise serializers.ValidationError(
                f"the file name {upload.name!r} cannot be stored: rename the file"
            ) from None
        if len(Path(upload.name).suffix) > 16:
            raise serializers.ValidationError("the file name's extension is too long")
        return upload


class EvidenceSerializer(serializers.ModelSerializer):
    """An evidence file's metadata; `url` downloads it (with the same credentials)."""

    name = serializers.CharField(source="original_name")
    uploaded_by = serializers.CharField(
        source="uploaded_by.username", read_only=True, allow_null=True
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, evidence) -> str:
        return reverse("api:evidence", args=[evidence.pk], request=self.context.get("request"))


class ProgressStepSerializer(serializers.ModelSerializer):
    """A dated step of a project, with the funds in place so far and its evidence."""

    recorded_by = serializers.CharField(
        source="recorded_by.username", read_only=True, allow_null=True
    )
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressStep
        fields = [
            "id",
            "project",
            "stage",
            "date",
            "approvals",
            "note",
            "no_evidence_reason",
            "termination_reason",
            "funds_in_place",
            "funds_currency",
            "funds_text",
            "funds_cny",
            "is_regression",
            "recorded_by",
            "recorded_at",
            "source_ref",
            "evidence",
        ]
        read_only_fields = fields


def _funds():
    # Bounded like a contract value: beyond it the fen no longer survive SQLite's floats.
    return DecimalStringField(
        max_digits=19,
        decimal_places=6,
        max_value=MAX_VALUE_CNY,
        required=False,
        allow_null=True,
        help_text="cumulative funds in place, in funds_currency (a decimal string)",
    )


def _approvals():
    return serializers.ListField(
        child=ApprovalField(max_length=30),
        required=False,
        max_length=len(Approval.values),
        help_text=APPROVAL_HELP,
    )


class ProgressStepRequestSerializer(JSONTypes, serializers.Serializer):
    """A new step; from 'started' on it needs evidence or no_evidence_reason."""

    # Documented as an enum; any text reaches the service, which names the allowed values.
    stage = StageField(max_length=20, help_text=STAGE_HELP)
    date = serializers.DateField(help_text="when it happened (not in the future)")
    note = serializers.CharField(default="", allow_blank=True, max_length=5000)
    approvals = _approvals()
    funds_in_place = _funds()
    funds_currency = CurrencyField(default="CNY")
    no_evidence_reason = serializers.CharField(default="", allow_blank=True, max_length=2000)
    termination_reason = serializers.CharField(default="", allow_blank=True, max_length=2000)
    evidence = serializers.ListField(
        child=EvidenceFileField(),
        required=False,
        max_length=MAX_EVIDENCE_FILES,
        help_text="files (multipart only), each at most 50 MB",
    )


class ProgressStepJSONRequestSerializer(ProgressStepRequestSerializer):
    """A new step sent as JSON: evidence files come only in a multipart request."""

    evidence = None


class ProgressStepUpdateSerializer(JSONTypes, serializers.Serializer):
    """Corrections to a step; its stage, date and evidence stay."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    approvals = _approvals()
    funds_in_place = _funds()
    funds_currency = CurrencyField(required=False)
    funds_text = serializers.CharField(required=False, allow_blank=True, max_length=200)
    no_evidence_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    termination_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _months(help_text):
    return serializers.IntegerField(min_value=0, max_value=MAX_MONTHS, help_text=help_text)


class _IdleMonths(serializers.Serializer):
    yellow = _months("yellow after this many months in the stage without a step")
    red = _months("red after this many months in the stage without a step (not before yellow)")

    def validate(self, data):
        if data["red"] < data["yellow"]:
            raise serializers.ValidationError("red cannot come before yellow")
        return data


class _IdleMonthsByStage(serializers.Serializer):
    def get_fields(self):
        return {stage: _IdleMonths() for stage in IDLE_STAGES}


class ThresholdsSerializer(serializers.ModelSerializer):
    """When a project is flagged: yellow or red after so many months."""

    idle_months = _IdleMonthsByStage(
        help_text="per stage: months without a step before a project turns yellow, then red"
    )
    red_not_started_months = _months("red when signed this many months ago and not started")
    red_low_funds_months = _months("red when started this many months ago with low funds")
    red_low_funds_share = DecimalStringField(
        max_digits=5,
        decimal_places=4,
        min_value=0,
        max_value=1,
        help_text="low funds: under this share of the contract value (0-1)",
    )
    updated_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="null while the defaults are in force"
    )

    class Meta:
        model = OverdueThresholds
        fields = [
            "idle_months",
            "red_not_started_months",
            "red_low_funds_months",
            "red_low_funds_share",
            "updated_at",
        ]


class OverdueQuerySerializer(serializers.Serializer):
    """Which flagged projects to list."""

    event = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.all(), required=False, help_text="an event slug"
    )
    region = RegionField(required=False)
    mine = serializers.BooleanField(
        default=False, help_text="only the caller's regions (an officer's; none for a viewer)"
    )


class _ReasonCode(serializers.Serializer):
    code = serializers.ChoiceField(choices=sorted(REASONS))
    params = serializers.DictField(help_text="months; the stage; the funds percent")


class OverdueRowSerializer(serializers.Serializer):
    """A flagged project and why."""

    project_id = serializers.IntegerField()
    name = serializers.CharField()
    investor = serializers.CharField()
    event = serializers.CharField(allow_null=True)
    region_code = serializers.CharField()
    region = serializers.CharField(help_text="the destination's prefecture")
    level = serializers.ChoiceField(choices=["red", "yellow"])
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="why, in the request's language"
    )
    reason_codes = _ReasonCode(many=True, help_text="why, as codes with their parameters")
    stage = serializers.CharField()
    last_move = serializers.DateField(allow_null=True)
    value_cny = serializers.CharField(help_text="contract value, yuan")
    overdue_since = serializers.DateField(allow_null=True)
    days_overdue = serializers.IntegerField(allow_null=True)

    def to_representation(self, row):
        return super().to_representation(
            {**row, "reasons": reason_texts(row["reasons"]), "reason_codes": row["reasons"]}
        )


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)


class _StageCounts(serializers.Serializer):
    def get_fields(self):
        return {stage: serializers.IntegerField() for stage in Stage.values}


class _CountRate(serializers.Serializer):
    rate = serializers.FloatField()
    numerator = serializers.IntegerField(help_text="projects")
    denominator = serializers.IntegerField(help_text="projects signed")


class _FundsRate(serializers.Serializer):
    rate = serializers.FloatField()
    numerator = serializers.CharField(help_text="funds in place, yuan")
    denominator = serializers.CharField(help_text="contract value, yuan")


class FollowthroughSerializer(serializers.Serializer):
    """Projects per latest stage on a date, and the bureau's rates (each 0-1)."""

    as_of = serializers.DateField()
    stages = _StageCounts()
    performance_rate = _CountRate(help_text="履约率: not terminated / signed")
    start_rate = _CountRate(help_text="开工率: started or beyond / signed")
    production_rate = _CountRate(help_text="投产率: in production or beyond / signed")
    funds_in_place_rate = _FundsRate(help_text="资金到位率: funds in place / contract value")


class SnapshotRequestSerializer(JSONTypes, serializers.Serializer):
    """What to freeze: the event's report as of a date, under a label."""

    as_of = serializers.DateField(required=False, help_text="default: today")
    label = serializers.CharField(max_length=200, help_text="e.g. 2024年9月月报")
    force = JSONBooleanField(
        default=False,
        help_text="take one even if the latest snapshot of that label and date is unchanged",
    )


class SnapshotSerializer(serializers.ModelSerializer):
    """A frozen report: who took it, when, and the checksum of its JSON."""

    event = serializers.CharField(source="event.slug", read_only=True)
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = Snapshot
        fields = ["id", "event", "as_of", "label", "created_by", "created_at", "content_sha256"]
        read_only_fields = fields


class _Project(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class _Move(serializers.Serializer):
    def get_fields(self):
        return {
            "id": serializers.IntegerField(),
            "name": serializers.CharField(),
            "from": serializers.CharField(allow_null=True),
            "to": serializers.CharField(allow_null=True),
        }


class SnapshotChangesSerializer(serializers.Serializer):
    """Projects added, removed, edited, moved stage or with other funds since the snapshot."""

    added = _Project(many=True)
    removed = _Project(many=True)
    edited = _Project(many=True)
    moved = _Move(many=True, help_text="stage then and now")
    funds_changed = _Move(many=True, help_text="funds in place (yuan) then and now")


@extend_schema_field(EventSummarySerializer)
class _FrozenReport(serializers.JSONField):
    """The report as stored when the snapshot was taken."""


class SnapshotDetailSerializer(SnapshotSerializer):
    """A snapshot's report and bulletins as frozen, and what changed since (as of today)."""

    report = _FrozenReport(read_only=True)
    changes_since = serializers.SerializerMethodField()

    class Meta(SnapshotSerializer.Meta):
        fields = [
            *SnapshotSerializer.Meta.fields,
            "report",
            "bulletin_zh",
            "bulletin_en",
            "changes_since",
        ]
        read_only_fields = fields

    @extend_schema_field(SnapshotChangesSerializer)
    def get_changes_since(self, snap) -> dict:
        return snapshot_diff(snap, today=timezone.localdate())


class ProgressImportRequestSerializer(serializers.Serializer):
    """A progress report (.xlsx, .xls or .csv) and how to import it."""

    file = serializers.FileField(
        help_text="the progress report: .xlsx, .xlsm, .xls or .csv",
        validators=[check_spreadsheet_upload],
    )
    dry_run = serializers.BooleanField(default=False, help_text="check and count; write nothing")
    event = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Event.objects.all(),
        required=False,
        allow_null=True,
        help_text="the event of rows that name no event",
    )


class _ProgressProblem(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    text = serializers.CharField()


class ProgressImportReportSerializer(serializers.Serializer):
    """The progress importer's report, for the schema only."""

    file = serializers.CharField()
    status = serializers.ChoiceField(choices=["invalid", "dry_run", "written"])
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField()
    rows_read = serializers.DictField(child=serializers.IntegerField(), help_text="per sheet")
    skipped_sheets = serializers.ListField(child=serializers.CharField())
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    error_count = serializers.IntegerField()
    warning_count = serializers.IntegerField()
    errors = _ProgressProblem(many=True, help_text="the first 1,000")
    warnings = _ProgressProblem(many=True, help_text="the first 1,000")
