from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "investpromo.core"
    label = "core"

    def ready(self):
        from investpromo.core import checks  # noqa: F401  (registers the deployment checks)
