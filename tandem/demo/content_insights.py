"""What Acme hears: customer feedback (one theme, several customers, each quote one
insight) and market research. Themes name the initiative they were triaged onto, if any;
the builder leaves the most recent ones untriaged in the inbox."""

from tandem.demo.specs import FeedbackTheme, Research

CUSTOMERS = (
    "Northwind Health", "Brightline Logistics", "Copperleaf Insurance", "Helios Energy",
    "Juniper Labs", "Kestrel Foods", "Lumen Legal", "Meridian Bank", "Nimbus Travel",
    "Orchard Schools", "Pinecrest Realty", "Quarry Analytics", "Redwood Manufacturing",
    "Sable Media", "Tidewater Shipping", "Upland Clinics", "Vantage HR", "Willow Retail",
    "Yarrow Biotech", "Zephyr Airlines",
)  # fmt: skip

FEEDBACK_SOURCES = (
    "Sales call", "Support ticket", "Customer interview", "Quarterly business review",
    "NPS survey", "In-app feedback", "Churn interview", "Community forum", "CSM note",
)  # fmt: skip

# fmt: off
FEEDBACK = (
    FeedbackTheme("wallets", "Wants to pay with Apple Pay or Google Pay", 3, (
        "Our team lead tried to pay from her phone and gave up at the card form.",
        "Why can't I just use Apple Pay like everywhere else?",
        "Checkout asked for our VAT number twice.",
    ), "g.checkout"),
    FeedbackTheme("annual", "Wants annual billing without talking to sales", 4, (
        "Finance only approves annual contracts; monthly card payments get flagged.",
        "We'd commit for a year today if checkout let us.",
        "Had to email sales just to switch to annual.",
    ), "g.annual_plans"),
    FeedbackTheme("plans", "Unclear which plan includes SSO", 3, (
        "Spent twenty minutes on the pricing page trying to find out if Pro has SSO.",
        "The plan table doesn't say what counts as an automation run.",
        "We bought Starter, then found out SSO is only in Pro.",
    ), "g.plan_comparison"),
    FeedbackTheme("trial", "Trial too short to get through IT approval", 3, (
        "Our security review takes three weeks; the trial ended after two.",
        "Could we extend the trial by a week? We were just getting started.",
    ), "g.trial_extension"),
    FeedbackTheme("seats", "Seat price stops us inviting occasional approvers", 4, (
        "Half our approvers log in once a month; a full seat for them feels wrong.",
        "We'd roll out to sales if occasional users were cheaper.",
        "Would love a light 'approver' seat.",
    ), "g.seat_prompts"),
    FeedbackTheme("pause", "Wants to pause the subscription in the off-season", 3, (
        "We're seasonal; we'd rather pause for three months than cancel.",
        "Cancelled because there was no way to pause over the summer.",
    ), "g.save_flow"),
    FeedbackTheme("referral", "Happy to refer other teams", 2, (
        "I've recommended you to two other agencies. Is there anything in it for us?",
        "Do you have a referral programme?",
    ), "g.referrals"),
    FeedbackTheme("currency", "Wants to be billed in euros or pounds", 3, (
        "Procurement won't approve a subscription in dollars.",
        "Exchange-rate surprises on every invoice.",
        "Please bill us in GBP.",
    ), "g.local_pricing"),
    FeedbackTheme("empty", "The empty workspace after sign-up is confusing", 4, (
        "Signed up, saw an empty screen, and didn't know where to start.",
        "Some example data would help me show my boss what this looks like.",
        "Took me a day to understand what a 'stage' is.",
    ), "o.sample_data"),
    FeedbackTheme("templates", "Templates don't match our industry", 3, (
        "None of the templates fit a clinic's patient intake.",
        "We're in logistics; the templates all assume a SaaS sales team.",
        "Would love templates for insurance claims.",
    ), "o.smart_templates"),
    FeedbackTheme("admins", "New admins can't find their way around", 3, (
        "Our new admin couldn't find where to add a workflow stage.",
        "A quick tour for admins would have saved us a support call.",
    ), "o.tour"),
    FeedbackTheme("invites", "Inviting colleagues after setup is awkward", 3, (
        "I built the workflow, then had to hunt for where to invite people.",
        "Colleagues never got the invite email; it went to spam.",
    ), "o.invite_flow"),
    FeedbackTheme("help", "Help articles don't match the screen", 2, (
        "The help article still shows the old editor.",
        "I wish help opened next to what I'm doing instead of in a new tab.",
        "Searching the help centre for 'stage' finds nothing useful.",
    ), "o.help_panel"),
    FeedbackTheme("bulk", "Needs bulk user import and SCIM", 5, (
        "We have 400 users to add; one by one isn't an option.",
        "SCIM provisioning is a hard requirement for our IT team.",
        "Removing leavers by hand is a security risk for us.",
    ), "o.bulk_import"),
    FeedbackTheme("sso", "SSO setup takes too long", 4, (
        "Our Okta admin needed three calls with your support to get SAML working.",
        "The Azure AD setup guide is out of date.",
        "We paused the rollout until SSO works.",
    ), "o.sso_wizard"),
    FeedbackTheme("migration", "Wants to import existing workflows from Asana", 3, (
        "We have 60 workflows in Asana; rebuilding them by hand is the blocker.",
        "Moving from Monday.com. Is there an import tool?",
    ), "o.importers"),
    FeedbackTheme("departments", "Wants separate spaces per department", 3, (
        "HR and Sales shouldn't see each other's workflows.",
        "We need one bill but separate admins per department.",
    ), "o.department_spaces"),
    FeedbackTheme("slow_web", "The web app is slow for large accounts", 4, (
        "The workflow list takes eight seconds to load in the morning.",
        "Everything feels sluggish over the office VPN.",
        "The board freezes with more than 500 items.",
    ), "pl.bundles"),
    FeedbackTheme("slow_api", "The API is slow for bulk reads", 3, (
        "Our nightly export through the API takes two hours.",
        "Rate limits plus latency make the API painful for reporting.",
    ), "pl.api_cache"),
    FeedbackTheme("soc2", "Needs the SOC 2 report before signing", 5, (
        "Legal won't sign without a SOC 2 Type II report.",
        "Our security questionnaire stalled on the audit question.",
        "Do you have a bridge letter until the report is ready?",
    ), "pl.soc2_controls"),
    FeedbackTheme("audit_log", "Wants an audit log of changes", 4, (
        "We must show auditors who changed an approval step.",
        "We need an export of every admin action for compliance.",
        "Who deleted this workflow? We couldn't find out.",
    ), "pl.audit_log"),
    FeedbackTheme("eu", "Requires data hosted in the EU", 5, (
        "Our data protection officer requires EU data residency.",
        "Our German customers ask where their data is stored.",
        "We lost a tender because EU hosting was mandatory.",
    ), "pl.eu_region"),
    FeedbackTheme("byok", "Wants to hold their own encryption keys", 3, (
        "Bank policy requires customer-managed keys.",
        "Bring-your-own-key would unblock our security review.",
    ), "pl.byok"),
    FeedbackTheme("incident", "Approvals stuck during the last incident", 4, (
        "Approvals were stuck for two hours during the incident.",
        "Notifications arrived hours late yesterday afternoon.",
    ), "pl.job_queue"),
    FeedbackTheme("salesforce", "Needs two-way Salesforce sync", 5, (
        "Our reps live in Salesforce; one-way sync means typing everything twice.",
        "We need the workflow status on the Salesforce opportunity.",
        "Salesforce sync is the reason we'd upgrade to Pro.",
    ), "i.salesforce"),
    FeedbackTheme("field_access", "Wants to hide sensitive fields from integrations", 4, (
        "We can't connect HubSpot while it can read salary fields.",
        "We need per-field permissions for API keys.",
    ), "pl.field_permissions"),
    FeedbackTheme("webhooks", "Webhooks fail silently", 4, (
        "We missed events while our endpoint was down; there were no retries.",
        "Please sign webhook payloads so we can verify them.",
        "A delivery log for webhooks would save us hours.",
    ), "i.webhooks"),
    FeedbackTheme("api_docs", "The API docs are hard to follow", 3, (
        "The examples in the docs don't match the real responses.",
        "We'd love to try calls straight from the docs.",
    ), "i.api_docs"),
    FeedbackTheme("broken_sync", "Didn't notice a broken integration for days", 5, (
        "The HubSpot sync had been failing for a week before anyone noticed.",
        "Please email the admin when a connection breaks.",
        "Our token expired and nothing told us.",
    ), "i.sync_monitor"),
    FeedbackTheme("teams", "Needs a Microsoft Teams app", 4, (
        "We're a Microsoft shop; no Slack here.",
        "Approvals in Teams would get us to roll out company-wide.",
        "IT only allows Teams apps.",
    ), "i.teams_app"),
    FeedbackTheme("zapier", "Wants a Zapier connector", 3, (
        "We'd connect our ticketing tool through Zapier if you had it.",
        "Zapier would cover all our niche tools.",
    ), "i.zapier"),
    FeedbackTheme("netsuite", "Wants approved requests synced to NetSuite", 2, (
        "Finance re-types approved purchase requests into NetSuite.",
        "A NetSuite integration would make our finance team love this.",
    ), "i.netsuite"),
    FeedbackTheme("pipedrive", "Uses Pipedrive, not HubSpot", 2, (
        "We're on Pipedrive. Any plans?",
        "Pipedrive integration, please!",
    ), "i.pipedrive"),
    FeedbackTheme("offline", "Can't approve without a signal", 4, (
        "Our field engineers lose signal on site and can't approve.",
        "Approvals on the train fail halfway.",
        "We need offline mode for warehouse staff.",
    ), "m.offline"),
    FeedbackTheme("android", "Waiting for approvals on Android", 4, (
        "Half our team is on Android and still can't approve on mobile.",
        "When is the Android version coming?",
    ), "m.android_approvals"),
    FeedbackTheme("push", "Push notifications aren't actionable", 3, (
        "I get the push, then have to open the app and find the item.",
        "Let me approve straight from the notification.",
    ), "m.push"),
    FeedbackTheme("crashes", "The app crashes on older Android phones", 4, (
        "It crashes every time I open an attachment on my Samsung.",
        "The app closes itself after a few minutes in the background.",
    ), "m.stability"),
    # Evidence for the cold-start key result that no initiative serves yet.
    FeedbackTheme("cold_start", "The mobile app is slow to open", 4, (
        "The app takes forever to open when I just want to approve one thing.",
        "Five seconds of splash screen, every single time.",
        "Opening the app is slower than logging in on my laptop.",
    )),
    FeedbackTheme("tablet", "Wants to build workflows on an iPad", 2, (
        "Our managers only carry iPads.",
        "Editing workflows on the tablet would be great.",
    ), "m.tablet"),
    FeedbackTheme("dark_mode", "Wants dark mode", 1, (
        "Dark mode, please!",
        "The white screen is blinding on night shifts.",
    ), "m.dark_mode"),
    FeedbackTheme("health", "CSMs can't see account health in the CRM", 4, (
        "I find out an account is unhappy when they cancel.",
        "The health score belongs on the Salesforce account page.",
    ), "d.health_dashboard"),
    FeedbackTheme("reports", "Wants reports on approval times", 3, (
        "Our COO wants to see how long approvals take per department.",
        "A CSV export is not a report.",
        "Department heads want a weekly summary by email.",
    ), "d.self_serve"),
    FeedbackTheme("benchmarks", "Wants to compare with similar companies", 2, (
        "How do we compare with other clinics our size?",
        "We'd pay for benchmarks against our industry.",
    ), "d.benchmarks"),
    FeedbackTheme("ai_drafts", "Wants AI to draft workflows", 3, (
        "Can't I just describe the process and have it built?",
        "A competitor demoed AI workflow drafting; our CEO asked about it.",
    ), "o.setup_assistant"),
    FeedbackTheme("run_limits", "Needs more automation runs without upgrading", 3, (
        "We hit the automation limit mid-month and everything stopped.",
        "Let us buy more runs instead of jumping to Enterprise.",
    ), "g.usage_addons"),
    FeedbackTheme("email_noise", "Too many notification emails", 2, (
        "I get forty emails a day from Acme.",
        "Please add a daily digest.",
        "We muted Acme emails company-wide; now people miss approvals.",
    )),
)

