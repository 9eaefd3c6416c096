"""Pages of strategy, one module per part of the interface; urls.py imports the modules."""
