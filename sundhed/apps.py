from django.apps import AppConfig


class SundhedConfig(AppConfig):
    name = "sundhed"
    verbose_name = "Portal"
