"""Background jobs of the partnerships app: thin, taking ids."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from harambee.urls_absolute import absolute_url


@shared_task(name="partnerships.send_invitation", autoretry_for=(OSError,), max_retries=5)
def send_invitation(invitation_id: int, language: str) -> None:
    """Email an invitation to join an organisation, in the inviter's language."""
    from partnerships.models import Invitation

    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:  # withdrawn or accepted meanwhile: nothing to send
        return
    with translation.override(language):
        inviter = invitation.invited_by.get_full_name() if invitation.invited_by else ""
        context = {
            "organisation": invitation.organisation.name,
            "inviter": inviter or _("A colleague"),
            "url": absolute_url(reverse("partnerships:invitation", args=[invitation.token])),
            "days": invitation.VALID_FOR.days,
        }
        # Names are typed by users: a line break must not break (or inject) a header.
        subject = " ".join((_("Join %(organisation)s on Harambee") % context).split())
        body = (
            _(
                "%(inviter)s invites you to join %(organisation)s on Harambee, where partners "
                "plan their work around what communities need and publish it as open data.\n\n"
                "Accept the invitation within %(days)s days:\n%(url)s\n\n"
                "If you have no account yet, sign up with this email address first. If you did "
                "not expect this invitation, ignore this email."
            )
            % context
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
