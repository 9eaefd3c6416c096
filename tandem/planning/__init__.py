"""The plan as a whole, above the apps that keep its parts (strategy, okrs, roadmaps): the
snapshot analyses run on (snapshot.py), forecasts of key results (forecasts.py), and the
one door by which fixes and scenarios change the plan (edits.py)."""
