from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "investpromo.projects"
    label = "projects"
