"""How allauth fits Tandem: who may sign up, what it says when it refuses, what goes in the
access log, and who single sign-on may let in."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import (
    DefaultSocialAccountAdapter,
    _build_apps_from_settings,
)
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from tandem.accounts.accesslog import access_log_record, client_ip
from tandem.accounts.models import AccessKind, User
from tandem.accounts.services import sso_join


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "That email and password do not match an account. Check both and try again."
        ),
        "too_many_login_attempts": (
            "Too many failed sign-ins for this email. Signing in is locked for 15 minutes, "
            "even with the right password; you can reset your password meanwhile."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Closed by default: people join through an invitation, which makes their account.
        return bool(settings.TANDEM_OPEN_SIGNUP)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth prefixes the email with the request's site, which without
        # django.contrib.sites is the Host header and its port: every app server reached by
        # its own address, or one reached by another of its names, counted failures apart.
        # One Tandem is one site, so the email alone is the key.
        return str(credentials.get("email", credentials.get("username", ""))).lower()

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            email = str(credentials.get("email", ""))
            access_log_record(
                kind=AccessKind.LOCKED_OUT,
                actor=User.objects.filter(email__iexact=email).first(),
                email=email,
                ip=client_ip(request),
            )
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        email = str(credentials.get("email", ""))
        access_log_record(
            kind=AccessKind.SIGN_IN_FAILED,
            actor=User.objects.filter(email__iexact=email).first(),
            email=email,
            ip=client_ip(request),
        )

    def post_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> Any:
        response = super().post_login(request, user, **kwargs)
        how = "single sign-on" if request.session.get("tandem_sso") else "password"
        access_log_record(
            kind=AccessKind.SIGN_IN,
            actor=user,  # type: ignore[arg-type]  # allauth hands over our User
            ip=client_ip(request),
            detail=f"with {how}",
        )
        return response

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        # "Successfully signed in as ..." on every sign-in is noise on the dashboard.
        if message_template == "account/messages/logged_in.txt":
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    """Single sign-on trusts the provider the administrator configured, and only for
    addresses that provider says it has verified."""

    def list_apps(
        self, request: HttpRequest, provider: Any = None, client_id: Any = None
    ) -> list[Any]:
        # The provider comes from TANDEM_OIDC_* only, never from the database (no admin
        # form can point sign-in somewhere else), and the login page needs no query for it.
        apps = _build_apps_from_settings(provider=provider, client_id=client_id)
        return [app for provider_apps in apps.values() for app in provider_apps]

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        verified = [a.email.lower() for a in sociallogin.email_addresses if a.verified]
        if not verified:
            raise ImmediateHttpResponse(
                _refuse(
                    request,
                    "Your identity provider did not confirm your email address as verified, "
                    "so Tandem cannot tell which account is yours.",
                )
            )
        if User.objects.filter(email__in=verified, is_active=False).exists():
            raise ImmediateHttpResponse(
                _refuse(request, "This account is deactivated. Ask a workspace owner.")
            )
        request.session["tandem_sso"] = True

    def authenticate_by_email(self, sociallogin: SocialLogin) -> tuple[Any, str] | None:
        """A local account matches only by an address both sides have verified: someone
        who signed up with another person's address on an open instance must not be
        handed that person's single sign-on."""
        for address in sociallogin.email_addresses:
            if not address.verified:
                continue
            local = (
                EmailAddress.objects.filter(email__iexact=address.email, verified=True)
                .select_related("user")
                .first()
            )
            if local is not None and local.user.is_active:
                return local.user, address.email
        return None

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        if settings.TANDEM_OPEN_SIGNUP:
            return True
        join = settings.TANDEM_OIDC_JOIN
        email = _verified_email(sociallogin)
        if join and email and email.rpartition("@")[2] == join["domain"]:
            return True
        raise ImmediateHttpResponse(
            _refuse(
                request,
                f"No Tandem account uses {email or 'your address'}. Ask a workspace owner to "
                "invite you.",
            )
        )

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        name = str(sociallogin.account.extra_data.get("userinfo", {}).get("name", ""))
        if name and not user.name:
            user.name = name[:150]
            user.save(update_fields=["name"])
        sso_join(user=user, ip=client_ip(request))
        return user


def _verified_email(sociallogin: SocialLogin) -> str:
    return next((a.email.lower() for a in sociallogin.email_addresses if a.verified), "")


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("account_login")
