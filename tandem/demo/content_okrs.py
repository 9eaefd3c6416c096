"""Acme's OKRs for three quarters: the previous one (closed and graded), the active one
(20 objectives, 60 key results, weekly check-ins) and the next one (drafts in planning).

Pillar keys come from content.PILLARS, team names from content.TEAMS, people from
content.PEOPLE ("dana" is the demo login). Key result `trend`/`done_at` shape the
check-in history; see specs.KR.
"""

from typing import Any

from tandem.demo.specs import KR, ObjectiveSpec

PCT = "percent"
USD = "currency"


def up(key: str, title: str, start: str, target: str, owner: str, **kw: Any) -> KR:
    return KR(key, title, "increase", start, target, owner, **kw)


def down(key: str, title: str, start: str, target: str, owner: str, **kw: Any) -> KR:
    return KR(key, title, "decrease", start, target, owner, **kw)


def above(key: str, title: str, level: str, floor: str, owner: str, **kw: Any) -> KR:
    return KR(key, title, "stay_above", level, floor, owner, **kw)


def below(key: str, title: str, level: str, ceiling: str, owner: str, **kw: Any) -> KR:
    return KR(key, title, "stay_below", level, ceiling, owner, **kw)


def milestone(key: str, title: str, owner: str, **kw: Any) -> KR:
    return KR(key, title, "milestone", "0", "1", owner, **kw)


