"""Every write of the fellows programme: the exchange workflow, the mobility budget's ledger,
reports, testimonials, host offers, profiles and conversations.

Each service checks the actor's permission (``PermissionDenied``), runs in one transaction,
locks the rows it changes, validates (``PortalError``), writes the audit log and queues its
emails, which leave after the transaction commits. HTML views, the API and the admin all call
these. Amounts are euros (``Decimal``); dates are calendar dates in the portal's time zone.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ai4media_portal.accounts.selectors import emails_of
from ai4media_portal.core.audit import log_action
from ai4media_portal.core.changes import apply_changes
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.idempotency import create_once
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.roles import Role
from ai4media_portal.core.workflow import ensure_transition, set_state
from outputs.selectors import published_outputs

from . import selectors
from .enums import (
    FUNDED_STATUSES,
    MODES_WITH_TRAVEL,
    TESTIMONIAL_TRANSITIONS,
    TRANSITIONS,
    WITHDRAWABLE_STATUSES,
    ExchangeStatus,
    LedgerKind,
    Mode,
    ReminderKind,
    Side,
    TestimonialStatus,
)
from .models import (
    BudgetPeriod,
    Conversation,
    Exchange,
    ExchangeStatusChange,
    ExchangeVersion,
    FellowProfile,
    HostOffer,
    LedgerEntry,
    Message,
    Outcome,
    ReminderSent,
    Report,
    Testimonial,
)
from .validators import (
    BUDGET_LINES,
    RuleBreach,
    check_budget,
    check_dates,
    check_start_not_past,
    physical_months,
)

S = ExchangeStatus
User = get_user_model()
# A report is due this long after the exchange ends.
REPORT_DUE_AFTER = timedelta(days=30)


class RulesBroken(PortalError):
    """The programme's rules refuse an application: ``breaches`` lists each broken rule with
    the field it concerns, so a form shows every message beside its field at once."""

    def __init__(self, breaches: list[RuleBreach]):
        first = breaches[0]
        super().__init__(first.message, field=first.field, code="rules")
        self.breaches = breaches


# --- The state writer --------------------------------------------------------------------------


def exchange_set_status(
    exchange: Exchange, target: ExchangeStatus, *, actor, message: str = "", also=()
) -> Exchange:
    """The one writer of an exchange's state: check the move against ``TRANSITIONS``, save it
    with the other changed fields named in ``also`` on the row the caller has locked, write
    the history row and the audit entry. Emails are the caller's."""
    current = S(exchange.status)
    ensure_transition(current, target, TRANSITIONS)
    exchange.status = target
    exchange.save(update_fields=["status", "updated_at", *dict.fromkeys(also)])
    ExchangeStatusChange.objects.create(
        exchange=exchange,
        from_status=current,
        to_status=target,
        actor=actor if actor is not None and actor.is_authenticated else None,
        message=message,
    )
    log_action(
        f"fellows.exchange.{target.value}",
        actor=actor,
        target=exchange,
        data={"from": current.value, "to": target.value, "message": message},
    )
    return exchange


def _locked(exchange: Exchange) -> Exchange:
    return (
        Exchange.objects.select_for_update(of=("self",))
        .select_related("fellow", "sender", "host", "sender_supervisor", "host_supervisor")
        .get(pk=exchange.pk)
    )


def _notify(exchange: Exchange, template: str, *, to: Iterable[str], **context) -> None:
    """One email to each of ``to``: the fellow, the supervisors and the coordinators never
    learn each other's addresses from the programme's emails."""
    for address in sorted({address for address in to if address}):
        email_queue(
            to=address,
            template=f"fellows/{template}",
            context={
                "exchange": exchange,
                "status": exchange.get_status_display(),
                "url": absolute_url(exchange.get_absolute_url()),
                **context,
            },
        )


def _supervisors(exchange: Exchange) -> list[str]:
    """The addresses the fellow named, whether or not an account has them yet: the request
    to confirm reaches a supervisor without an account too, and tells them to sign up."""
    return [exchange.sender_supervisor_email, exchange.host_supervisor_email]


def _parties(exchange: Exchange) -> list[str]:
    return [exchange.fellow.email, *_supervisors(exchange)]


def _coordinators() -> list[str]:
    return emails_of(Role.FELLOWS_COORDINATOR)


def _everyone(exchange: Exchange) -> list[str]:
    return [*_parties(exchange), *_coordinators()]


# --- The rules checked on submit ---------------------------------------------------------------


