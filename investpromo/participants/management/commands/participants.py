"""`investpromo participants import|links|revoke-link`: an event's participant list and links.

import FILE --event SLUG [--dry-run]: register or update the participants a list names.
links --event SLUG [--participant ID_OR_NAME] [--days N] [--email]: issue personal portal links
(each replaces the participant's earlier link) and print them to copy, or email them.
revoke-link --event SLUG --participant ID_OR_NAME: withdraw a participant's links.
organiser add|remove|list --event SLUG [USERNAME]: who organises the event (administrators).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from investpromo.core.errors import UserError
from investpromo.core.management.base import InvestPromoCommand
from investpromo.events.selectors import get_event
from investpromo.participants.importing import import_participant_list
from investpromo.participants.selectors import find_participant, participants_of_event
from investpromo.participants.services import (
    assign_organiser,
    email_portal_link,
    issue_portal_link,
    remove_organiser,
    revoke_portal_links,
)
from investpromo.participants.services.portal import portal_url


class Command(InvestPromoCommand):
    help = (
        "Import an event's participant list (单位名称, 参会身份, … with English aliases). All or "
        "nothing: exit 1 when rows are invalid (nothing written), 2 when the file or event "
        "cannot be used."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        read = sub.add_parser("import", help="register or update the participants of a list")
        read.add_argument("file", help="the .xlsx, .xls or .csv file")
        read.add_argument("--event", required=True, metavar="SLUG")
        read.add_argument("--dry-run", action="store_true", help="check and summarise only")
        links = sub.add_parser("links", help="issue personal portal links and print or email them")
        links.add_argument("--event", required=True, metavar="SLUG")
        links.add_argument("--participant", metavar="ID_OR_NAME", help="one participant only")
        links.add_argument("--days", type=int, help="how long the links work (default: event's)")
        links.add_argument("--email", action="store_true", help="email each to its contact")
        revoke = sub.add_parser("revoke-link", help="withdraw a participant's portal links")
        revoke.add_argument("--event", required=True, metavar="SLUG")
        revoke.add_argument("--participant", required=True, metavar="ID_OR_NAME")
        organiser = sub.add_parser("organiser", help="add, remove or list the event's organisers")
        organiser.add_argument("change", choices=["add", "remove", "list"])
        organiser.add_argument("username", nargs="?")
        organiser.add_argument("--event", required=True, metavar="SLUG")

    def handle(self, *args, **options):
        event = get_event(options["event"])
        actor = self.actor(options)
        if options["action"] == "links":
            self._links(actor, event, options)
            return
        if options["action"] == "organiser":
            self._organiser(actor, event, options)
            return
        if options["action"] == "revoke-link":
            participant = find_participant(event, options["participant"])
            count = revoke_portal_links(actor=actor, participant=participant, via="cli")
            self.stdout.write(f"{participant.name}: {count} link(s) withdrawn")
            return
        report = import_participant_list(
            actor=actor,
            path=options["file"],
            event=event,
            dry_run=options["dry_run"],
        )
        self.stdout.write(report.format_text())
        if report.failed:
            raise CommandError(f"{report.rejected} invalid rows: nothing was written", returncode=1)

    def _links(self, actor, event, options):
        chosen = options["participant"]
        participants = (
            [find_participant(event, chosen)] if chosen else list(participants_of_event(event))
        )
        for participant in participants:
            if options["email"]:
                link = email_portal_link(
                    actor=actor, participant=participant, days=options["days"], via="cli"
                )
                self.stdout.write(
                    f"{participant.pk}\t{participant.name}\temailed, valid until "
                    f"{link.expires_at:%Y-%m-%d %H:%M}"
                )
                continue
            link, token = issue_portal_link(
                actor=actor, participant=participant, days=options["days"], via="cli"
            )
            self.stdout.write(f"{participant.pk}\t{participant.name}\t{portal_url(token)}")

    def _organiser(self, actor, event, options):
        if options["change"] == "list":
            for organiser in event.organisers.select_related("user").order_by("user__username"):
                self.stdout.write(organiser.user.get_username())
            return
        username = options["username"]
        user = get_user_model().objects.filter(username=username).first() if username else None
        if user is None:
            raise UserError(f"no user named {username!r}" if username else "give a USERNAME")
        if options["change"] == "add":
            assign_organiser(actor=actor, event=event, user=user, via="cli")
            self.stdout.write(f"{username} organises {event.slug}")
        else:
            remove_organiser(actor=actor, event=event, user=user, via="cli")
            self.stdout.write(f"{username} no longer organises {event.slug}")
