from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "investpromo.imports"
    label = "imports"
