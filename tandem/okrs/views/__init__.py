"""Pages of okrs, one module per part of the interface; urls.py imports the modules."""