def application_breaches(values: dict) -> list[RuleBreach]:
    """Every programme rule an application's ``values`` (``Exchange.FIELDS`` by name, the
    organisations as instances or ids) break, each with its field: sender and host differ and
    one is a full partner; the two supervisors differ; a physical part lasts one to three
    months and ends after it starts; each budget line is within its cap and not negative. The
    form's checklist and ``exchange_submit`` both call this. With ``values["fellow"]`` (a
    user), the fellow may not supervise their own exchange on either side."""
    breaches: list[RuleBreach] = []
    sender, host = values.get("sender"), values.get("host")
    sender_id = getattr(sender, "pk", sender)
    host_id = getattr(host, "pk", host)
    if sender_id and host_id:
        if sender_id == host_id:
            breaches.append(
                RuleBreach("host", _("The host must be another organisation than the sender."))
            )
        elif selectors.beneficiary_side(sender_id, host_id) is None:
            breaches.append(
                RuleBreach(
                    "sender",
                    _("The sender or the host must be a full partner of the consortium."),
                )
            )
    supervisors = {
        name: (values.get(name) or "").strip().lower()
        for name in ("sender_supervisor_email", "host_supervisor_email")
    }
    for name, email in supervisors.items():
        if not email:
            breaches.append(RuleBreach(name, _("Give the supervisor's email address.")))
    if supervisors["sender_supervisor_email"] and len(set(supervisors.values())) == 1:
        breaches.append(
            RuleBreach("host_supervisor_email", _("The two supervisors must be different people."))
        )
    fellow = values.get("fellow")
    for name, email in supervisors.items():
        if fellow is not None and email and email == fellow.email.lower():
            breaches.append(
                RuleBreach(name, _("The fellow cannot be one of the exchange's supervisors."))
            )
    months = None
    if values.get("mode") in (Mode.PHYSICAL, Mode.HYBRID):
        date_breaches = check_dates(values.get("start_date"), values.get("end_date"))
        breaches += date_breaches
        if not date_breaches:
            months = physical_months(values["start_date"], values["end_date"])
        else:
            months = 3  # the dates are wrong already; judge the budget by the longest part
    breaches += check_budget(
        travel_amount=values.get("travel_amount") or Decimal(0),
        subsistence_monthly=values.get("subsistence_monthly") or Decimal(0),
        subsistence_months=values.get("subsistence_months") or 0,
        other_amount=values.get("other_amount") or Decimal(0),
        months_available=months,
    )
    return breaches


def _refuse_negatives(values: dict) -> None:
    """Even a draft holds no negative amount (``RulesBroken`` naming each field)."""
    breaches = [
        RuleBreach(name, _("An amount cannot be negative."))
        for name in (*BUDGET_LINES, "subsistence_months")
        if (values.get(name) or 0) < 0
    ]
    if breaches:
        raise RulesBroken(breaches)


def _refuse_past_start(exchange: Exchange) -> None:
    """The applicant's physical part may not start before today (``RulesBroken`` on
    ``start_date``); a virtual exchange has no physical part to check."""
    if exchange.mode in MODES_WITH_TRAVEL:
        breaches = check_start_not_past(exchange.start_date, timezone.localdate())
        if breaches:
            raise RulesBroken(breaches)


def _link_supervisors(exchange: Exchange) -> list[str]:
    """Link each side's supervisor to the active account holding the address named, or to
    nobody; returns the account fields that changed. Whether an account was found is never
    told to the fellow."""
    changed = []
    for side in ("sender", "host"):
        email = getattr(exchange, f"{side}_supervisor_email").strip()
        setattr(exchange, f"{side}_supervisor_email", email)
        account = (
            User.objects.filter(email__iexact=email, is_active=True).first() if email else None
        )
        if getattr(exchange, f"{side}_supervisor_id") != getattr(account, "pk", None):
            setattr(exchange, f"{side}_supervisor", account)
            changed.append(f"{side}_supervisor")
    return changed


def _values(exchange: Exchange) -> dict:
    return {
        "fellow": exchange.fellow,
        **{name: getattr(exchange, name) for name in Exchange.FIELDS},
    }


def _terms(exchange: Exchange) -> dict:
    return {
        name: str(getattr(exchange, name)) if getattr(exchange, name) is not None else None
        for name in Exchange.VERSIONED_FIELDS
    }


# --- Applications: content ---------------------------------------------------------------------


def exchange_create(
    *, actor, data: dict, offer: HostOffer | None = None, form_token=None
) -> tuple[Exchange, bool]:
    """Start a draft joint application with the fellow ``actor``. ``data`` holds
    ``Exchange.FIELDS`` (organisations as instances, supervisors as email addresses, linked to
    their accounts when there are some). Most of the programme's
    rules wait for submission, so a draft can be saved half-done; refused at once
    (``PortalError``/``RulesBroken`` naming the field): a negative amount, the host being the
    sender, a physical part starting before today. The same ``form_token`` twice gives the
    first draft (``created`` False)."""
    require_perm(actor, "fellows.add_exchange")
    with transaction.atomic():

        def create() -> Exchange:
            exchange = Exchange(fellow=actor, offer=offer)
            if form_token is not None:
                exchange.form_token = form_token
            for name in Exchange.FIELDS:
                if name in data:
                    setattr(exchange, name, data[name])
            _refuse_negatives(_values(exchange))
            _refuse_past_start(exchange)
            _link_supervisors(exchange)
            if exchange.sender_id and exchange.sender_id == exchange.host_id:
                raise PortalError(
                    _("The host must be another organisation than the sender."), field="host"
                )
            exchange.save()
            ExchangeVersion.objects.create(
                exchange=exchange, number=1, terms=_terms(exchange), created_by=actor
            )
            ExchangeStatusChange.objects.create(exchange=exchange, to_status=S.DRAFT, actor=actor)
            log_action("fellows.exchange.create", actor=actor, target=exchange)
            return exchange

        return create_once(
            Exchange, form_token=form_token, owner_field="fellow", owner=actor, create=create
        )


