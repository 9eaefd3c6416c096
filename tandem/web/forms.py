from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class EmailLoginForm(AuthenticationForm):
    """Django's login form, asking for an email (what our users log in with)."""

    username = forms.EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That email and password do not match an account. Check both and try again."
        ),
    }

    def clean_username(self) -> str:
        # Emails are stored lower-cased; people type them however they like.
        return str(self.cleaned_data["username"]).strip().lower()


class WorkspaceForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="Your company or organisation.")
    slug = forms.SlugField(
        label="Web address",
        max_length=60,
        required=False,
        help_text=(
            "Letters, digits and hyphens, used in links. Leave empty to derive it from the name."
        ),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What the token is for, so you can recognise it later (e.g. “CI export”).",
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field-named errors on the form's matching fields, the rest on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field_name, messages in error.message_dict.items():
        target: Any = field_name if field_name in form.fields else None
        for message in messages:
            form.add_error(target, message)
