from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the kansli; nobody signs up on their own."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "E-postadressen eller lösenordet stämmer inte.",
        "too_many_login_attempts": (
            "För många misslyckade inloggningsförsök. Vänta en stund och försök igen."
        ),
    }

    def is_open_for_signup(self, request):
        return False
