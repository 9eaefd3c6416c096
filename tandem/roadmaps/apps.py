from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "tandem.roadmaps"
    label = "roadmaps"
