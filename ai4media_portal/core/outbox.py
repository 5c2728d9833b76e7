"""The durable email outbox.

`email_queue` records a message in the caller's transaction and hands it to Celery once that
transaction commits. If the broker is unreachable at that moment the message simply stays
queued: `outbox_sweep`, run by Celery beat, delivers whatever is still due.
"""

import logging
from datetime import timedelta
from functools import partial

from celery import signature
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from .enums import EmailStatus
from .models import OutboundEmail

logger = logging.getLogger(__name__)


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, capped at six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a plain-text template: nothing is HTML-escaped, since no browser reads it.
    (``R&D-O'Neil <AI>`` stays as it is, not ``R&amp;D-O&#x27;Neil &lt;AI&gt;``.)"""
    template = get_template(template_name)
    return template.template.render(Context(context, autoescape=False))


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Render ``templates/email/<template>_subject.txt``, ``.txt`` and (if present) ``.html``.

    The subject and the text body are plain text (``render_plain_text``); the subject is one
    line. Only the HTML body is escaped.
    """
    subject = render_plain_text(f"email/{template}_subject.txt", context)
    subject = " ".join(subject.split())
    body_text = render_plain_text(f"email/{template}.txt", context).strip() + "\n"
    try:
        body_html = render_to_string(f"email/{template}.html", context)
    except Exception:  # noqa: BLE001 - the HTML part is optional
        body_html = ""
    return subject, body_text, body_html


def email_queue(
    *,
    to: list[str] | str,
    template: str | None = None,
    context: dict | None = None,
    subject: str | None = None,
    body_text: str | None = None,
    body_html: str = "",
    reply_to: list[str] | None = None,
    language: str | None = None,
) -> OutboundEmail:
    """Record an email and deliver it after the current transaction commits.

    Either ``template`` (rendered with ``context`` in ``language``) or ``subject`` and
    ``body_text`` are given. The subject gets the portal's prefix.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    if template is not None:
        ctx = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **(context or {})}
        with translation.override(language or settings.LANGUAGE_CODE):
            subject, body_text, body_html = render_email(template, ctx)
    if not subject or body_text is None:
        raise ValueError("email_queue needs a template or a subject and a text body")
    prefix = settings.EMAIL_SUBJECT_PREFIX
    if not subject.startswith(prefix.strip()):
        subject = prefix + subject
    email = OutboundEmail.objects.create(
        to=recipients,
        from_email=settings.DEFAULT_FROM_EMAIL,
        reply_to=reply_to or [],
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        template=template or "",
    )
    transaction.on_commit(partial(_hand_to_worker, email.pk), robust=True)
    return email


def _hand_to_worker(email_id: int) -> None:
    # By name: the task module imports this one, not the other way round.
    try:
        signature("core.outbox_deliver", args=(email_id,)).delay()
    except Exception as error:  # noqa: BLE001 - any broker failure: the sweep delivers it
        # One line, not a traceback: during a Redis outage every queued email comes here.
        logger.warning(
            "Could not hand email %s to the worker (%s: %s); it stays queued for the sweep",
            email_id,
            type(error).__name__,
            error,
        )


def email_deliver(*, email_id: int) -> bool:
    """Send one queued email. Returns True when it has been sent (now or before).

    Locks the row so that a worker task and the sweep never send the same message twice; a
    failure records the error and schedules the next attempt with exponential backoff, until
    ``OUTBOX_MAX_ATTEMPTS`` marks it failed.
    """
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=EmailStatus.QUEUED)
            .first()
        )
        if email is None:
            return OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.SENT).exists()
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=email.from_email,
            to=email.to,
            reply_to=email.reply_to or None,
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        email.attempts += 1
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - SMTP errors come in many types
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                email.status = EmailStatus.FAILED
            email.next_attempt_at = timezone.now() + _backoff(email.attempts)
            email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            logger.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts, exc)
            return False
        email.status = EmailStatus.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def outbox_due(*, limit: int = 200) -> list[int]:
    """Ids of queued messages whose next attempt is due, oldest first."""
    return list(
        OutboundEmail.objects.filter(status=EmailStatus.QUEUED, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
