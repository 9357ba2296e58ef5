"""Industry classifications: GB/T 4754-2017 and the 2018 strategic emerging industries."""

from django.db import models


class IndustryCategory(models.Model):
    """A GB/T 4754-2017 (2019 amendment) section, division, group or class."""

    class Level(models.IntegerChoices):
        SECTION = 1, "section"
        DIVISION = 2, "division"
        GROUP = 3, "group"
        CLASS = 4, "class"

    code = models.CharField(max_length=5, primary_key=True)
    name = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    section = models.CharField(max_length=1, db_index=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "industry categories"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SEIIndustry(models.Model):
    """One of the nine top-level strategic emerging industries (NBS classification 2018)."""

    code = models.PositiveSmallIntegerField(primary_key=True)
    name_zh = models.CharField(max_length=50, unique=True)
    name_en = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "strategic emerging industry"
        verbose_name_plural = "strategic emerging industries"

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class SEIClassMapping(models.Model):
    """A GB/T 4754 class that the SEI 2018 list counts (wholly, or partly when `partial`)."""

    sei_industry = models.ForeignKey(SEIIndustry, on_delete=models.CASCADE, related_name="mappings")
    industry_class = models.ForeignKey(
        IndustryCategory, on_delete=models.CASCADE, related_name="sei_mappings"
    )
    partial = models.BooleanField(help_text="marked * in the source: only part of the class counts")
    paths = models.JSONField(default=list, help_text="SEI category paths as the source gives them")
    products = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sei_industry", "industry_class"], name="unique_sei_class_mapping"
            )
        ]

    def __str__(self) -> str:
        star = "*" if self.partial else ""
        return f"{self.industry_class_id}{star} → {self.sei_industry_id}"
