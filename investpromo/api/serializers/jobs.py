"""Background jobs as the API shows them."""

from rest_framework import serializers

from investpromo.imports.messages import localized_problems
from investpromo.jobs.models import Job

# Problems listed in a job's answer; the counts are always complete.
MAX_PROBLEMS = 1000


class JobSerializer(serializers.ModelSerializer):
    """A job's state, progress, summary and problems."""

    url = serializers.SerializerMethodField()
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    user = serializers.CharField(source="user.username", read_only=True)
    file = serializers.CharField(source="original_name", read_only=True)
    progress = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "url",
            "kind",
            "state",
            "event",
            "user",
            "file",
            "dry_run",
            "skip_invalid",
            "preview",
            "progress",
            "summary",
            "problems",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job) -> str:
        return f"/api/jobs/{job.pk}/"

    def get_progress(self, job) -> dict:
        """{"done": rows checked or written so far, "total": rows in the file when known}."""
        return {"done": job.rows_done, "total": job.rows_total}

    def get_summary(self, job) -> dict | None:
        """The importer's report without its problem lists (null until the job is done)."""
        if job.summary is None:
            return None
        # Problems come paged below; the preview's rows are for the web page.
        hidden = ("errors", "warnings", "preview_rows")
        return {k: v for k, v in job.summary.items() if k not in hidden}

    def get_problems(self, job) -> dict | None:
        """Row problems: errors and warnings (the first 1,000 of each) with their counts."""
        if job.summary is None:
            return None
        errors, warnings = job.summary.get("errors", []), job.summary.get("warnings", [])
        return {
            "error_count": job.summary.get("error_count", len(errors)),
            "warning_count": job.summary.get("warning_count", len(warnings)),
            "errors": localized_problems(errors[:MAX_PROBLEMS]),
            "warnings": localized_problems(warnings[:MAX_PROBLEMS]),
        }

    def get_error(self, job) -> dict | None:
        """Why the job failed as a whole: {"code", "message"} (null unless failed)."""
        if not job.error_code:
            return None
        return {"code": job.error_code, "message": job.error_text}
