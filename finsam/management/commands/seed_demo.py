from importlib import import_module

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from finsam.navigation import APPS


class Command(BaseCommand):
    help = "Lägg in demoförbundet (Samordningsförbundet Sydnärke). Kan köras flera gånger."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Skriv inte ut inloggningarna."
        )

    def handle(self, *args, **options):
        # The demo's invitations and notices are not for anyone: keep them out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for app in APPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError:
                    continue
                module.seed()
        from forbund.demo import DEMO_LOGINS, DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS("Demoförbundet är inlagt."))
        if not options["quiet_logins"]:
            self.stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
            for email, name, role in DEMO_LOGINS:
                self.stdout.write(f"  {email:<18} {name} – {role}")
