"""Administrative divisions of China (GB/T 2260)."""

from django.db import models


class Region(models.Model):
    """A province-, prefecture- or county-level division with its 6-digit GB/T 2260 code."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, "province"
        PREFECTURE = 2, "prefecture"
        COUNTY = 3, "county"

    code = models.CharField(max_length=6, primary_key=True)
    name = models.CharField(max_length=50, db_index=True)
    short_name = models.CharField(max_length=50, db_index=True)
    name_en = models.CharField(max_length=80, blank=True)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The prefecture-level unit that statistics count this division under: itself for a
    # prefecture; the municipality (Beijing…) or SAR/Taiwan for their districts and for
    # themselves; the county itself for province-administered county-level units.
    stat_prefecture = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Province-level units that statistics treat as their own prefecture-level unit.
    acts_as_prefecture = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        """Name with its parents, e.g. 黑龙江省哈尔滨市松北区."""
        parts = []
        node = self
        while node is not None:
            parts.append(node.name)
            node = node.parent
        return "".join(reversed(parts))

    @property
    def full_name_en(self) -> str:
        """English name with its parents, e.g. Songbei District, Harbin, Heilongjiang."""
        parts = []
        node = self
        while node is not None:
            parts.append(node.name_en or node.name)
            node = node.parent
        return ", ".join(parts)