# The tables below are laid out by hand, one key result per entry, so they read like a plan;
# ruff format would put every argument on its own line and triple their length.
# fmt: off
PREVIOUS = (
    ObjectiveSpec(
        "p.c1", "Prove self-serve can carry the Starter plan", "dana", "adoption",
        (
            up("p.c1.trials", "Grow trial sign-ups from 1,400 to 1,800 a month", "1400", "1800",
               "priya", grade="1.0",
               grade_comment="Hit in week 11, helped by the template gallery launch."),
            up("p.c1.activation", "Raise week-1 activation from 33% to 40%", "33.0", "40.0",
               "sofia", unit=PCT, trend=0.7, grade="0.7",
               grade_comment="Ended at 37.9%. The checklist helped; the empty first screen "
               "still loses people."),
            milestone("p.c1.pricing", "Run the pricing experiment on 20% of traffic", "priya",
                      done_at=0.6, grade="1.0",
                      grade_comment="Ran for five weeks; the annual-plan variant won."),
        ),
    ),
    ObjectiveSpec(
        "p.c2", "Stop the churn bleed in small accounts", "priya", "expansion",
        (
            down("p.c2.churn", "Reduce monthly logo churn from 4.6% to 3.0%", "4.6", "3.0",
                 "priya", unit=PCT, trend=0.4, weight="2", grade="0.4",
                 grade_comment="Ended at 4.0%. The cancellation survey shipped late; most saves "
                 "came from CS outreach, not from the product."),
            up("p.c2.nrr", "Lift net revenue retention from 101% to 105%", "101.0", "105.0",
               "priya", unit=PCT, trend=0.8, grade="0.8",
               grade_comment="Ended at 104.2%; warehouse numbers finally let CS target the "
               "right accounts."),
        ),
    ),
    ObjectiveSpec(
        "p.c3", "Lay the groundwork for SOC 2", "marcus", "trust",
        (
            up("p.c3.policies", "Publish all 24 security policies", "0", "24", "marcus",
               cumulative=True, grade="1.0",
               grade_comment="All 24 approved by the board in week 10."),
            above("p.c3.uptime", "Keep monthly uptime above 99.9%", "99.95", "99.90", "jonas",
                  unit=PCT, trend=1.8, grade="0.5",
                  grade_comment="Two database failovers took the last month to 99.86%; the "
                  "first two months held."),
            milestone("p.c3.auditor", "Choose the audit firm and start the observation window",
                      "marcus", done_at=0.45, grade="1.0",
                      grade_comment="Observation window opened in week 7."),
        ),
    ),
    ObjectiveSpec(
        "p.g1", "Make the pricing page sell", "priya", "adoption", team="Growth", parent="p.c1",
        key_results=(
            up("p.g1.conversion", "Increase trial-to-paid conversion from 7.5% to 9.0%", "7.5",
               "9.0", "noah", unit=PCT, grade="1.0",
               grade_comment="9.0% in the last month, after the one-page plan comparison."),
            up("p.g1.experiments", "Run six checkout A/B tests", "0", "6", "noah",
               cumulative=True, trend=0.67, grade="0.7",
               grade_comment="Ran four; two tests needed more traffic than we had."),
        ),
    ),
    ObjectiveSpec(
        "p.o1", "Replace the blank first screen", "sofia", "adoption", team="Onboarding",
        parent="p.c1",
        key_results=(
            milestone("p.o1.checklist", "Ship the setup checklist", "sofia", done_at=0.7,
                      grade="1.0", grade_comment="Shipped in week 9 to every new workspace."),
            up("p.o1.templates", "Publish 30 workflow templates", "0", "30", "grace",
               cumulative=True, trend=0.9, grade="0.9",
               grade_comment="27 live; the last three wait for legal review."),
        ),
    ),
    ObjectiveSpec(
        "p.pl1", "Stop paging people at night", "jonas", "trust", team="Platform",
        parent="p.c3",
        key_results=(
            down("p.pl1.pages", "Reduce out-of-hours pages from 38 to 10 a month", "38", "10",
                 "jonas", trend=0.8, grade="0.8",
                 grade_comment="Down to 16 in the last month; the noisiest alerts are gone."),
            up("p.pl1.runbooks", "Write runbooks for the top 15 alerts", "0", "15", "jonas",
               cumulative=True, grade="1.0",
               grade_comment="All 15 written, and used in two real incidents."),
        ),
    ),
    ObjectiveSpec(
        "p.i1", "Make the HubSpot integration dependable", "aisha", "connected",
        team="Integrations",
        key_results=(
            down("p.i1.sync", "Reduce failed HubSpot syncs from 5.0% to 2.0%", "5.0", "2.0",
                 "ravi", unit=PCT, trend=0.8, grade="0.8",
                 grade_comment="Ended at 2.6%; retries fixed the timeouts, not the rate limits."),
            milestone("p.i1.slack", "Launch the Slack app", "aisha", done_at=0.8, grade="1.0",
                      grade_comment="Listed in the Slack directory since week 11."),
        ),
    ),
    ObjectiveSpec(
        "p.m1", "Put approvals in people's pockets", "liam", "connected", team="Mobile",
        commitment="aspirational",
        key_results=(
            milestone("p.m1.approvals", "Launch mobile approvals on iOS and Android", "liam",
                      grade="0.3",
                      grade_comment="iOS shipped in week 12; Android slipped to this quarter "
                      "after the SDK upgrade."),
            up("p.m1.crash_free", "Raise crash-free sessions from 98.4% to 99.0%", "98.4",
               "99.0", "liam", unit=PCT, trend=1.15, grade="1.0",
               grade_comment="99.1%: the crash triage sprint paid off."),
        ),
    ),
    ObjectiveSpec(
        "p.d1", "One source of truth for revenue numbers", "mei", "expansion", team="Data",
        parent="p.c2",
        key_results=(
            milestone("p.d1.warehouse", "Move revenue reporting to the warehouse", "mei",
                      done_at=0.55, grade="1.0",
                      grade_comment="Finance closed the quarter from the warehouse for the "
                      "first time."),
            up("p.d1.dashboards", "Retire 20 legacy dashboards", "0", "20", "mei",
               cumulative=True, trend=0.6, grade="0.6",
               grade_comment="12 retired; each of the rest still has one loyal user."),
        ),
    ),
)

