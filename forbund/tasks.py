from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse


def invitation_url(user) -> str:
    """Return the link where `user` sets a password (allauth's reset-from-key page)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(user_pk: int) -> None:
    from .models import Forbund, User

    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        return
    forbund = Forbund.objects.first()
    context = {"user": user, "url": invitation_url(user), "forbund": forbund}
    send_mail(
        subject="Ditt konto i Finsam",
        message=render_to_string("forbund/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
