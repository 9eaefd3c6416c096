from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "tandem.reviews"
    verbose_name = "Reviews"