ACTIVE = (
    ObjectiveSpec(
        "a.c1", "Make Acme the easiest workflow tool to adopt", "dana", "adoption",
        description="Self-serve is where our growth comes from. A team that gets a workflow "
        "live in its first week stays; one that doesn't, churns.",
        key_results=(
            up("a.c1.activation", "Raise week-1 activation from 38% to 50%", "38.0", "50.0",
               "sofia", unit=PCT, trend=0.85, weight="2"),
            down("a.c1.ttv", "Cut median time to first live workflow from 5.0 to 2.0 days",
                 "5.0", "2.0", "sofia", trend=0.7),
            up("a.c1.trials", "Grow self-serve trial sign-ups from 1,800 to 2,600 a month",
               "1800", "2600", "priya", trend=1.1),
        ),
    ),
    ObjectiveSpec(
        "a.c2", "Grow revenue from the customers we already have", "priya", "expansion",
        description="Net revenue retention is the number the board watches most closely.",
        key_results=(
            up("a.c2.nrr", "Lift net revenue retention from 104% to 110%", "104.0", "110.0",
               "priya", unit=PCT, trend=0.6),
            down("a.c2.churn", "Reduce monthly logo churn from 4.0% to 2.5%", "4.0", "2.5",
                 "priya", unit=PCT, trend=0.75, weight="2"),
            up("a.c2.expansion", "Close $450,000 of expansion ARR", "0", "450000", "priya",
               unit=USD, currency="USD", trend=1.05, cumulative=True, no_initiative=True),
        ),
    ),
    ObjectiveSpec(
        "a.c3", "Be the platform enterprises trust", "marcus", "trust",
        description="Three of our five largest deals this year stalled in security review.",
        key_results=(
            above("a.c3.uptime", "Keep monthly uptime above 99.9%", "99.95", "99.90", "jonas",
                  unit=PCT, trend=0.4),
            milestone("a.c3.soc2", "Pass the SOC 2 Type II audit", "marcus", weight="2"),
            down("a.c3.p95", "Bring p95 page load from 2.1 s below 1.2 s", "2.1", "1.2",
                 "jonas", trend=0.8),
        ),
    ),
    ObjectiveSpec(
        "a.c4", "Meet customers in the tools they already use", "aisha", "connected",
        commitment="aspirational",
        key_results=(
            up("a.c4.connected", "Raise accounts with two or more integrations from 31% to 45%",
               "31.0", "45.0", "aisha", unit=PCT, trend=0.7),
            up("a.c4.mobile_wau", "Grow mobile weekly active users from 4,200 to 7,000", "4200",
               "7000", "liam", trend=0.55),
            up("a.c4.partner", "Grow partner-sourced pipeline from $0.9M to $1.5M", "900000",
               "1500000", "aisha", unit=USD, currency="USD", trend=0.8),
        ),
    ),
    ObjectiveSpec(
        "a.g1", "Turn more trials into paying customers", "priya", "adoption", team="Growth",
        parent="a.c1",
        key_results=(
            up("a.g1.trial_conv", "Increase trial-to-paid conversion from 9% to 13%", "9.0",
               "13.0", "noah", unit=PCT, trend=0.75),
            milestone("a.g1.annual", "Launch annual billing in self-serve checkout", "noah",
                      done_at=0.75),
            down("a.g1.checkout_drop", "Reduce checkout abandonment from 62% to 45%", "62.0",
                 "45.0", "noah", unit=PCT, trend=0.9),
        ),
    ),
    ObjectiveSpec(
        "a.g2", "Expand seats inside existing accounts", "priya", "expansion", team="Growth",
        parent="a.c2",
        key_results=(
            up("a.g2.seats", "Grow average seats per paying account from 14 to 18", "14.0",
               "18.0", "priya", trend=0.5),
            up("a.g2.upgrades", "Raise Starter-to-Pro upgrades from 40 to 65 a month", "40",
               "65", "noah", trend=0.9),
            up("a.g2.arpa", "Grow average revenue per account from $610 to $700 a month", "610",
               "700", "priya", unit=USD, currency="USD", trend=0.7),
        ),
    ),
    ObjectiveSpec(
        "a.g3", "Win back at-risk accounts before they cancel", "priya", "expansion",
        team="Growth", parent="a.c2", commitment="aspirational",
        key_results=(
            below("a.g3.at_risk", "Keep accounts in 'at risk' health below 8%", "6.5", "8.0",
                  "priya", unit=PCT, trend=0.8),
            up("a.g3.saves", "Save 30 of the accounts flagged at risk", "0", "30", "priya",
               cumulative=True, trend=0.6),
            up("a.g3.interviews", "Interview 40 customers who cancelled", "0", "40", "priya",
               cumulative=True, no_initiative=True),
        ),
    ),
    ObjectiveSpec(
        "a.o1", "Get every new workspace to a live workflow in a day", "sofia", "adoption",
        team="Onboarding", parent="a.c1",
        key_results=(
            up("a.o1.checklist", "Raise setup checklist completion from 41% to 65%", "41.0",
               "65.0", "sofia", unit=PCT, trend=0.9),
            up("a.o1.templates", "Grow workspaces that start from a template from 22% to 40%",
               "22.0", "40.0", "grace", unit=PCT, trend=1.15),
            down("a.o1.tickets", "Cut onboarding support tickets from 520 to 300 a month", "520",
                 "300", "sofia", trend=0.65),
        ),
    ),
    ObjectiveSpec(
        "a.o2", "Make the first week feel guided, not lonely", "sofia", "adoption",
        team="Onboarding", parent="a.c1", commitment="aspirational",
        key_results=(
            milestone("a.o2.tour", "Ship the guided tour for workspace admins", "grace",
                      done_at=0.5),
            up("a.o2.invites",
               "Raise workspaces inviting three or more teammates in week one from 27% to 40%",
               "27.0", "40.0", "sofia", unit=PCT, trend=0.6),
            above("a.o2.csat", "Keep onboarding CSAT above 4.3", "4.5", "4.3", "sofia",
                  trend=0.5),
        ),
    ),
    ObjectiveSpec(
        "a.o3", "Help mid-market admins roll Acme out to whole departments", "sofia",
        "expansion", team="Onboarding", parent="a.c2",
        key_results=(
            down("a.o3.sso", "Cut median SSO setup time from 3.0 to 1.0 days", "3.0", "1.0",
                 "sofia", trend=0.4),
            milestone("a.o3.bulk_import", "Launch bulk user import by CSV and SCIM", "sofia"),
            up("a.o3.departments",
               "Grow accounts with three or more active departments from 18% to 28%", "18.0",
               "28.0", "sofia", unit=PCT, trend=0.5),
        ),
    ),
    ObjectiveSpec(
        "a.pl1", "Make Acme fast everywhere", "jonas", "trust", team="Platform", parent="a.c3",
        key_results=(
            down("a.pl1.api_p95", "Reduce API p95 latency from 480 ms to 250 ms", "480", "250",
                 "jonas", trend=0.9),
            down("a.pl1.slow_pages", "Cut pages slower than 3 s from 12% to 4%", "12.0", "4.0",
                 "jonas", unit=PCT, trend=0.7),
            below("a.pl1.errors", "Keep the 5xx error rate below 0.10%", "0.06", "0.10",
                  "jonas", unit=PCT, trend=0.3, no_initiative=True),
        ),
    ),
    ObjectiveSpec(
        "a.pl2", "Pass SOC 2 Type II with no major findings", "marcus", "trust",
        team="Platform", parent="a.c3",
        key_results=(
            up("a.pl2.controls", "Close all 46 open control gaps", "0", "46", "marcus",
               cumulative=True, trend=0.95),
            milestone("a.pl2.pentest", "Fix every high finding from the penetration test",
                      "jonas", done_at=0.8),
            up("a.pl2.access", "Complete access reviews for 100% of production systems", "60",
               "100", "marcus", unit=PCT, cumulative=True, trend=0.85),
        ),
    ),
    ObjectiveSpec(
        "a.pl3", "Scale the platform for five times today's data", "marcus", "trust",
        team="Platform", parent="a.c3", commitment="aspirational",
        key_results=(
            up("a.pl3.shard", "Move 100% of workspaces to the sharded database", "0", "100",
               "jonas", unit=PCT, cumulative=True, trend=0.55),
            down("a.pl3.cost",
                 "Reduce infrastructure cost per active account from $4.80 to $3.90", "4.80",
                 "3.90", "marcus", unit=USD, currency="USD", trend=0.6),
            below("a.pl3.queue", "Keep background job lag below 60 seconds", "35", "60", "jonas",
                  trend=1.15),
        ),
    ),
    ObjectiveSpec(
        "a.i1", "Make Acme the hub of our customers' stack", "aisha", "connected",
        team="Integrations", parent="a.c4",
        key_results=(
            milestone("a.i1.salesforce", "Launch the two-way Salesforce sync", "aisha"),
            up("a.i1.syncing", "Grow accounts syncing every week from 1,100 to 1,600", "1100",
               "1600", "ravi", trend=0.8),
            up("a.i1.listings",
               "Get three marketplace listings approved: HubSpot, Slack and Teams", "0", "3",
               "aisha", cumulative=True, trend=0.67),
        ),
    ),
    ObjectiveSpec(
        "a.i2", "Open Acme to developers", "aisha", "connected", team="Integrations",
        parent="a.c4", commitment="aspirational",
        key_results=(
            up("a.i2.api_accounts", "Grow accounts using the public API from 260 to 400", "260",
               "400", "ravi", trend=0.7),
            milestone("a.i2.webhooks", "Ship webhooks v2 with retries and signatures", "ravi",
                      done_at=0.7),
            up("a.i2.docs", "Raise API docs satisfaction from 3.6 to 4.2 out of 5", "3.6", "4.2",
               "aisha", trend=0.9),
        ),
    ),
    ObjectiveSpec(
        "a.i3", "Make integrations reliable enough to forget", "aisha", "trust",
        team="Integrations", parent="a.c3",
        key_results=(
            down("a.i3.failed_syncs", "Reduce failed sync runs from 2.4% to 0.8%", "2.4", "0.8",
                 "ravi", unit=PCT, trend=0.8),
            down("a.i3.tickets", "Cut integration support tickets from 310 to 180 a month",
                 "310", "180", "aisha", trend=0.7),
            milestone("a.i3.alerts", "Alert customers to broken connections within 15 minutes",
                      "ravi"),
        ),
    ),
    ObjectiveSpec(
        "a.m1", "Make the mobile app a daily habit for approvers", "liam", "connected",
        team="Mobile", parent="a.c4", commitment="aspirational",
        key_results=(
            up("a.m1.approvals", "Raise the share of approvals done on mobile from 18% to 30%",
               "18.0", "30.0", "liam", unit=PCT, trend=0.7),
            above("a.m1.rating", "Keep the app store rating above 4.5", "4.6", "4.5", "liam",
                  trend=0.6),
            milestone("a.m1.offline", "Ship offline mode on iOS and Android", "liam"),
        ),
    ),
    ObjectiveSpec(
        "a.m2", "Make the app crash-free and quick", "liam", "trust", team="Mobile",
        parent="a.c3",
        key_results=(
            up("a.m2.crash_free", "Raise crash-free sessions from 99.1% to 99.7%", "99.10",
               "99.70", "liam", unit=PCT, trend=0.9),
            # Nobody works on this one: see builder.INCONSISTENCIES.
            down("a.m2.cold_start", "Reduce cold start time from 3.4 s to 1.8 s", "3.4", "1.8",
                 "liam", trend=0.05,
                 last_note="Still flat: nobody is on start-up time while we finish offline mode."),
            up("a.m2.releases", "Ship six releases on both stores", "0", "6", "liam",
               cumulative=True),
        ),
    ),
    ObjectiveSpec(
        "a.d1", "Give every customer-facing team a live account health score", "mei",
        "expansion", team="Data", parent="a.c2",
        key_results=(
            milestone("a.d1.health", "Launch account health score v2 in the CRM", "mei",
                      done_at=0.85),
            up("a.d1.precision", "Reach 75% precision on churn predictions, from 58%", "58.0",
               "75.0", "mei", unit=PCT, trend=0.8),
            up("a.d1.csm_usage", "Grow CSMs using the health dashboard weekly from 35% to 80%",
               "35.0", "80.0", "mei", unit=PCT, trend=0.5),
        ),
    ),
    ObjectiveSpec(
        "a.d2", "Measure the whole customer journey", "mei", "adoption", team="Data",
        parent="a.c1", commitment="aspirational",
        key_results=(
            up("a.d2.tracking", "Instrument 100% of funnel events in the new tracking plan",
               "55", "100", "mei", unit=PCT, cumulative=True),
            below("a.d2.freshness", "Keep dashboard data fresher than 2 hours", "1.2", "2.0",
                  "mei", trend=0.2, no_initiative=True),
            up("a.d2.self_serve", "Grow weekly self-serve analytics users from 40 to 90", "40",
               "90", "mei", trend=0.85),
        ),
    ),
)

