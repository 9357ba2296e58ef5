from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "investpromo.events"
    label = "events"
