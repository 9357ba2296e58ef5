"""The signed-project ledger and the exchange rates its values are converted at."""

from django.db import models
from django.db.models import Q


class ExchangeRate(models.Model):
    """CNY per one unit of a currency, valid from its date until the next rate."""

    currency = models.CharField(max_length=3)
    date = models.DateField()
    cny_per_unit = models.DecimalField(max_digits=18, decimal_places=6)
    source = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="unique_rate_per_day"),
            models.CheckConstraint(condition=Q(cny_per_unit__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.cny_per_unit} ({self.date})"


class Project(models.Model):
    """A signed investment project: who invests how much where, signed when and at which event.

    Identity: within an event a project is its normalised name (normalize_key of the name) and
    its investor's key, `investor_key`: the investor organisation's normalised name, copied
    here so the database can hold the rule (a constraint cannot reach through the join). At
    most one project of an event has a given (normalized_name, investor_key), whatever the
    investors' USCCs: two organisations of the same name but different USCCs cannot each have a
    project of the same name in one event. Projects outside any event are not constrained. The
    services keep the key current: projects.services when a project is created or changes
    investor, orgs.services when an organisation is renamed.
    """

    class AgreementType(models.TextChoices):
        INTENT = "intent", "intent letter"
        FRAMEWORK = "framework", "framework agreement"
        CONTRACT = "contract", "formal contract"
        UNSPECIFIED = "unspecified", "unspecified"

    class SEIStatus(models.TextChoices):
        SEI = "sei", "strategic emerging industry"
        SEI_UNSPECIFIED = "sei_unspecified", "SEI, category unspecified"
        NOT_SEI = "not_sei", "not SEI"

    # Foreign keys without an index of their own where a composite index below starts with
    # them: every index costs each import row a B-tree insert.
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        db_index=False,
    )
    name = models.CharField(max_length=300)
    normalized_name = models.CharField(max_length=300)
    investor = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="projects"
    )
    # The investor's normalized_name (see the docstring): part of the project's identity.
    investor_key = models.CharField(max_length=200)
    co_investors = models.ManyToManyField(
        "orgs.Organisation", blank=True, related_name="co_invested_projects"
    )
    origin_region = models.ForeignKey(
        "geo.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    destination_region = models.ForeignKey(
        "geo.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    signing_date = models.DateField(null=True, blank=True)
    agreement_type = models.CharField(
        max_length=12, choices=AgreementType.choices, default=AgreementType.UNSPECIFIED
    )
    contract_value = models.DecimalField(max_digits=24, decimal_places=6)
    currency = models.CharField(max_length=3, default="CNY")
    value_text = models.CharField(max_length=200, blank=True, help_text="as written")
    value_approximate = models.BooleanField(default=False)
    value_cny = models.DecimalField(max_digits=22, decimal_places=2)
    rate_date = models.DateField(null=True, blank=True)
    rate_cny_per_unit = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    sei_status = models.CharField(
        max_length=16, choices=SEIStatus.choices, default=SEIStatus.NOT_SEI
    )
    sei_industry = models.ForeignKey(
        "sectors.SEIIndustry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    industry_class = models.ForeignKey(
        "sectors.IndustryCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 4},
    )
    industry_text = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    extra = models.JSONField(default=dict, blank=True, help_text="columns the importer kept as is")
    source_ref = models.CharField(
        max_length=300, blank=True, help_text="file!sheet!row it came from"
    )
    is_demo = models.BooleanField(default=False, help_text="synthetic example data")
    created_by_import = models.ForeignKey(
        "core.ChangeLog",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the import's audit row, for projects an import created",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-signing_date", "id"]
        indexes = [
            # Covering indexes for the dashboard's breakdowns: grouping by these columns and
            # summing the value reads only the index (100,000 projects in milliseconds).
            models.Index(fields=["destination_region", "value_cny"], name="project_dest_value"),
            models.Index(fields=["origin_region", "value_cny"], name="project_origin_value"),
            models.Index(
                fields=["sei_status", "sei_industry", "value_cny"], name="project_sei_value"
            ),
            models.Index(
                fields=["signing_date", "value_cny", "is_demo"], name="project_date_value"
            ),
            models.Index(fields=["event", "value_cny"], name="project_event_value"),
        ]
        constraints = [
            # Also the index for an event's projects by name (it starts with event, name).
            models.UniqueConstraint(
                fields=["event", "normalized_name", "investor_key"], name="unique_project_in_event"
            ),
            models.CheckConstraint(condition=Q(contract_value__gt=0), name="value_positive"),
            models.CheckConstraint(
                condition=Q(sei_status="sei", sei_industry__isnull=False)
                | (~Q(sei_status="sei") & Q(sei_industry__isnull=True)),
                name="sei_industry_iff_sei",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def counts_as_sei(self) -> bool:
        return self.sei_status != self.SEIStatus.NOT_SEI
