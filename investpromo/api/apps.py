from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "investpromo.api"
    label = "api"
