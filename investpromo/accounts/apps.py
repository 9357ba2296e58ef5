from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "investpromo.accounts"
    label = "accounts"

    def ready(self):
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save
        from rest_framework.authtoken.models import Token

        from investpromo.accounts import services, sessions

        # Whatever creates a token or changes a password (services, the admin, management
        # commands), the token's seal follows.
        post_save.connect(services.seal_new_token, sender=Token, dispatch_uid="seal-new-token")
        post_save.connect(
            services.revoke_tokens_on_password_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="revoke-tokens-on-password-change",
        )
        user_logged_in.connect(
            sessions.note_temporary_password, dispatch_uid="note-temporary-password"
        )