RESEARCH = (
    Research("Competitors all offer wallet payments at checkout", "Competitor teardown",
             "SMB self-serve", 3, "Four of five competitors accept Apple Pay; none ask for a "
             "VAT number before the card.", "g.checkout"),
    Research("Annual prepay is the norm above 50 seats", "Pricing study", "Mid-market", 4,
             "78% of mid-market buyers we surveyed pay annually; finance prefers one invoice.",
             "g.annual_plans"),
    Research("Usage-based add-ons lift retention in our category", "Analyst report",
             "Mid-market", 4, "Vendors with usage add-ons report 5 to 10 points higher NRR.",
             "g.usage_addons"),
    Research("Conversion peaks when a workflow goes live within 48 hours", "Product analytics",
             "SMB self-serve", 5, "Trials with a live workflow in two days convert at 3.1x the "
             "rate of the rest.", "o.checklist_v2"),
    Research("Buyers compare three tools at most during a trial", "Win/loss analysis",
             "SMB self-serve", 3, "The shortlist forms before the trial starts; reviews and "
             "templates decide it."),
    Research("Security review is the longest step in mid-market deals", "Win/loss analysis",
             "Mid-market", 5, "Median 23 days; deals without a SOC 2 report take twice as long.",
             "pl.soc2_controls"),
    Research("EU data residency is mandatory in many public tenders", "Market study",
             "EU customers", 4, "40% of the European public-sector tenders we reviewed require "
             "EU hosting.", "pl.eu_region"),
    Research("SCIM is a checklist item for IT buyers above 200 staff", "Analyst report",
             "Mid-market", 4, "Every RFP above 200 seats in our sample asked for SCIM.",
             "o.bulk_import"),
    Research("Reviewers praise our templates but call them generic", "G2 review analysis",
             "SMB self-serve", 3, "'Great start, but not for our industry' appears in 14 "
             "reviews.", "o.smart_templates"),
    Research("Microsoft Teams is the chat tool at most mid-market prospects",
             "Sales pipeline analysis", "Mid-market", 4, "58% of open mid-market opportunities "
             "use Teams, not Slack.", "i.teams_app"),
    Research("Integration marketplaces drive partner-sourced pipeline", "Partner interviews",
             "Partners", 3, "Partners say a listing brings them 20 to 30% of their leads.",
             "i.marketplace"),
    Research("Zapier is the most requested 'integration' in lost deals", "Win/loss analysis",
             "SMB self-serve", 3, "Named in 11 of 40 lost self-serve deals.", "i.zapier"),
    Research("Field teams approve mostly on mobile", "Customer survey", "Field service", 4,
             "Two thirds of approvals in field-service accounts happen on a phone.",
             "m.offline"),
    Research("Slow start-up is the top complaint in app store reviews", "App store reviews",
             "Mobile users", 4, "Cold start time is mentioned in 31% of one- and two-star "
             "reviews this quarter."),
    Research("Health scores predict churn two months ahead", "Analyst report",
             "Customer success", 3, "Comparable SaaS companies see 60-day warning with usage "
             "plus support signals.", "d.health_v2"),
    Research("CSMs spend 30% of their time gathering account data", "Internal time study",
             "Customer success", 3, "Mostly copying numbers between the product, billing "
             "and the CRM.", "d.health_dashboard"),
    Research("A competitor launched AI workflow drafting", "Competitor teardown", "Market", 4,
             "Drafts are rough, but the demo lands well with executives.",
             "o.setup_assistant"),
    Research("Accounts syncing with Salesforce expand twice as often", "Product analytics",
             "Mid-market", 4, "Seat growth over 12 months: 2.1x for accounts with the "
             "Salesforce integration.", "i.salesforce"),
    Research("Churned accounts rarely invited more than two teammates", "Churn analysis",
             "SMB self-serve", 4, "81% of churned self-serve accounts had fewer than three "
             "active users.", "o.invite_flow"),
    Research("Pause options cut voluntary churn", "Industry benchmark", "SMB self-serve", 3,
             "Subscription businesses report a quarter fewer cancellations with a pause.",
             "g.save_flow"),
    Research("Referred customers retain best", "Industry benchmark", "SMB self-serve", 2,
             "Referred accounts show 18% better 12-month retention.", "g.referrals"),
    Research("Healthcare buyers require audit logs", "Segment research", "Healthcare", 4,
             "Every healthcare prospect asked for an exportable audit trail.", "pl.audit_log"),
    Research("Banks require customer-managed encryption keys", "Segment research",
             "Financial services", 3, "Three of four banks in the pipeline list BYOK as a "
             "must-have.", "pl.byok"),
    Research("Agencies resell tools like ours", "Partner interviews", "Agencies", 2,
             "Agencies want a margin and a console to manage client accounts.", "g.resellers"),
    Research("Pages slower than 3 seconds halve engagement", "Product analytics",
             "All customers", 4, "Sessions on slow dashboards are 48% shorter.", "pl.bundles"),
    Research("Developers judge an API by its docs in ten minutes", "Developer survey",
             "Developers", 3, "Runnable examples are the most valued feature.", "i.api_docs"),
    Research("Webhook reliability is a top-three criterion for platform buyers",
             "Developer survey", "Developers", 3, "Retries and signatures are table stakes.",
             "i.webhooks"),
    Research("Department rollouts double seat counts within six months", "Cohort analysis",
             "Mid-market", 4, "Accounts active in three departments grow seats 2x faster.",
             "o.department_spaces"),
    Research("Nonprofits churn at three times the average rate", "Cohort analysis",
             "Nonprofits", 2, "Budgets reset every grant cycle.", "g.nonprofit_plan"),
    Research("Sample data raises activation in comparable tools", "Competitor teardown",
             "SMB self-serve", 3, "Two competitors pre-fill new workspaces with a demo "
             "process.", "o.sample_data"),
    Research("Managers increasingly work from tablets", "Customer survey", "Mid-market", 2,
             "23% of managers use a tablet for work daily.", "m.tablet"),
    Research("Competitors price per active user, not per seat", "Pricing study", "Mid-market",
             3, "Two of our main competitors moved to active-user pricing this year."),
    Research("Kubernetes would cost two quarters for little gain",
             "Architecture review", "Engineering", 2, "Our managed platform already scales "
             "to ten times today's load.", "pl.kubernetes"),
    Research("Executives ask for benchmark data first", "Customer interviews", "Executives",
             2, "Seven of ten executive interviews asked how they compare with peers.",
             "d.benchmarks"),
    Research("Notification volume is the top reason for muting Acme", "Customer survey",
             "All customers", 3, "People who muted us missed 40% more approvals."),
    Research("Regulated customers want a sub-processor list", "Segment research",
             "Healthcare", 2, "Asked for in every healthcare security questionnaire."),
)
# fmt: on