def exchange_update(*, exchange: Exchange, actor, data: dict) -> tuple[Exchange, list[str]]:
    """Change an application the fellow may still edit (draft, submitted, confirmed). When the
    dates, mode or budget change after a supervisor has confirmed, a new version starts: both
    confirmations are cleared, a confirmed application goes back to submitted, and both
    supervisors are asked to confirm again (they see the differences). Naming another
    supervisor clears the confirmations too, links their account if there is one and, once
    the application is submitted, asks them to confirm. A new start of the
    physical part (or a change to a physical mode) may not lie before today (``RulesBroken``
    on ``start_date``); an unchanged start that has since passed does not block other edits.
    Returns the exchange and the names of the fields that changed (none: nothing saved)."""
    require_perm(actor, "fellows.change_exchange", exchange)
    with transaction.atomic():
        locked = _locked(exchange)
        if not locked.is_editable:
            raise PortalError(_("This application can no longer be changed."))
        before_terms = _terms(locked)
        changed = apply_changes(locked, data, Exchange.FIELDS)
        if not changed:
            return locked, []
        if locked.sender_id == locked.host_id:
            raise PortalError(
                _("The host must be another organisation than the sender."), field="host"
            )
        _refuse_negatives(_values(locked))
        if "start_date" in changed or "mode" in changed:
            _refuse_past_start(locked)
        if locked.status != S.DRAFT:
            breaches = application_breaches(_values(locked))
            if breaches:
                raise RulesBroken(breaches)
        new_version = _terms(locked) != before_terms and (
            locked.sender_confirmed_version is not None or locked.host_confirmed_version is not None
        )
        also = list(changed)
        if new_version:
            ExchangeVersion.objects.update_or_create(
                exchange=locked, number=locked.version, defaults={"terms": before_terms}
            )
            locked.version += 1
            locked.sender_confirmed_version = None
            locked.host_confirmed_version = None
            also += ["version", "sender_confirmed_version", "host_confirmed_version"]
            ExchangeVersion.objects.create(
                exchange=locked, number=locked.version, terms=_terms(locked), created_by=actor
            )
        elif _terms(locked) != before_terms:
            ExchangeVersion.objects.update_or_create(
                exchange=locked,
                number=locked.version,
                defaults={"terms": _terms(locked), "created_by": actor},
            )
        new_supervisors = [
            getattr(locked, name)
            for name in ("sender_supervisor_email", "host_supervisor_email")
            if name in changed
        ]
        if new_supervisors:
            also += _link_supervisors(locked)
        if {"sender", "host", "sender_supervisor_email", "host_supervisor_email"} & set(changed):
            # Other organisations, other supervisors: earlier confirmations no longer hold.
            locked.sender_confirmed_version = None
            locked.host_confirmed_version = None
            also += ["sender_confirmed_version", "host_confirmed_version"]
        if locked.status == S.CONFIRMED and (
            not locked.sender_confirmed or not locked.host_confirmed
        ):
            exchange_set_status(
                locked,
                S.SUBMITTED,
                actor=actor,
                message=_("Changed after confirmation: version %(n)s to confirm again.")
                % {"n": locked.version},
                also=also,
            )
        else:
            locked.save(update_fields=[*dict.fromkeys(also), "updated_at"])
        log_action(
            "fellows.exchange.update",
            actor=actor,
            target=locked,
            data={"fields": changed, "version": locked.version},
        )
        if new_supervisors and locked.status != S.DRAFT:
            _notify(locked, "confirm_request", to=new_supervisors)
        if new_version:
            _notify(
                locked,
                "reconfirm",
                to=_supervisors(locked),
                differences=selectors.version_differences(locked),
            )
    return locked, changed


def supervisor_accounts_link(*, user) -> int:
    """Link ``user``'s account to the exchanges that name their address as a supervisor and
    have no account linked for that side yet (named before they signed up). Run when someone
    signs in: addresses are verified before anyone can (``ACCOUNT_EMAIL_VERIFICATION``).
    Returns how many sides were linked; each is in the audit log."""
    if user is None or not user.is_authenticated or not user.is_active or not user.email:
        return 0
    linked = 0
    with transaction.atomic():
        for side in ("sender", "host"):
            waiting = Exchange.objects.select_for_update(of=("self",)).filter(
                **{
                    f"{side}_supervisor__isnull": True,
                    f"{side}_supervisor_email__iexact": user.email,
                }
            )
            for exchange in waiting.order_by("pk"):
                setattr(exchange, f"{side}_supervisor", user)
                exchange.save(update_fields=[f"{side}_supervisor", "updated_at"])
                log_action(
                    "fellows.exchange.supervisor_linked",
                    actor=user,
                    target=exchange,
                    data={"side": side},
                )
                linked += 1
    return linked


