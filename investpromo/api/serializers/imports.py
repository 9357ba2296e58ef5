"""Signing-list uploads and the importer's report."""

from pathlib import Path

from rest_framework import serializers

from investpromo.imports.readers import limits

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


def check_spreadsheet_upload(upload):
    """Refuse, before it is stored, a file that is not a spreadsheet by name or is too large."""
    if Path(upload.name).suffix.lower() not in SUFFIXES:
        raise serializers.ValidationError("upload an .xlsx, .xlsm, .xls or .csv file")
    max_bytes, _ = limits()
    if upload.size > max_bytes:
        raise serializers.ValidationError(
            f"the file is too large ({upload.size / 1048576:.0f} MB; the limit is "
            f"{max_bytes / 1048576:.0f} MB)"
        )
    return upload


class ImportRequestSerializer(serializers.Serializer):
    """A signing list (.xlsx, .xls or .csv) and how to import it."""

    file = serializers.FileField(
        help_text="the signing list: .xlsx, .xlsm, .xls or .csv",
        validators=[check_spreadsheet_upload],
    )
    dry_run = serializers.BooleanField(default=False, help_text="check and count; write nothing")
    skip_invalid = serializers.BooleanField(
        default=False, help_text="write the valid rows and reject the others"
    )


class _Problem(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField(
        help_text="in the caller's language when the problem has a code"
    )
    text = serializers.CharField()
    code = serializers.CharField(
        required=False, help_text="e.g. signing_date_before_event; absent when uncoded"
    )
    params = serializers.DictField(
        required=False, help_text="the coded message's values (dates, days, limit, file, event)"
    )


class _Sheet(serializers.Serializer):
    name = serializers.CharField()
    imported = serializers.BooleanField()
    header_row = serializers.IntegerField(allow_null=True)
    rows_read = serializers.IntegerField()
    valid = serializers.IntegerField()
    rejected = serializers.IntegerField()
    summary_rows = serializers.IntegerField()
    blank_rows = serializers.IntegerField()
    ignored = serializers.IntegerField()
    unit = serializers.CharField(allow_null=True)
    unknown_columns = serializers.ListField(child=serializers.CharField())
    ignored_columns = serializers.ListField(child=serializers.CharField())


class _Added(serializers.Serializer):
    projects = serializers.IntegerField()
    value_cny = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    """The importer's report (ImportReport.to_dict()), for the schema only."""

    file = serializers.CharField()
    event = serializers.CharField()
    status = serializers.ChoiceField(choices=["invalid", "dry_run", "written"])
    dry_run = serializers.BooleanField()
    skip_invalid = serializers.BooleanField()
    written = serializers.BooleanField()
    sheets = _Sheet(many=True)
    skipped_sheets = serializers.ListField(child=serializers.CharField())
    rows_read = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    summary_rows_skipped = serializers.IntegerField()
    organisations_created = serializers.IntegerField()
    unknown_columns = serializers.ListField(child=serializers.CharField())
    sei_derived = serializers.IntegerField()
    sei_unknown = serializers.IntegerField()
    added = _Added()
    updated_value_change_cny = serializers.CharField()
    error_count = serializers.IntegerField()
    warning_count = serializers.IntegerField()
    errors = _Problem(many=True, help_text="the first 1,000")
    warnings = _Problem(many=True, help_text="the first 1,000")
    rejects_path = serializers.CharField(allow_null=True)
    seconds = serializers.FloatField()
