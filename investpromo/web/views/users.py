"""User management (用户管理): administrators list, create and change accounts.

Each page refuses anyone else before showing anything; the accounts services check again and
write. A one-time password is shown on the page that made it, once: it is never stored in clear,
put in a message or a URL, and the page is not cached.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from investpromo.accounts.selectors import get_account, list_accounts
from investpromo.accounts.services.users import (
    change_user,
    create_user,
    deactivate_user,
    reactivate_user,
    reset_password,
)
from investpromo.core.errors import PermissionDenied, UserError
from investpromo.web.access import abilities, page, web_view
from investpromo.web.account_forms import AccountForm, NewAccountForm

VIA = "web"


def _administrators_only(request) -> None:
    if not abilities(request).is_administrator:
        raise PermissionDenied(_("Only administrators can manage users."), code="not_administrator")


def _password_page(request, account, password, *, created: bool):
    response = page(
        request,
        "web/users/password.html",
        {"account": account, "password": password, "created": created},
    )
    # Shown once: no copy in a browser's or a proxy's cache.
    response["Cache-Control"] = "no-store"
    return response


@web_view
def user_list(request):
    """Every account with its role, regions, state and last sign-in."""
    _administrators_only(request)
    return page(request, "web/users/list.html", {"accounts": list_accounts()})


@web_view
@never_cache
@require_http_methods(["GET", "POST"])
def user_create(request):
    """A new account; the page that follows shows its one-time password."""
    _administrators_only(request)
    form = NewAccountForm(request.POST or None, initial={"role": "officer"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = create_user(
                actor=request.user,
                username=data["username"],
                role=data["role"],
                regions=data["regions"],
                email=data["email"],
                via=VIA,
            )
        except UserError as error:
            form.add_service_error(error)
        else:
            return _password_page(request, get_account(user.pk), password, created=True)
    return page(request, "web/users/form.html", {"form": form, "account": None})


@web_view
@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    """Change an account's role, regions and email; deactivate it or reset its password."""
    _administrators_only(request)
    account = get_account(pk)
    user = account.user
    initial = {"role": account.role, "regions": account.regions, "email": user.email}
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change_user(
                actor=request.user,
                user=user,
                role=data["role"],
                regions=data["regions"],
                email=data["email"],
                via=VIA,
            )
        except UserError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("The account %(username)s was saved.") % {"username": user.username}
            )
            return redirect("web:user_list")
    return page(
        request,
        "web/users/form.html",
        {"form": form, "account": account, "is_self": user.pk == request.user.pk},
    )


def _switch(request, pk, service, done: str):
    _administrators_only(request)
    user = get_account(pk).user
    try:
        service(actor=request.user, user=user, via=VIA)
    except UserError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"username": user.username})
    return redirect("web:user_edit", pk=user.pk)


@web_view
@require_POST
def user_deactivate(request, pk):
    """Stop an account from signing in (not oneself, not the last administrator)."""
    return _switch(request, pk, deactivate_user, _("%(username)s can no longer sign in."))


@web_view
@require_POST
def user_reactivate(request, pk):
    """Let a deactivated account sign in again."""
    return _switch(request, pk, reactivate_user, _("%(username)s can sign in again."))


@web_view
@never_cache
@require_POST
def user_password(request, pk):
    """A new one-time password for an account, shown once."""
    _administrators_only(request)
    account = get_account(pk)
    password = reset_password(actor=request.user, user=account.user, via=VIA)
    return _password_page(request, account, password, created=False)
