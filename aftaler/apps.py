from django.apps import AppConfig


class AftalerConfig(AppConfig):
    name = "aftaler"
