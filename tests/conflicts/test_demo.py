"""The demo workspace carries the five deliberate inconsistencies; detection finds each."""

from django.core.management import call_command

from tandem.accounts.models import Workspace
from tandem.conflicts.detection import conflicts_detect
from tandem.conflicts.models import Conflict
from tandem.okrs.models import Cycle


def test_demo_shows_conflicts_of_rules_a_to_e(db, capsys):
    call_command("demo")
    workspace = Workspace.objects.get(slug="acme")
    conflicts_detect(workspace=workspace)
    found = Conflict.objects.in_workspace(workspace).needing_attention()
    sentences = {c.rule: [] for c in found}
    for conflict in found:
        sentences[conflict.rule].append(conflict.sentence)
    for rule in (
        "late_delivery",
        "unsupported_key_result",
        "orphan_work",
        "over_capacity",
        "dependency_order",
    ):
        assert rule in sentences, f"no {rule} conflict in the demo"
    assert any("Shard the primary database" in s for s in sentences["late_delivery"])
    assert any("Reduce cold start time" in s for s in sentences["unsupported_key_result"])
    assert any("Rewrite the notification service in Go" in s for s in sentences["orphan_work"])
    assert any("Growth" in s for s in sentences["over_capacity"])
    assert any("Two-way Salesforce sync" in s for s in sentences["dependency_order"])
    # Rule g reads the forecast: the stalled key result nobody works on is likely to miss,
    # with the numbers.
    [at_risk] = [s for s in sentences["at_risk_without_action"] if "Reduce cold start" in s]
    assert "likely to miss (" in at_risk and "forecast " in at_risk
    # The next quarter's key results were only just written: not flagged unsupported yet.
    upcoming = Cycle.objects.in_workspace(workspace).get(state="planning").name
    assert not [s for s in sentences["unsupported_key_result"] if upcoming in s]
