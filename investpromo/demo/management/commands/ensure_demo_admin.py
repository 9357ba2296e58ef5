"""`investpromo ensure_demo_admin`: on first run create an administrator and print its password once."""

import secrets

from django.contrib.auth import get_user_model

from investpromo.core.management.base import InvestPromoCommand

USERNAME = "admin"


class Command(InvestPromoCommand):
    help = "Create the local administrator 'admin' on first run and print its password once."

    def handle(self, *args, **options):
        users = get_user_model()
        if users.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                f"Sign in as '{USERNAME}' with the password printed when it was created "
                f"(forgot it? `.venv/bin/investpromo changepassword {USERNAME}`)."
            )
            return
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser(USERNAME, email="", password=password)
        self.stdout.write(
            f"Created administrator '{USERNAME}' with password: {password}\n"
            "This password is shown only once: note it now."
        )
