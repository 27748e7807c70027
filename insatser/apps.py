from django.apps import AppConfig


class InsatserConfig(AppConfig):
    name = "insatser"
    verbose_name = "Ansökningar och insatser"
