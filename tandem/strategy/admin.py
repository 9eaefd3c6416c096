from django.contrib import admin

from tandem.core.admin import ReadOnlyAdmin
from tandem.strategy.models import Pillar, Strategy, Team


@admin.register(Strategy)
class StrategyAdmin(ReadOnlyAdmin[Strategy]):
    list_display = ["workspace", "updated_at"]


@admin.register(Pillar)
class PillarAdmin(ReadOnlyAdmin[Pillar]):
    list_display = ["name", "workspace", "position", "archived_at"]
    list_filter = ["workspace"]


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin[Team]):
    list_display = ["name", "workspace", "parent"]
    list_filter = ["workspace"]
    filter_horizontal = ["members"]
