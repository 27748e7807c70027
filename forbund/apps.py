from django.apps import AppConfig


class ForbundConfig(AppConfig):
    name = "forbund"
    verbose_name = "Förbundet"
