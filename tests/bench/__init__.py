"""`make bench`: builds large workspaces and prints the figures the issues ask for."""
