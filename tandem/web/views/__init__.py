"""Pages of web, one module per part of the interface; urls.py imports the modules."""
