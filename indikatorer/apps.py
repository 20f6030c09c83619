from django.apps import AppConfig


class IndikatorerConfig(AppConfig):
    name = "indikatorer"
