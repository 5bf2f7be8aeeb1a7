"""django-recurrence's app, with the primary keys its own migrations end on.

django-recurrence ships no AppConfig, so its models take their ``id`` type from the site's
``DEFAULT_AUTO_FIELD``, while its migrations end on ``BigAutoField`` (0002). A site on
``AutoField`` (Django 5.2's default, every older site) would get a stray migration written into
``site-packages/recurrence``; changing ``DEFAULT_AUTO_FIELD`` instead would migrate the site's own
tables. Listing this config in place of ``"recurrence"`` fixes django-recurrence alone.

Label, name and tables stay django-recurrence's, so existing data and migrations are kept. Why
not patch the plain ``"recurrence"`` entry from our events app: Django imports models in
``INSTALLED_APPS`` order, so a patch would work or silently not depending on where a site lists
the two apps (check ``kokreative_wagtail.W003`` reports the real state either way).
"""

from django.apps import AppConfig

#: The INSTALLED_APPS entry for django-recurrence that gives its models the keys of its migrations.
RECURRENCE_CONFIG = "kokreative_wagtail.events.recurrence_app.RecurrenceConfig"


class RecurrenceConfig(AppConfig):
    """Use as ``"kokreative_wagtail.events.recurrence_app.RecurrenceConfig"`` in INSTALLED_APPS."""

    name = "recurrence"
    label = "recurrence"
    verbose_name = "django-recurrence"
    default_auto_field = "django.db.models.BigAutoField"
