from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "investpromo.scheduling"
    label = "scheduling"
