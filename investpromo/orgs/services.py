"""Writing organisations; every change is audited."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext

from investpromo.accounts.permissions import (
    Role,
    ensure_can_write_organisations,
    role_of,
    scope_prefixes,
)
from investpromo.core import bulk
from investpromo.core.audit import (
    delete_and_record,
    history_for,
    record_change,
    save_and_record_update,
    snapshot,
)
from investpromo.core.errors import PermissionDenied, UserError
from investpromo.core.models import ChangeLog
from investpromo.core.text import normalize_key, normalize_text
from investpromo.orgs.models import Organisation
from investpromo.orgs.uscc import validate_uscc

_EDITABLE = {"name", "aliases", "uscc", "home_region", "kind", "is_demo"}


def _clean_name(name: str, *, what: str = "an organisation") -> str:
    cleaned = normalize_text(name)
    if not cleaned:
        raise UserError(f"{what} needs a name", field="name")
    if len(cleaned) > 200:
        raise UserError(f"{what} name may have at most 200 characters", field="name")
    return cleaned


def _clean_uscc(uscc: str | None, *, exclude_pk=None) -> str | None:
    if uscc is None or not str(uscc).strip():
        return None
    code = validate_uscc(uscc)
    clash = Organisation.objects.filter(uscc=code).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise UserError(f"USCC {code} already belongs to {clash.name}", field="uscc")
    return code


@transaction.atomic
def create_organisation(
    *,
    actor,
    name: str,
    uscc: str | None = None,
    aliases: list[str] | None = None,
    home_region=None,
    kind: str = Organisation.Kind.ENTERPRISE,
    is_demo: bool = False,
    via: str = "",
) -> Organisation:
    """Create an organisation after validating its name and USCC."""
    ensure_can_write_organisations(actor)
    name = _clean_name(name)
    if kind not in Organisation.Kind.values:
        raise UserError(f"unknown organisation type {kind!r}", field="kind")
    organisation = Organisation.objects.create(
        name=name,
        normalized_name=normalize_key(name),
        uscc=_clean_uscc(uscc),
        aliases=[normalize_text(a) for a in aliases or [] if normalize_text(a)],
        home_region=home_region,
        kind=kind,
        is_demo=is_demo,
    )
    record_change(
        actor=actor,
        instance=organisation,
        action="create",
        before=None,
        after=snapshot(organisation),
        source=via,
    )
    return organisation


# The reverse relations through which projects use an organisation; any other one (an event's
# participants...) is a use that no region scope covers.
_PROJECT_USES = ("projects", "co_invested_projects")


def _created_by(organisation: Organisation):
    """The user id that created the organisation (by hand or by an import), if recorded."""
    created = history_for(organisation).filter(
        action__in=[ChangeLog.Action.CREATE, ChangeLog.Action.IMPORT]
    )
    return created.order_by("id").values_list("user_id", flat=True).first()


def ensure_can_change_organisation(actor, organisation: Organisation) -> None:
    """Raise PermissionDenied unless the actor may change this organisation.

    An officer may change one only when every project that uses it lies in their regions, or,
    when no project uses it, when they created it and nothing else uses it: an organisation is
    shared, and renaming it changes every project it is named in.
    """
    ensure_can_write_organisations(actor)
    prefixes = scope_prefixes(actor)
    if prefixes is None:
        return
    in_scope = reduce(or_, (Q(destination_region__code__startswith=p) for p in prefixes), Q())
    used_by_projects = False
    for relation in _PROJECT_USES:
        projects = getattr(organisation, relation).all()
        outside = (projects.exclude(in_scope) if prefixes else projects).select_related(
            "destination_region"
        )
        project = outside.order_by("id").first()
        if project is not None:
            raise PermissionDenied(
                gettext(
                    "You may change %(organisation)s only if every project that uses it is in "
                    "your regions; %(project)s is in %(region)s."
                )
                % {
                    "organisation": organisation.name,
                    "project": project.name,
                    "region": project.destination_region.full_name,
                },
                code="organisation_out_of_scope",
            )
        used_by_projects = used_by_projects or projects.exists()
    if used_by_projects:
        return
    used_elsewhere = any(
        getattr(organisation, relation.get_accessor_name()).exists()
        for relation in organisation._meta.related_objects
        if relation.get_accessor_name() not in _PROJECT_USES
    )
    if used_elsewhere or _created_by(organisation) != actor.pk:
        raise PermissionDenied(
            gettext(
                "You may change %(organisation)s only if you created it and nothing else uses "
                "it: ask an administrator."
            )
            % {"organisation": organisation.name},
            code="organisation_not_yours",
        )


@transaction.atomic
def update_organisation(
    *, actor, organisation: Organisation, via: str = "", **changes
) -> Organisation:
    """Change an organisation's fields; a rename keeps the old name as an alias."""
    ensure_can_change_organisation(actor, organisation)
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise UserError(f"cannot change {', '.join(sorted(unknown))} of an organisation")
    before = snapshot(organisation)
    if "name" in changes:
        new_name = _clean_name(changes.pop("name"))
        if new_name != organisation.name and organisation.name not in organisation.aliases:
            organisation.aliases = [*organisation.aliases, organisation.name]
        organisation.name = new_name
        if normalize_key(new_name) != organisation.normalized_name:
            organisation.normalized_name = normalize_key(new_name)
            _rekey_projects(organisation)
    if "uscc" in changes:
        organisation.uscc = _clean_uscc(changes.pop("uscc"), exclude_pk=organisation.pk)
    if "kind" in changes and changes["kind"] not in Organisation.Kind.values:
        raise UserError(f"unknown organisation type {changes['kind']!r}", field="kind")
    for field, value in changes.items():
        setattr(organisation, field, value)
    save_and_record_update(actor=actor, instance=organisation, before=before, via=via)
    return organisation