def exchange_submit(*, exchange: Exchange, actor) -> Exchange:
    """Send a draft to both supervisors for confirmation. Refused (``RulesBroken``, every
    broken rule with its field) unless the programme's rules hold; the beneficiary is worked
    out now and again on approval."""
    require_perm(actor, "fellows.submit_exchange", exchange)
    with transaction.atomic():
        locked = _locked(exchange)
        ensure_transition(S(locked.status), S.SUBMITTED, TRANSITIONS)
        breaches = application_breaches(_values(locked))
        if breaches:
            raise RulesBroken(breaches)
        locked.beneficiary = selectors.beneficiary_side(locked.sender_id, locked.host_id)
        locked.submitted_at = timezone.now()
        locked.declined_by = ""
        exchange_set_status(
            locked, S.SUBMITTED, actor=actor, also=["beneficiary", "submitted_at", "declined_by"]
        )
        _notify(
            locked,
            "confirm_request",
            to=_supervisors(locked),
        )
    return locked


def exchange_confirm(*, exchange: Exchange, actor, version: int) -> Exchange:
    """A supervisor confirms ``version`` for their side (the one shown to them: a page read
    before a change cannot confirm the new version). Once both sides have confirmed the current
    version the exchange is confirmed and goes to the coordinator."""
    require_perm(actor, "fellows.confirm_exchange", exchange)
    with transaction.atomic():
        locked = _locked(exchange)
        if locked.status != S.SUBMITTED:
            raise PortalError(_("This application is not waiting for confirmations."))
        if version != locked.version:
            raise PortalError(
                _("The application changed since you read it: read version %(n)s and confirm it.")
                % {"n": locked.version},
                code="stale",
            )
        sides = [
            side
            for side, supervisor_id in (
                (Side.SENDER, locked.sender_supervisor_id),
                (Side.HOST, locked.host_supervisor_id),
            )
            if supervisor_id == actor.pk
        ]
        also = []
        for side in sides:
            setattr(locked, f"{side}_confirmed_version", locked.version)
            also.append(f"{side}_confirmed_version")
        log_action(
            "fellows.exchange.confirm",
            actor=actor,
            target=locked,
            data={"sides": [str(side) for side in sides], "version": locked.version},
        )
        if locked.sender_confirmed and locked.host_confirmed:
            exchange_set_status(locked, S.CONFIRMED, actor=actor, also=also)
            _notify(locked, "status", to=_everyone(locked))
        else:
            locked.save(update_fields=[*also, "updated_at"])
            _notify(locked, "confirmed_by_one", to=[locked.fellow.email], side=sides[0].label)
    return locked


def exchange_decline(*, exchange: Exchange, actor, reason: str) -> Exchange:
    """A supervisor declines: the application goes back to the fellow as a draft, and the
    reason reaches the fellow, the other supervisor and the coordinators."""
    require_perm(actor, "fellows.confirm_exchange", exchange)
    if not reason.strip():
        raise PortalError(_("Say why you decline."), field="reason")
    with transaction.atomic():
        locked = _locked(exchange)
        side = locked.side_of(actor)
        locked.declined_by = side
        locked.decline_reason = reason.strip()
        locked.sender_confirmed_version = None
        locked.host_confirmed_version = None
        exchange_set_status(
            locked,
            S.DRAFT,
            actor=actor,
            message=reason.strip(),
            also=[
                "declined_by",
                "decline_reason",
                "sender_confirmed_version",
                "host_confirmed_version",
            ],
        )
        _notify(locked, "declined", to=_everyone(locked), side=Side(side).label, reason=reason)
    return locked


def exchange_withdraw(*, exchange: Exchange, actor, reason: str) -> Exchange:
    """The fellow withdraws, with a reason, at any point before completion. What the exchange
    still holds of the budget (committed − paid) is released by an adjustment line; the
    exchange stays in every list and total with its state."""
    require_perm(actor, "fellows.withdraw_exchange", exchange)
    if not reason.strip():
        raise PortalError(_("Say why you withdraw."), field="reason")
    with transaction.atomic():
        locked = _locked(exchange)
        if locked.status not in WITHDRAWABLE_STATUSES:
            raise PortalError(_("A completed exchange cannot be withdrawn."))
        if locked.budget_period_id:
            BudgetPeriod.objects.select_for_update().get(pk=locked.budget_period_id)
            committed, paid = selectors.ledger_totals_of(locked)
            if committed - paid > 0:
                LedgerEntry.objects.create(
                    period_id=locked.budget_period_id,
                    exchange=locked,
                    kind=LedgerKind.ADJUSTMENT,
                    amount=-(committed - paid),
                    note=_("Released: the exchange was withdrawn."),
                    created_by=actor,
                )
        locked.withdraw_reason = reason.strip()
        exchange_set_status(
            locked, S.WITHDRAWN, actor=actor, message=reason.strip(), also=["withdraw_reason"]
        )
        _notify(locked, "status", to=_everyone(locked), message=reason)
    return locked