NEXT = (
    ObjectiveSpec(
        "n.c1", "Make Acme the default way mid-market teams onboard customers", "dana",
        "adoption",
        key_results=(
            up("n.c1.activation", "Raise week-1 activation from 50% to 58%", "50.0", "58.0",
               "sofia", unit=PCT),
            up("n.c1.self_serve", "Grow self-serve new ARR from $180,000 to $260,000 a quarter",
               "180000", "260000", "priya", unit=USD, currency="USD"),
        ),
    ),
    ObjectiveSpec(
        "n.c2", "Grow net revenue retention to 112%", "priya", "expansion",
        key_results=(
            up("n.c2.nrr", "Lift net revenue retention from 110% to 112%", "110.0", "112.0",
               "priya", unit=PCT),
            milestone("n.c2.addons", "Launch usage-based add-ons", "noah"),
        ),
    ),
    ObjectiveSpec(
        "n.pl1", "Open an EU data region", "marcus", "trust", team="Platform",
        key_results=(
            milestone("n.pl1.eu", "Launch the EU data region", "jonas"),
            up("n.pl1.eu_customers", "Move 60 EU customers to the EU region", "0", "60",
               "jonas"),
        ),
    ),
    ObjectiveSpec(
        "n.i1", "Launch the integration marketplace", "aisha", "connected",
        team="Integrations", commitment="aspirational",
        key_results=(
            up("n.i1.partners", "Publish 15 partner-built integrations", "0", "15", "aisha"),
            up("n.i1.connected", "Raise accounts with two or more integrations from 45% to 55%",
               "45.0", "55.0", "aisha", unit=PCT),
        ),
    ),
    ObjectiveSpec(
        "n.m1", "Bring the workflow builder to tablets", "liam", "connected", team="Mobile",
        commitment="aspirational",
        key_results=(
            milestone("n.m1.tablet", "Ship the tablet workflow builder", "liam"),
            up("n.m1.wau", "Grow mobile weekly active users from 7,000 to 9,500", "7000", "9500",
               "liam"),
        ),
    ),
    ObjectiveSpec(
        "n.d1", "Predict churn before customers feel it", "mei", "expansion", team="Data",
        parent="n.c2",
        key_results=(
            up("n.d1.alerts", "Alert CSMs 30 days ahead for 90% of accounts that churn", "0",
               "90", "mei", unit=PCT),
            up("n.d1.precision", "Reach 80% precision on churn predictions", "75.0", "80.0",
               "mei", unit=PCT),
        ),
    ),
)
# fmt: on
