"""`investpromo user add|list|set|deactivate|reactivate|reset-password`: manage accounts."""

from django.utils.timezone import localtime

from investpromo.accounts.selectors import get_account_by_username, list_accounts
from investpromo.accounts.services.users import (
    change_user,
    create_user,
    deactivate_user,
    reactivate_user,
    reset_password,
)
from investpromo.core.management.base import InvestPromoCommand
from investpromo.geo.resolver import resolve_region

ROLES = ["administrator", "officer", "viewer"]


class Command(InvestPromoCommand):
    help = "Add, list and change user accounts (administrators' work)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add an account; prints its one-time password")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=ROLES)
        add.add_argument(
            "--region",
            action="append",
            default=[],
            help="an officer's region (code or name); repeat for several",
        )
        add.add_argument("--email", default="")
        sub.add_parser("list", help="list accounts with role, regions, state and last sign-in")
        change = sub.add_parser("set", help="change an account's role, regions or email")
        change.add_argument("username")
        change.add_argument("--role", choices=ROLES)
        change.add_argument(
            "--region",
            action="append",
            help="replaces the account's regions (code or name); repeat for several",
        )
        change.add_argument("--email")
        for name, text in (
            ("deactivate", "stop an account from signing in"),
            ("reactivate", "let a deactivated account sign in again"),
            ("reset-password", "give an account a new one-time password (printed once)"),
        ):
            sub.add_parser(name, help=text).add_argument("username")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "list":
            self._list()
            return
        actor = self.actor(options)
        if action == "add":
            user, password = create_user(
                actor=actor,
                username=options["username"],
                role=options["role"],
                regions=[resolve_region(text) for text in options["region"]],
                email=options["email"],
                via="cli",
            )
            self.stdout.write(f"Added {user.username} ({options['role']})")
            self.stdout.write(f"One-time password: {password}")
            return
        user = get_account_by_username(options["username"]).user
        if action == "set":
            regions = options["region"]
            change_user(
                actor=actor,
                user=user,
                role=options["role"],
                regions=None if regions is None else [resolve_region(text) for text in regions],
                email=options["email"],
                via="cli",
            )
            self._list(only=user.username)
        elif action == "deactivate":
            deactivate_user(actor=actor, user=user, via="cli")
            self.stdout.write(f"Deactivated {user.username}")
        elif action == "reactivate":
            reactivate_user(actor=actor, user=user, via="cli")
            self.stdout.write(f"Reactivated {user.username}")
        else:
            password = reset_password(actor=actor, user=user, via="cli")
            self.stdout.write(f"One-time password for {user.username}: {password}")

    def _list(self, only: str | None = None) -> None:
        for account in list_accounts():
            user = account.user
            if only is not None and user.username != only:
                continue
            regions = ",".join(region.code for region in account.regions) or "-"
            last = f"{localtime(user.last_login):%Y-%m-%d %H:%M}" if user.last_login else "never"
            state = "active" if user.is_active else "inactive"
            self.stdout.write(f"{user.username}\t{account.role}\t{regions}\t{state}\t{last}")