# --- Decisions and the mobility budget ----------------------------------------------------------


def exchange_approve(
    *,
    exchange: Exchange,
    actor,
    amount: Decimal | None = None,
    period: BudgetPeriod | None = None,
    message: str = "",
) -> Exchange:
    """The coordinator approves a confirmed exchange and commits ``amount`` euros (by default
    the requested amount; never more) on ``period``. The period charged must cover the start
    of the physical part (``starts_on`` ≤ start ≤ ``ends_on``): by default the one that does;
    another one is refused beside ``period`` (``PortalError``, code ``period``), as is an
    exchange no period covers. Refused too when the period's remaining budget (amount −
    committed) cannot cover it: the period's row is locked, so two coordinators approving at
    once cannot both spend the same remainder. A virtual exchange is approved with nothing to
    commit."""
    require_perm(actor, "fellows.decide_exchange", exchange)
    with transaction.atomic():
        locked = _locked(exchange)
        ensure_transition(S(locked.status), S.APPROVED, TRANSITIONS)
        requested = locked.requested_amount
        amount = requested if amount is None else Decimal(amount)
        if amount < 0:
            raise PortalError(_("An amount cannot be negative."), field="amount")
        if amount > requested:
            raise PortalError(
                _("At most the requested %(requested)s euros can be approved.")
                % {"requested": requested},
                field="amount",
            )
        beneficiary = selectors.beneficiary_side(locked.sender_id, locked.host_id)
        if beneficiary is None:
            raise PortalError(_("Neither the sender nor the host is a full partner any more."))
        also = ["approved_amount", "beneficiary", "decided_at"]
        if amount > 0:
            period = period or selectors.period_for_date(locked.start_date)
            if period is None:
                raise PortalError(
                    _("No budget period covers this exchange: choose one."), field="period"
                )
            period = BudgetPeriod.objects.select_for_update().get(pk=period.pk)
            if locked.start_date is None or not (
                period.starts_on <= locked.start_date <= period.ends_on
            ):
                raise PortalError(
                    _(
                        "The period %(period)s (%(starts)s to %(ends)s) does not cover the "
                        "start of this exchange's physical part: choose the period that does."
                    )
                    % {
                        "period": period.name,
                        "starts": period.starts_on.isoformat(),
                        "ends": period.ends_on.isoformat(),
                    },
                    field="period",
                    code="period",
                )
            remaining = period.amount - selectors.period_committed(period.pk)
            if amount > remaining:
                raise PortalError(
                    _(
                        "The period %(period)s has %(remaining)s euros left: not enough for "
                        "%(amount)s euros."
                    )
                    % {"period": period.name, "remaining": remaining, "amount": amount},
                    field="amount",
                    code="budget",
                )
            LedgerEntry.objects.create(
                period=period,
                exchange=locked,
                kind=LedgerKind.COMMITMENT,
                amount=amount,
                created_by=actor,
            )
            locked.budget_period = period
            also.append("budget_period")
        locked.approved_amount = amount
        locked.beneficiary = beneficiary
        locked.decided_at = timezone.now()
        exchange_set_status(locked, S.APPROVED, actor=actor, message=message, also=also)
        _notify(locked, "status", to=_everyone(locked), message=message)
    return locked


def exchange_reject(*, exchange: Exchange, actor, message: str) -> Exchange:
    """The coordinator rejects a confirmed exchange, saying why."""
    require_perm(actor, "fellows.decide_exchange", exchange)
    if not message.strip():
        raise PortalError(_("Say why the application is rejected."), field="message")
    with transaction.atomic():
        locked = _locked(exchange)
        locked.decided_at = timezone.now()
        exchange_set_status(
            locked, S.REJECTED, actor=actor, message=message.strip(), also=["decided_at"]
        )
        _notify(locked, "status", to=_everyone(locked), message=message)
    return locked


def exchange_start(*, exchange: Exchange, actor, today: date | None = None) -> Exchange:
    """The approved exchange has begun (the fellow or the coordinator says so): not before
    the first day of its physical part (``PortalError`` otherwise; Brussels dates)."""
    require_perm(actor, "fellows.run_exchange", exchange)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked(exchange)
        if locked.start_date is not None and today < locked.start_date:
            raise PortalError(
                _("The exchange starts on %(date)s: it cannot begin before.")
                % {"date": date_format(locked.start_date, "j F Y")}
            )
        exchange_set_status(locked, S.IN_PROGRESS, actor=actor)
        _notify(locked, "status", to=_everyone(locked))
    return locked


