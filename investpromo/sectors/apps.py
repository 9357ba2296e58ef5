from django.apps import AppConfig


class SectorsConfig(AppConfig):
    name = "investpromo.sectors"
    label = "sectors"
