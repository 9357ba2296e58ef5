from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "investpromo.demo"
    label = "demo"