def exchange_complete(*, exchange: Exchange, actor, today: date | None = None) -> Exchange:
    """The exchange is over, not before the last day of its physical part (``PortalError``):
    the report falls due ``REPORT_DUE_AFTER`` after that day (or after today for a virtual
    exchange)."""
    require_perm(actor, "fellows.run_exchange", exchange)
    with transaction.atomic():
        locked = _locked(exchange)
        if locked.end_date is not None and (today or timezone.localdate()) < locked.end_date:
            raise PortalError(
                _("The exchange ends on %(date)s: it cannot be completed before.")
                % {"date": date_format(locked.end_date, "j F Y")}
            )
        base = locked.end_date or today or timezone.localdate()
        locked.report_due_on = max(base, today or timezone.localdate()) + REPORT_DUE_AFTER
        exchange_set_status(locked, S.COMPLETED, actor=actor, also=["report_due_on"])
        _notify(locked, "status", to=_everyone(locked))
    return locked


def budget_period_create(
    *, actor, name: str, starts_on: date, ends_on: date, amount: Decimal
) -> BudgetPeriod:
    """A new period of the mobility budget (coordinators only)."""
    require_perm(actor, "fellows.manage_budget")
    if amount < 0:
        raise PortalError(_("An amount cannot be negative."), field="amount")
    if ends_on <= starts_on:
        raise PortalError(_("The end must be after the start."), field="ends_on")
    if BudgetPeriod.objects.filter(name=name).exists():
        raise PortalError(_("Another period has this name."), field="name")
    with transaction.atomic():
        period = BudgetPeriod.objects.create(
            name=name, starts_on=starts_on, ends_on=ends_on, amount=amount
        )
        log_action(
            "fellows.budget.period_create",
            actor=actor,
            target=period,
            data={"amount": str(amount)},
        )
    return period


def budget_adjust(*, exchange: Exchange, actor, amount: Decimal, note: str) -> LedgerEntry:
    """Change what is committed for a funded exchange by ``amount`` euros (negative to
    release). The commitment may not go below what is paid, nor the period above its amount."""
    require_perm(actor, "fellows.pay_exchange", exchange)
    if not note.strip():
        raise PortalError(_("Say why the commitment changes."), field="note")
    with transaction.atomic():
        locked = _locked(exchange)
        if locked.status not in FUNDED_STATUSES or locked.budget_period_id is None:
            raise PortalError(_("Only a funded exchange's commitment can be adjusted."))
        period = BudgetPeriod.objects.select_for_update().get(pk=locked.budget_period_id)
        committed, paid = selectors.ledger_totals_of(locked)
        if committed + amount < paid:
            raise PortalError(
                _("The commitment cannot fall below what is paid (%(paid)s euros).")
                % {"paid": paid},
                field="amount",
            )
        if amount > period.amount - selectors.period_committed(period.pk):
            raise PortalError(_("The period's remaining budget cannot cover it."), field="amount")
        entry = LedgerEntry.objects.create(
            period=period,
            exchange=locked,
            kind=LedgerKind.ADJUSTMENT,
            amount=amount,
            note=note.strip(),
            created_by=actor,
        )
        log_action(
            "fellows.budget.adjust", actor=actor, target=locked, data={"amount": str(amount)}
        )
    return entry


def payment_record(*, exchange: Exchange, actor, amount: Decimal, note: str = "") -> LedgerEntry:
    """Record a payment of ``amount`` euros to the exchange's beneficiary. What is paid never
    exceeds what is committed for the exchange."""
    require_perm(actor, "fellows.pay_exchange", exchange)
    if amount <= 0:
        raise PortalError(_("A payment is a positive amount."), field="amount")
    with transaction.atomic():
        locked = _locked(exchange)
        if locked.status not in FUNDED_STATUSES or locked.budget_period_id is None:
            raise PortalError(_("Only a funded exchange is paid."))
        BudgetPeriod.objects.select_for_update().get(pk=locked.budget_period_id)
        committed, paid = selectors.ledger_totals_of(locked)
        if paid + amount > committed:
            raise PortalError(
                _("Only %(left)s euros are committed and not yet paid.")
                % {"left": committed - paid},
                field="amount",
            )
        entry = LedgerEntry.objects.create(
            period_id=locked.budget_period_id,
            exchange=locked,
            kind=LedgerKind.PAYMENT,
            amount=amount,
            note=note.strip(),
            created_by=actor,
        )
        log_action(
            "fellows.budget.payment",
            actor=actor,
            target=locked,
            data={"amount": str(amount), "beneficiary": locked.beneficiary},
        )
    return entry


# --- Reports, outcomes, feedback, testimonials ----------------------------------------------------


@dataclass(frozen=True)
class OutcomeInput:
    """An outcome as the fellow gives it: a kind, a title, and an Outputs record or a link."""

    kind: str
    title: str
    url: str = ""
    output_id: int | None = None


