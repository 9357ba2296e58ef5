"""Writing participants, their contacts, meeting requests and project origins (all audited)."""

from investpromo.participants.services.importing import import_participants
from investpromo.participants.services.meetings import (
    accept_meeting,
    cancel_meeting,
    create_must_meeting,
    decline_meeting,
    link_project_to_meeting,
    record_meeting_outcome,
    request_meeting,
    set_meeting_priority,
    unlink_project_from_meeting,
)
from investpromo.participants.services.organisers import (
    assign_organiser,
    remove_organiser,
    set_meeting_rules,
)
from investpromo.participants.services.portal import (
    email_portal_link,
    issue_portal_link,
    revoke_portal_links,
    verify_portal_token,
)
from investpromo.participants.services.registrations import (
    add_contact,
    approve_participant,
    create_participant,
    merge_participant,
    reject_participant,
    update_contact,
    update_participant,
)

__all__ = [
    "accept_meeting",
    "add_contact",
    "approve_participant",
    "assign_organiser",
    "cancel_meeting",
    "create_must_meeting",
    "create_participant",
    "decline_meeting",
    "email_portal_link",
    "import_participants",
    "issue_portal_link",
    "link_project_to_meeting",
    "merge_participant",
    "record_meeting_outcome",
    "reject_participant",
    "remove_organiser",
    "request_meeting",
    "revoke_portal_links",
    "set_meeting_priority",
    "set_meeting_rules",
    "unlink_project_from_meeting",
    "update_contact",
    "update_participant",
    "verify_portal_token",
]
