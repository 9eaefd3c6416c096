"""Acme, the demo company: a B2B SaaS for customer onboarding and workflow automation,
sold self-serve to small teams and by sales to the mid-market. Its people, teams,
strategy and roadmaps. The OKRs, initiatives and insights live beside this module."""

from tandem.demo.specs import Person, TeamSpec

WORKSPACE_NAME = "Acme"
WORKSPACE_SLUG = "acme"
DEMO_EMAIL = "demo@example.com"
DEMO_NAME = "Dana Demo"

# Dana (the demo login) owns the workspace; everyone else is a colleague with a role a
# real company would give them. Only Dana can log in: the others get no usable password.
PEOPLE = (
    Person("marcus", "Marcus Chen", "admin"),  # CTO
    Person("priya", "Priya Raman", "admin"),  # Head of Growth
    Person("sofia", "Sofia Alvarez", "editor"),  # Product Manager, Onboarding
    Person("grace", "Grace Kim", "editor"),  # Product Designer
    Person("noah", "Noah Fischer", "editor"),  # Growth Engineer
    Person("jonas", "Jonas Weber", "editor"),  # Engineering Lead, Platform
    Person("aisha", "Aisha Okafor", "editor"),  # Product Manager, Integrations
    Person("ravi", "Ravi Iyer", "editor"),  # Integrations Engineer
    Person("liam", "Liam O'Connor", "editor"),  # Engineering Lead, Mobile
    Person("mei", "Mei Tanaka", "editor"),  # Data Lead
    Person("elena", "Elena Petrova", "viewer"),  # CFO
    Person("tom", "Tom Becker", "viewer"),  # Sales Director
)

# The person key the builder uses for Dana.
DANA = "dana"

PRODUCT, PLATFORM, INTEGRATIONS = "Product", "Platform", "Integrations"

ROADMAPS = (
    (
        PRODUCT,
        None,
        "What customers see and buy: sign-up to checkout, onboarding, the mobile apps and "
        "the analytics that tell us whether it works.",
    ),
    (
        PLATFORM,
        "Platform",
        "Reliability, performance, security and compliance: the ground everything stands on.",
    ),
    (
        INTEGRATIONS,
        "Integrations",
        "Connectors, the public API and the partner ecosystem.",
    ),
)

# Capacities are person-weeks a team can give a quarter after support, meetings and
# leave. Growth is deliberately over-committed in the active quarter (see builder).
TEAMS = (
    TeamSpec("Growth", "#e8590c", PRODUCT, "priya", ("priya", "noah", "tom"), (30, 32)),
    TeamSpec("Onboarding", "#2f9e44", PRODUCT, "sofia", ("sofia", "grace"), (40, 40)),
    TeamSpec("Platform", "#4f6bed", PLATFORM, "jonas", ("marcus", "jonas", "ravi"), (58, 58)),
    TeamSpec("Integrations", "#7048e8", INTEGRATIONS, "aisha", ("aisha", "ravi"), (34, 36)),
    TeamSpec("Mobile", "#d6336c", PRODUCT, "liam", ("liam", "grace"), (26, 26)),
    TeamSpec("Data", "#1098ad", PRODUCT, "mei", ("mei",), (26, 28)),
)

VISION = """\
## Every team runs its customer workflows on Acme

Mid-market companies lose weeks to onboarding customers by spreadsheet, email and
hand-offs. **Acme makes those workflows effortless to set up, reliable to run and
visible to everyone involved.**

By the end of next year:

- a new team gets its first workflow live **within a day**, without talking to us;
- customers grow with us: **net revenue retention above 115%**;
- enterprises trust us with their data: **SOC 2 Type II**, an EU region, 99.9% uptime;
- Acme works **where our customers already work**: their CRM, their chat, their phone.
"""

PILLARS = (
    (
        "adoption",
        "Effortless adoption",
        "New customers reach value in their first week, self-serve, without a sales call.",
    ),
    (
        "expansion",
        "Expand within accounts",
        "Revenue grows from customers we already have: more seats, more departments, "
        "fewer cancellations.",
    ),
    (
        "trust",
        "Enterprise-grade trust",
        "Fast, reliable, secure and compliant, so that IT says yes.",
    ),
    (
        "connected",
        "Work where customers work",
        "Integrations, the public API and the mobile apps bring Acme into every tool.",
    ),
)
