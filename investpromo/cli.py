"""The `investpromo` console command: Django's management commands with our settings."""

import os
import sys
from difflib import get_close_matches

from django.conf import settings
from django.core.management import ManagementUtility, get_commands


class InvestPromoUtility(ManagementUtility):
    """Django's command dispatcher; an unknown command is one line and exit 2."""

    def fetch_command(self, subcommand):
        commands = get_commands()
        if subcommand not in commands:
            settings.INSTALLED_APPS  # noqa: B018 — broken settings report themselves first
            matches = get_close_matches(subcommand, commands)
            hint = f", did you mean {matches[0]}?" if matches else ""
            sys.stderr.write(
                f"{self.prog_name}: unknown command {subcommand!r}{hint}"
                f" (`{self.prog_name} help` lists the commands)\n"
            )
            sys.exit(2)
        return super().fetch_command(subcommand)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "investpromo.settings")
    InvestPromoUtility(["investpromo", *(sys.argv[1:] if argv is None else argv)]).execute()


if __name__ == "__main__":
    main()