def _rekey_projects(organisation: Organisation) -> None:
    """Keep the investor key of the organisation's projects its normalised name (see Project)."""
    # Through the reverse relation: organisations sit below projects and do not import them.
    projects = organisation.projects
    clash = (
        projects.model.objects.filter(
            investor_key=organisation.normalized_name,
            event__isnull=False,
        )
        .exclude(investor=organisation)
        .filter(
            Exists(
                projects.filter(
                    event=OuterRef("event"), normalized_name=OuterRef("normalized_name")
                )
            )
        )
        .select_related("event", "investor")
        .first()
    )
    if clash is not None:
        raise UserError(
            f"event {clash.event.slug} has a project {clash.name} of {organisation.name} and one "
            f"of {clash.investor.name} (#{clash.pk}): with the new name they would be the same "
            "project; rename one of the projects first",
            field="name",
        )
    projects.update(investor_key=organisation.normalized_name)


@transaction.atomic
def delete_organisation(*, actor, organisation: Organisation, via: str = "") -> None:
    """Delete an organisation that no project refers to (administrators only)."""
    if role_of(actor) != Role.ADMINISTRATOR:
        # Others' projects and history may name it: removing one is an administrator's call.
        raise PermissionDenied(
            gettext("Only administrators can delete organisations."),
            code="organisation_delete_admin",
        )
    if organisation.projects.exists() or organisation.co_invested_projects.exists():
        raise UserError(f"{organisation.name} is an investor in projects and cannot be deleted")
    delete_and_record(actor=actor, instance=organisation, via=via)


def find_or_create_investor(
    *,
    actor,
    name: str,
    uscc: str | None = None,
    home_region=None,
    is_demo: bool = False,
    via: str = "",
) -> tuple[Organisation, bool]:
    """The organisation with this USCC (or, without one, this normalised name), created if new."""
    code = validate_uscc(uscc) if uscc and str(uscc).strip() else None
    if code:
        existing = Organisation.objects.filter(uscc=code).first()
        if existing is not None:
            return surviving(existing), False
    else:
        existing = (
            Organisation.objects.filter(normalized_name=normalize_key(name)).order_by("id").first()
        )
        if existing is not None:
            return surviving(existing), False
    return (
        create_organisation(
            actor=actor, name=name, uscc=code, home_region=home_region, is_demo=is_demo, via=via
        ),
        True,
    )


def surviving(organisation: Organisation) -> Organisation:
    """The organisation itself, or the one it was merged into (integrity's merges)."""
    seen = {organisation.pk}
    while organisation.merged_into_id and organisation.merged_into_id not in seen:
        seen.add(organisation.merged_into_id)
        organisation = Organisation.objects.get(pk=organisation.merged_into_id)
    return organisation


# Below this many organisations a bulk lookup reads them all at once (see InvestorBook).
PRELOAD_ORGANISATIONS = 20_000
_FIELDS = ("id", "name", "normalized_name", "aliases", "uscc", "merged_into_id")


@dataclass(slots=True)
class Investor:
    """An organisation as a bulk import needs it: its id once it has one, its names."""

    pk: int | None
    name: str
    normalized_name: str
    aliases: list
    # The fields of a new organisation, until create_new writes it (a dry run never does).
    new_values: dict | None = None
    # The organisation this one was merged into; _follow_merges replaces it by that one.
    merged_into: int | None = None


