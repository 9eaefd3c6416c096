import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
application = get_wsgi_application()

# What loading made (Django, the apps, their modules) lives as long as the process: moved
# out of the cycle collector's sight, so its full collections scan what requests make,
# not the whole framework each time.
gc.freeze()