def report_submit(
    *, exchange: Exchange, actor, summary: str, achievements: str, outcomes: list[OutcomeInput]
) -> Report:
    """The fellow's final report with its outcomes; the exchange goes to report submitted and
    the coordinators are told. Outcomes that name an Outputs record must name a published
    one."""
    require_perm(actor, "fellows.submit_report", exchange)
    if not summary.strip():
        raise PortalError(_("Write a summary."), field="summary")
    if not achievements.strip():
        raise PortalError(_("Say what was achieved."), field="achievements")
    output_ids = {outcome.output_id for outcome in outcomes if outcome.output_id}
    if output_ids:
        known = set(published_outputs().filter(pk__in=output_ids).values_list("pk", flat=True))
        if output_ids - known:
            raise PortalError(_("Choose a published output."), field="outcomes")
    with transaction.atomic():
        locked = _locked(exchange)
        ensure_transition(S(locked.status), S.REPORT_SUBMITTED, TRANSITIONS)
        report, _created = Report.objects.update_or_create(
            exchange=locked,
            defaults={
                "summary": summary.strip(),
                "achievements": achievements.strip(),
                "submitted_at": timezone.now(),
            },
        )
        locked.outcomes.all().delete()
        Outcome.objects.bulk_create(
            Outcome(
                exchange=locked,
                kind=outcome.kind,
                title=outcome.title.strip(),
                url=outcome.url,
                output_id=outcome.output_id,
            )
            for outcome in outcomes
            if outcome.title.strip()
        )
        exchange_set_status(locked, S.REPORT_SUBMITTED, actor=actor)
        _notify(locked, "status", to=[*_coordinators(), locked.host_supervisor_email])
    return report


def report_feedback(*, exchange: Exchange, actor, feedback: str) -> Report:
    """The host's supervisor's short feedback on a submitted report."""
    require_perm(actor, "fellows.give_feedback", exchange)
    if not feedback.strip():
        raise PortalError(_("Write your feedback."), field="feedback")
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(exchange=exchange).first()
        if report is None:
            raise PortalError(_("The fellow has not reported yet."))
        report.host_feedback = feedback.strip()
        report.save(update_fields=["host_feedback", "updated_at"])
        log_action("fellows.report.feedback", actor=actor, target=exchange)
    return report


def report_accept(*, exchange: Exchange, actor, message: str = "") -> Exchange:
    """The coordinator accepts the report."""
    require_perm(actor, "fellows.accept_report", exchange)
    with transaction.atomic():
        locked = _locked(exchange)
        exchange_set_status(locked, S.REPORT_ACCEPTED, actor=actor, message=message)
        _notify(locked, "status", to=_parties(locked), message=message)
    return locked


def report_return(*, exchange: Exchange, actor, message: str) -> Exchange:
    """The coordinator sends the report back to the fellow, saying what is missing."""
    require_perm(actor, "fellows.accept_report", exchange)
    if not message.strip():
        raise PortalError(_("Say what the report lacks."), field="message")
    with transaction.atomic():
        locked = _locked(exchange)
        exchange_set_status(locked, S.COMPLETED, actor=actor, message=message.strip())
        _notify(locked, "status", to=[locked.fellow.email], message=message)
    return locked


def exchange_close(*, exchange: Exchange, actor) -> Exchange:
    """The coordinator closes an exchange whose report was accepted."""
    require_perm(actor, "fellows.close_exchange", exchange)
    with transaction.atomic():
        locked = _locked(exchange)
        exchange_set_status(locked, S.CLOSED, actor=actor)
        _notify(locked, "status", to=_parties(locked))
    return locked


def exchange_testimonial_send(*, exchange: Exchange, actor, text: str, photo=None) -> Testimonial:
    """The fellow's testimonial (text, and a photo already checked by content) for a completed
    exchange; it waits for the coordinator's approval. Sending it again replaces it."""
    require_perm(actor, "fellows.submit_testimonial", exchange)
    if not exchange.is_completed:
        raise PortalError(_("Write your testimonial once the exchange is completed."))
    if not text.strip():
        raise PortalError(_("Write your testimonial."), field="text")
    with transaction.atomic():
        testimonial, _created = Testimonial.objects.select_for_update().get_or_create(
            exchange=exchange, defaults={"text": text.strip()}
        )
        if testimonial.status == TestimonialStatus.PUBLISHED:
            raise PortalError(_("Your testimonial is already published."))
        testimonial.text = text.strip()
        if photo is not None:
            testimonial.photo = photo
        testimonial.save()
        log_action("fellows.testimonial.submit", actor=actor, target=exchange)
        _notify(exchange, "testimonial", to=_coordinators())
    return testimonial


def exchange_testimonial_approve(*, testimonial: Testimonial, actor) -> Testimonial:
    """The coordinator approves a testimonial: it appears on the programme's public pages.

    The testimonial's row is locked and its state read again under the lock: of two approvals
    at once, one publishes and logs, the other is refused (``PortalError`` "already
    approved")."""
    require_perm(actor, "fellows.publish_testimonial", testimonial.exchange)
    with transaction.atomic():
        locked = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
        if locked.status == TestimonialStatus.PUBLISHED:
            raise PortalError(
                _("This testimonial has already been approved and is published."),
                code="already_decided",
            )
        locked.published_at = timezone.now()
        set_state(
            locked,
            TestimonialStatus.PUBLISHED,
            TESTIMONIAL_TRANSITIONS,
            also=["published_at", "updated_at"],
        )
        log_action("fellows.testimonial.publish", actor=actor, target=testimonial.exchange)
    return locked


