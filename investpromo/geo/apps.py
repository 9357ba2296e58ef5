from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "investpromo.geo"
    label = "geo"
