from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "investpromo.jobs"
    verbose_name = "Background jobs"
