"""``manage.py load_demo``: the demo content of the example site, created by code.

Safe to run on every start (``make demo`` does): what exists is left alone, nothing is duplicated.
``--reset`` restores the demo objects to their defined content.
"""

from django.core.management.base import BaseCommand

from home.demo_content import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    SITE_URL,
    DemoLoader,
)


class Command(BaseCommand):
    help = (
        "Creates the demo content of the example site (home page, the four elements, the "
        "programme page with its element pages, an image and an admin/admin superuser). "
        "Idempotent: existing demo objects are kept unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Restore existing demo objects to their defined content (publishes a new "
            "revision only where something differs).",
        )

    def handle(self, *args, **options):
        verbose = options["verbosity"] >= 1

        def log(line: str) -> None:
            if verbose:
                self.stdout.write(f"  {line}")

        if verbose:
            self.stdout.write("Lade die Demo-Inhalte der Kokreativen Kommune …")
        loader = DemoLoader(log=log, reset=options["reset"])
        programme = loader.run()

        programme_url = programme.get_url() or "/"
        if programme_url.startswith("/"):
            programme_url = f"{SITE_URL}{programme_url}"
        if loader.admin_password_known:
            login = f"{ADMIN_USERNAME} / {ADMIN_PASSWORD}"
        else:
            login = f"{ADMIN_USERNAME} / (Passwort unverändert, nicht „{ADMIN_PASSWORD}“)"

        self.stdout.write(self.style.SUCCESS("Demo-Inhalte sind bereit."))
        self.stdout.write("")
        self.stdout.write(f"  Website:        {SITE_URL}/")
        self.stdout.write(f"  Programmseite:  {programme_url}")
        self.stdout.write(f"  Admin:          {SITE_URL}/admin/")
        self.stdout.write(f"  Anmeldung:      {login}")
        self.stdout.write("")
        self.stdout.write(
            "Server starten mit: python example_site/manage.py runserver 127.0.0.1:8000"
        )
