"""Tokens: obtain with a password, revoke one's own, administrators revoke anyone's."""

from django.contrib.auth import authenticate, get_user_model
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from investpromo.accounts.permissions import Role, ensure_administrator, role_of
from investpromo.accounts.services import (
    LoginLocked,
    client_address,
    issue_api_token,
    release_login_attempt,
    reserve_login_attempt,
    revoke_api_tokens,
)
from investpromo.api.serializers.auth import MeSerializer, TokenRequestSerializer, TokenSerializer

_ERROR = OpenApiResponse(description="see the error body")


class TokenView(APIView):
    """POST: a token for a username and password. DELETE: revoke the caller's token."""

    def get_authenticators(self):
        # Obtaining a token needs no prior authentication (and so no CSRF token either).
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        summary="Get the API token of a user (created on first request)",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: _ERROR, 429: _ERROR},
        auth=[],
    )
    def post(self, request):
        params = TokenRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        username = params.validated_data["username"]
        # The login page's limits, counted before the password is checked: the API is no way
        # round them, and parallel requests cannot outrun them.
        try:
            attempt = reserve_login_attempt(username=username, address=client_address(request))
        except LoginLocked as locked:
            raise Throttled(
                wait=locked.seconds, detail="too many failed sign-ins: try again later"
            ) from None
        user = authenticate(
            request._request, username=username, password=params.validated_data["password"]
        )
        if user is None:
            # The attempt stays counted.
            raise ValidationError({"detail": "wrong username or password, or account disabled"})
        release_login_attempt(attempt=attempt)
        return Response(
            {
                "token": issue_api_token(user=user),
                "username": user.get_username(),
                "role": role_of(user),
            }
        )

    @extend_schema(summary="Revoke the caller's token", responses={204: None})
    def delete(self, request):
        revoke_api_tokens(actor=request.user, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserTokenView(APIView):
    """An administrator revokes another user's token."""

    @extend_schema(
        summary="Revoke a user's token (administrators)",
        responses={204: None, 403: _ERROR, 404: _ERROR},
    )
    def delete(self, request, username):
        ensure_administrator(request.user, "other users' tokens")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise NotFound(f"no user named {username!r}")
        revoke_api_tokens(actor=request.user, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """Who the caller is, and where an officer may write."""

    @extend_schema(summary="The caller's username, role and regions", responses=MeSerializer)
    def get(self, request):
        role = role_of(request.user)
        regions = (
            sorted(request.user.profile.regions.values_list("code", flat=True))
            if role == Role.OFFICER
            else []
        )
        return Response({"username": request.user.get_username(), "role": role, "regions": regions})
