"""Read-only admin for the industry classifications (loaded by `investpromo setup`)."""

from django.contrib import admin

from investpromo.sectors.models import IndustryCategory, SEIClassMapping, SEIIndustry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IndustryCategory)
class IndustryCategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "section"]
    list_filter = ["level", "section"]
    search_fields = ["code", "name"]


@admin.register(SEIIndustry)
class SEIIndustryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_zh", "name_en"]


@admin.register(SEIClassMapping)
class SEIClassMappingAdmin(ReadOnlyAdmin):
    list_display = ["industry_class", "sei_industry", "partial"]
    list_filter = ["sei_industry", "partial"]
