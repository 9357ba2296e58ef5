from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "investpromo.reports"
    label = "reports"
