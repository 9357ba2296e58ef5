"""The `investpromo` console command: Django's management commands with our settings."""

import os
import sys
from difflib import get_close_matches

from django.conf import settings
from django.core.management import ManagementUtility, get_commands


class InvestPromoUtility(ManagementUtility):
    """Django's command dispatcher; an unknown command or a mistyped argument is one line, exit 2."""

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
        command = super().fetch_command(subcommand)
        # Imported once the apps are ready (the base reads models).
        from investpromo.core.management.base import InvestPromoCommand, with_one_line_errors

        if not isinstance(command, InvestPromoCommand):
            # Django's own commands (migrate, collectstatic, check…) answer mistakes as ours do.
            build_parser = command.create_parser
            command.create_parser = lambda *args, **kwargs: with_one_line_errors(
                build_parser(*args, **kwargs)
            )
        return command


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "investpromo.settings")
    InvestPromoUtility(["investpromo", *(sys.argv[1:] if argv is None else argv)]).execute()


if __name__ == "__main__":
    main()
