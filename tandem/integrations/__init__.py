"""Inbound webhooks from the trackers where work happens (GitHub, GitLab, Jira, Linear):
an initiative linked to an item there follows its status and dates."""
