from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "investpromo.accounts"
    label = "accounts"
