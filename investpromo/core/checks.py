"""Deployment checks of our own (`investpromo check --deploy`)."""

import stat
from pathlib import Path

from django.conf import settings
from django.core.checks import Info, Tags, Warning, register


@register(Tags.security, deploy=True)
def secret_key_file_check(app_configs=None, **kwargs):
    """Say where a generated secret key is kept, how to rotate it, and if others can read it."""
    path = getattr(settings, "INVESTPROMO_SECRET_KEY_FILE", None)
    if not path:
        return []
    path = Path(path)
    found = [
        Info(
            f"The secret key (DJANGO_SECRET_KEY is not set) is kept in {path}.",
            hint=(
                "To rotate it, stop every server and worker, delete that file and start them "
                "again (a new key is made; everyone signs in again), or set DJANGO_SECRET_KEY. "
                "Servers that do not share this data folder must all be given the same "
                "DJANGO_SECRET_KEY."
            ),
            id="investpromo.I001",
        )
    ]
    if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
        found.append(
            Warning(
                f"The secret key file {path} can be read by other accounts.",
                hint=f"chmod 600 {path}",
                id="investpromo.W001",
            )
        )
    return found
