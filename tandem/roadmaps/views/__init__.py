"""Pages of roadmaps, one module per part of the interface; urls.py imports the modules."""
