from celery import shared_task

from .outbox import _backoff, email_deliver, outbox_due


@shared_task(name="core.outbox_deliver", bind=True, max_retries=5, acks_late=True)
def outbox_deliver(self, email_id: int) -> bool:
    sent = email_deliver(email_id=email_id)
    if not sent and not self.request.is_eager:
        raise self.retry(countdown=_backoff(self.request.retries + 1).total_seconds())
    return sent


@shared_task(name="core.outbox_sweep")
def outbox_sweep() -> int:
    """Deliver every queued email that is due, e.g. those queued while the broker was down."""
    return sum(email_deliver(email_id=email_id) for email_id in outbox_due())
