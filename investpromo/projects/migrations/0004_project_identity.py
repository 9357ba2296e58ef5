"""A project's identity in its event held by the database: (event, normalised name, investor key).

The investor key (the investor's normalised name) is computed for every existing project. If
some event already holds two projects of the same identity, the migration lists them and stops,
changing nothing: which one to keep is for a person to decide, never for a migration.
"""

from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery

SHOWN = 50


def fill_investor_keys(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Organisation = apps.get_model("orgs", "Organisation")
    Project.objects.using(schema_editor.connection.alias).update(
        investor_key=Subquery(
            Organisation.objects.filter(pk=OuterRef("investor_id")).values("normalized_name")[:1]
        )
    )


def refuse_duplicates(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    projects = Project.objects.using(schema_editor.connection.alias)
    groups = list(
        projects.filter(event__isnull=False)
        .values("event_id", "normalized_name", "investor_key")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .order_by("event_id", "normalized_name", "investor_key")
    )
    if not groups:
        return
    lines = []
    for group in groups[:SHOWN]:
        found = list(
            projects.filter(
                event_id=group["event_id"],
                normalized_name=group["normalized_name"],
                investor_key=group["investor_key"],
            )
            .order_by("id")
            .values_list("id", "name", "event__slug", "investor__name", "investor__uscc")
        )
        _, name, slug, _, _ = found[0]
        investors = ", ".join(
            f"#{pk} of {investor}" + (f" (USCC {uscc})" if uscc else "")
            for pk, _, _, investor, uscc in found
        )
        lines.append(f"  event {slug}: project {name!r}: {investors}")
    if len(groups) > SHOWN:
        lines.append(f"  … and {len(groups) - SHOWN} more")
    raise CommandError(
        f"{len(groups)} projects appear more than once in their event (same event, project "
        "name and investor name), so each project's identity cannot be made unique:\n"
        + "\n".join(lines)
        + "\nNothing was changed. With the version of InvestPromo you upgraded from, keep one "
        "project of each group: delete the copies, or rename all but one if they are different "
        "projects; then run `investpromo setup` again."
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("orgs", "0002_created_by_import"),
        ("projects", "0003_created_by_import_fewer_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="investor_key",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(fill_investor_keys, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop, elidable=False),
        migrations.RemoveIndex(model_name="project", name="projects_pr_event_i_e93be7_idx"),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.UniqueConstraint(
                fields=("event", "normalized_name", "investor_key"),
                name="unique_project_in_event",
            ),
        ),
    ]
