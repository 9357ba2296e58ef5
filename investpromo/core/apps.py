from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "investpromo.core"
    label = "core"
