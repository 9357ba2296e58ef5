"""Base for our commands: user mistakes become one line on stderr and exit code 2."""

import argparse
import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.utils import OperationalError, ProgrammingError

from investpromo.core.audit import system_user
from investpromo.core.errors import UserError


def parse_date_arg(text: str) -> dt.date:
    """argparse type for YYYY-MM-DD dates."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


class InvestPromoCommand(BaseCommand):
    """A command whose UserErrors print as one clear line and exit with status 2."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="record changes as this user (default: the system account)",
        )
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except UserError as error:
            raise CommandError(str(error), returncode=2) from None
        except (OperationalError, ProgrammingError) as error:
            text = str(error)
            if "no such table" in text or "does not exist" in text:
                raise CommandError(
                    "the database is not set up yet: run `investpromo setup` first", returncode=2
                ) from None
            raise

    def actor(self, options):
        """The account changes are recorded under."""
        username = options.get("user")
        if not username:
            return system_user()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise UserError(f"no user named {username!r}")
        return user
