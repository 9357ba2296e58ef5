from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "investpromo.orgs"
    label = "orgs"
