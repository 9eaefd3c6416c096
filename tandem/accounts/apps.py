from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tandem.accounts"
    label = "accounts"

    def ready(self) -> None:
        # allauth announces password and two-factor changes; the access log subscribes.
        from allauth.account import signals as account_signals
        from allauth.mfa import signals as mfa_signals

        from tandem.accounts import subscribers

        account_signals.password_changed.connect(subscribers.password_changed)
        account_signals.password_reset.connect(subscribers.password_reset)
        mfa_signals.authenticator_added.connect(subscribers.authenticator_added)
        mfa_signals.authenticator_removed.connect(subscribers.authenticator_removed)
        mfa_signals.authenticator_reset.connect(subscribers.authenticator_reset)
