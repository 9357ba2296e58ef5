from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "investpromo.followup"
    label = "followup"