class InvestorBook:
    """find_or_create_investor for many rows: organisations read in bulk, new ones created at once.

    The same rule: a USCC finds the organisation that has it; without one, the oldest
    organisation of the normalised name. Organisations to create are held (add) until
    create_new writes them, so looking up writes nothing.
    """

    def __init__(self, *, expected_rows: int = 0):
        # Found in the database (None: not there) or added; filled a batch at a time.
        self.by_uscc: dict[str, Investor | None] = {}
        self.by_name: dict[str, Investor | None] = {}
        # Rows expected in all: whether reading every organisation at once pays.
        self.expected_rows = expected_rows
        self._all_loaded: bool | None = None
        self.pending: list[Investor] = []
        self.added = 0
        # Keys read from the database since _follow_merges last looked at them.
        self._read_uscc: list[str] = []
        self._read_name: list[str] = []

    def load(self, wanted: Iterable[tuple[str | None, str]]) -> None:
        """Read the organisations of these (USCC or None, normalised name) pairs not yet known."""
        if self._all_loaded is None:
            self._all_loaded = self._load_all()
        if self._all_loaded:
            return
        codes, names = set(), set()
        for uscc, key in wanted:
            if uscc and uscc not in self.by_uscc:
                codes.add(uscc)
            if key and key not in self.by_name:
                names.add(key)
        size = bulk.in_chunk_size()
        for chunk in bulk.chunks(sorted(codes), size):
            found = {
                uscc: Investor(pk, name, key, aliases or [], merged_into=merged)
                for pk, name, key, aliases, uscc, merged in Organisation.objects.filter(
                    uscc__in=chunk
                ).values_list(*_FIELDS)
            }
            for code in chunk:
                self.by_uscc[code] = found.get(code)
            self._read_uscc.extend(chunk)
        for chunk in bulk.chunks(sorted(names), size):
            found_names: dict[str, Investor] = {}
            # Newest first, so the oldest organisation of a name is the one kept.
            query = Organisation.objects.filter(normalized_name__in=chunk).order_by("-id")
            for pk, name, key, aliases, _, merged in query.values_list(*_FIELDS):
                found_names[key] = Investor(pk, name, key, aliases or [], merged_into=merged)
            for name in chunk:
                self.by_name[name] = found_names.get(name)
            self._read_name.extend(chunk)
        self._follow_merges()

    def _load_all(self) -> bool:
        """Read every organisation when there are not many more than the rows to come."""
        # One read instead of two IN queries per batch (100,000 rows: ~100 queries, 0.6 s);
        # memory stays proportional to the rows, as the per-batch lookups would fill the maps.
        if Organisation.objects.count() > max(self.expected_rows, PRELOAD_ORGANISATIONS):
            return False
        query = Organisation.objects.order_by("-id").values_list(*_FIELDS)
        for pk, name, key, aliases, uscc, merged in query.iterator(chunk_size=5000):
            investor = Investor(pk, name, key, aliases or [], merged_into=merged)
            if uscc:
                self.by_uscc[uscc] = investor
            self.by_name[key] = investor
            if merged:
                self._read_name.append(key)
                if uscc:
                    self._read_uscc.append(uscc)
        self._follow_merges()
        return True

    def _follow_merges(self) -> None:
        """Organisations merged into another stand for that one (its id, names and key)."""
        # Only what was read since the last call: the books grow with the file.
        merged = [
            (book, key, book[key])
            for book, keys in ((self.by_uscc, self._read_uscc), (self.by_name, self._read_name))
            for key in keys
            if book.get(key) is not None and book[key].merged_into
        ]
        self._read_uscc, self._read_name = [], []
        if not merged:
            return
        wanted = {investor.merged_into for _, _, investor in merged}
        survivors = {
            pk: surviving(organisation)
            for pk, organisation in Organisation.objects.in_bulk(sorted(wanted)).items()
        }
        for book, key, investor in merged:
            survivor = survivors[investor.merged_into]
            book[key] = Investor(
                survivor.pk, survivor.name, survivor.normalized_name, survivor.aliases or []
            )

    def find(self, *, uscc: str | None, key: str) -> Investor | None:
        """The organisation of this USCC (or, without one, this normalised name), if known."""
        return self.by_uscc.get(uscc) if uscc else self.by_name.get(key)

    def add(self, *, name: str, uscc: str | None, home_region_id: str | None) -> Investor:
        """A new organisation, held until create_new (raises UserError for an unusable name)."""
        name = _clean_name(name, what="an investor")
        key = name.casefold()  # normalize_key of a name _clean_name has normalised
        values = {
            "name": name,
            "normalized_name": key,
            "uscc": uscc,
            "home_region_id": home_region_id,
            "aliases": [],
        }
        investor = Investor(None, name, key, [], values)
        if uscc:
            self.by_uscc[uscc] = investor
        if self.by_name.get(key) is None:
            self.by_name[key] = investor
        self.pending.append(investor)
        self.added += 1
        return investor

    def create_new(self, *, actor, created_by_import) -> None:
        """Write the organisations added since the last call; each points to the import's log."""
        if not self.pending:
            return
        ensure_can_write_organisations(actor)
        models = []
        for investor in self.pending:
            investor.new_values["created_by_import_id"] = created_by_import.pk
            models.append(bulk.build(Organisation, investor.new_values))
        bulk.insert(Organisation, models, with_ids=True)
        for investor, model in zip(self.pending, models, strict=True):
            investor.pk, investor.new_values = model.pk, None
        self.pending = []
