from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "investpromo.matchmaking"
    label = "matchmaking"