# --- Reminders ---------------------------------------------------------------------------------


def send_report_reminders(*, today: date | None = None) -> int:
    """Remind fellows whose report is due in a week or today. Each reminder goes once: a
    ``ReminderSent`` row (unique per exchange, kind and due date) is written in the same
    transaction as the email, so a second run, or two at once, sends nothing more. Returns how
    many were sent. Run daily by Celery beat."""
    today = today or timezone.localdate()
    sent = 0
    plan = ((ReminderKind.WEEK_BEFORE, today + timedelta(days=7)), (ReminderKind.DUE_DAY, today))
    for kind, due in plan:
        exchanges = Exchange.objects.filter(status=S.COMPLETED, report_due_on=due).select_related(
            "fellow"
        )
        for exchange in exchanges:
            with transaction.atomic():
                _reminder, created = ReminderSent.objects.get_or_create(
                    exchange=exchange, kind=kind, due_on=due
                )
                if not created:
                    continue
                email_queue(
                    to=exchange.fellow.email,
                    template="fellows/report_reminder",
                    context={
                        "exchange": exchange,
                        "due_on": due,
                        "today": kind == ReminderKind.DUE_DAY,
                        "url": absolute_url(exchange.get_absolute_url()),
                    },
                )
                sent += 1
    return sent


# --- Host offers, profiles, conversations ---------------------------------------------------------


def offer_save(*, actor, organisation, data: dict, offer: HostOffer | None = None) -> HostOffer:
    """Publish a host offer for ``organisation`` (its contacts and the coordinators), or change
    one (its supervisor and the coordinators). ``data`` holds ``HostOffer.FIELDS``."""
    if offer is None:
        require_perm(actor, "fellows.add_hostoffer", organisation)
    else:
        require_perm(actor, "fellows.change_hostoffer", offer)
    start, end = data.get("available_from"), data.get("available_until")
    if start and end and end <= start:
        raise PortalError(_("The end must be after the start."), field="available_until")
    if not data.get("modes", offer.modes if offer else None):
        raise PortalError(_("Choose at least one mode."), field="modes")
    with transaction.atomic():
        if offer is None:
            offer = HostOffer(organisation=organisation, supervisor=actor)
            apply_changes(offer, data, HostOffer.FIELDS)
            offer.save()
            changed = ["created"]
        else:
            offer = HostOffer.objects.select_for_update().get(pk=offer.pk)
            changed = apply_changes(offer, data, HostOffer.FIELDS)
            if changed:
                offer.save(update_fields=[*changed, "updated_at"])
        log_action("fellows.offer.save", actor=actor, target=offer, data={"fields": changed})
    return offer


def profile_save(*, actor, data: dict) -> FellowProfile:
    """Create or change the actor's fellow profile (``FellowProfile.FIELDS``)."""
    require_perm(actor, "fellows.change_fellowprofile")
    with transaction.atomic():
        profile = FellowProfile.objects.select_for_update().filter(user=actor).first()
        if profile is None:
            profile = FellowProfile(user=actor)
            apply_changes(profile, data, FellowProfile.FIELDS)
            profile.save()
        else:
            changed = apply_changes(profile, data, FellowProfile.FIELDS)
            if changed:
                profile.save(update_fields=[*changed, "updated_at"])
        log_action("fellows.profile.save", actor=actor, target=profile)
    return profile


def interest_send(*, offer: HostOffer, actor, body: str) -> Conversation:
    """The "I'm interested" message of a fellow to an offer's supervisor: it opens (or
    continues) their conversation on the portal. The supervisor is told by email with a link,
    never the fellow's address, and the fellow never sees the supervisor's."""
    require_perm(actor, "fellows.express_interest", offer)
    if not offer.is_open:
        raise PortalError(_("This offer is closed."))
    with transaction.atomic():
        conversation, _created = Conversation.objects.get_or_create(
            fellow=actor, supervisor=offer.supervisor, offer=offer
        )
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        return _post(conversation, actor, body, template="interest")


def message_send(*, conversation: Conversation, actor, body: str) -> Conversation:
    """A further message in a conversation, from either of its two people."""
    require_perm(actor, "fellows.view_conversation", conversation)
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        return _post(conversation, actor, body, template="message")


def _post(conversation: Conversation, actor, body: str, *, template: str) -> Conversation:
    if not body.strip():
        raise PortalError(_("Write a message."), field="body")
    Message.objects.create(conversation=conversation, author=actor, body=body.strip())
    conversation.save(update_fields=["updated_at"])
    other = conversation.supervisor if actor.pk == conversation.fellow_id else conversation.fellow
    email_queue(
        to=other.email,
        template=f"fellows/{template}",
        context={
            "author": actor.display_name,
            "offer": conversation.offer,
            "url": absolute_url(f"/fellows/conversations/{conversation.pk}/"),
        },
    )
    log_action("fellows.conversation.message", actor=actor, target=conversation)
    return conversation
