from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "investpromo.integrity"
    label = "integrity"
    verbose_name = "integrity (count once)"
