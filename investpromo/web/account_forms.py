"""Forms of the user management pages: they parse; the accounts services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from investpromo.accounts.models import Profile
from investpromo.web.pickers import RegionListField

ROLE_HELP = _(
    "Administrators manage users and events and may change everything; officers change "
    "projects in their regions; viewers only read."
)


class AccountForm(forms.Form):
    """Role, regions and email of an account."""

    role = forms.ChoiceField(
        choices=Profile.Role.choices,
        label=_("Role"),
        widget=forms.RadioSelect,
        help_text=ROLE_HELP,
    )
    regions = RegionListField(
        required=False,
        label=_("Regions"),
        help_text=_(
            "For officers: the cities or counties whose projects they may change. Search by "
            "name or code, or type codes separated by commas."
        ),
    )
    email = forms.EmailField(required=False, label=_("Email"))

    def add_service_error(self, error) -> None:
        """Show a service's UserError at the field it names, or above the form."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class NewAccountForm(AccountForm):
    """A new account: its username first."""

    username = forms.CharField(
        max_length=150,
        label=_("Username"),
        help_text=_("Letters, digits and @ . + - _ only; used to sign in."),
    )
    field_order = ["username", "role", "regions", "email"]


class PasswordChangeForm(forms.Form):
    """The current password and a new one, typed twice."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 8 characters, not only digits, not a common password and not like your "
            "username."
        ),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data

    def add_service_error(self, error) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)
