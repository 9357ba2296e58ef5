from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "investpromo.participants"
    label = "participants"
