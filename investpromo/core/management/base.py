"""Base for our commands: user mistakes become one line on stderr and exit code 2."""

import argparse
import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.utils import OperationalError, ProgrammingError

from investpromo.core.audit import system_user
from investpromo.core.errors import UserError


def parse_date_arg(text: str) -> dt.date:
    """argparse type for YYYY-MM-DD dates."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


class OneLineErrorParser(CommandParser):
    """A parser whose argument mistakes print one line and exit 2; the usage stays on --help."""

    def error(self, message):
        if not self.called_from_command_line:
            super().error(message)  # call_command: Django's CommandError
        message = " ".join(str(message).split())
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def with_one_line_errors(parser: CommandParser) -> CommandParser:
    """The parser and its subcommands' parsers, made to report mistakes in one line."""
    # Django builds the parser itself, so its class is swapped once it is complete.
    parser.__class__ = OneLineErrorParser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                with_one_line_errors(subparser)
    return parser


class InvestPromoCommand(BaseCommand):
    """A command whose UserErrors and argument mistakes print as one line and exit with status 2."""

    # Commands that record changes take --user; the others leave it out of their --help.
    records_changes = True

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        if self.records_changes:
            parser.add_argument(
                "--user",
                metavar="USERNAME",
                help="record changes as this user (default: the system account)",
            )
        return with_one_line_errors(parser)

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
