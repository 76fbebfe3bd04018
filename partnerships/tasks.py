"""Background jobs of the partnerships app: thin, taking ids."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from harambee.content import in_reader_language
from harambee.urls_absolute import absolute_url


@shared_task(name="partnerships.send_invitation", autoretry_for=(OSError,), max_retries=5)
def send_invitation(invitation_id: int, language: str) -> None:
    """Email an invitation to join an organisation, in the invited person's language when
    the address is theirs on Harambee, else in the inviter's (``language``)."""
    from partnerships.models import Invitation

    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:  # withdrawn or accepted meanwhile: nothing to send
        return
    with translation.override(_language_of(invitation.email) or language):
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


def _language_of(email: str) -> str:
    """The preferred language of the person this address belongs to ("" if nobody's).

    Only the language is used, and only in the email to that address, so an invitation
    still tells the inviter nothing about whether the address has an account.
    """
    from accounts.models import User

    owns = Q(email__iexact=email) | Q(
        emailaddress__email__iexact=email, emailaddress__verified=True
    )
    owner = User.objects.filter(owns).order_by("pk").only("preferred_language").first()
    return owner.preferred_language if owner else ""


@shared_task(name="partnerships.send_partner_invitation", autoretry_for=(OSError,), max_retries=5)
def send_partner_invitation(invitation_id: int, user_id: int) -> None:
    """Email one administrator of an invited organisation, in their own language.

    One task per administrator, so a retry never sends anyone the email twice.
    """
    from accounts.models import User
    from partnerships.models import MemberRole, PartnerInvitation

    invitation = (
        PartnerInvitation.objects.pending()
        .select_related("partnership", "organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:  # answered or withdrawn meanwhile: nothing to send
        return
    admin = User.objects.filter(
        pk=user_id,
        memberships__organisation_id=invitation.organisation_id,
        memberships__role=MemberRole.ADMIN,
    ).first()
    if admin is None:  # no longer an administrator of the invited organisation
        return
    lead = invitation.partnership.partners.filter(is_lead=True).select_related("organisation")
    lead = lead.first()
    with translation.override(admin.preferred_language or settings.LANGUAGE_CODE):
        inviter = invitation.invited_by.get_full_name() if invitation.invited_by else ""
        context = {
            "title": in_reader_language(
                invitation.partnership, "title", translation.get_language()
            ).text,
            "lead": lead.organisation.name if lead else "",
            "organisation": invitation.organisation.name,
            "role": invitation.get_role_display(),
            "inviter": inviter or _("A colleague"),
            "url": absolute_url(invitation.get_absolute_url()),
        }
        # Names and titles are typed by users: a line break must not break (or inject) a
        # header.
        subject = render_to_string("partnerships/email/partner_invitation_subject.txt", context)
        subject = " ".join(subject.split())
        body = render_to_string("partnerships/email/partner_invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [admin.email])
