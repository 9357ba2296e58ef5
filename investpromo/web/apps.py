from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "investpromo.web"
    label = "web"
    verbose_name = "web application"
