"""The fellows programme's pages. Thin: parse, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_countries import countries

from ai4media_portal.core.charts import bar_chart
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.exports import tabular_response
from ai4media_portal.core.files import private_file_response
from ai4media_portal.core.idempotency import new_form_token
from ai4media_portal.core.permissions import can
from ai4media_portal.core.private_cache import private_page
from ai4media_portal.core.public_cache import public_page
from ai4media_portal.core.web import form_error, listing_query, paginate, require

from . import selectors, services
from .enums import WITHDRAWABLE_STATUSES, ExchangeStatus, Mode, TestimonialStatus
from .forms import (
    AdjustForm,
    ApproveForm,
    BodyForm,
    DeclineForm,
    ExchangeForm,
    FeedbackForm,
    MessageForm,
    OfferFilterForm,
    OfferForm,
    PaymentForm,
    PeriodForm,
    ProfileFilterForm,
    ProfileForm,
    QueueFilterForm,
    RejectForm,
    ReportForm,
    TestimonialForm,
    WithdrawForm,
)
from .models import Testimonial
from .validators import MONTHLY_SUBSISTENCE_CAP, OTHER_CAP, TRAVEL_CAP

PAGE_SIZE = 20
S = ExchangeStatus


def _show_refusal(form, error: PortalError) -> None:
    """Every broken rule beside its field (``RulesBroken``), or the one refusal."""
    for breach in getattr(error, "breaches", None) or [error]:
        form_error(form, PortalError(breach.message, field=breach.field))


# --- Public pages ----------------------------------------------------------------------------


@require_GET
@public_page("fellows", "network", "outputs")
def index(request):
    """The programme: its rules, open host offers, testimonials and the latest exchanges."""
    return render(
        request,
        "fellows/index.html",
        {
            "offers": selectors.offers()[:6],
            "testimonials": selectors.published_testimonials()[:3],
            "completed": selectors.completed_exchanges()[:5],
            "caps": {"travel": TRAVEL_CAP, "monthly": MONTHLY_SUBSISTENCE_CAP, "other": OTHER_CAP},
        },
    )


@require_GET
@public_page("fellows", "network", "outputs")
def numbers(request):
    """The programme in numbers: exchanges per year and mode, country flows, organisations;
    every chart with a table of the same numbers."""
    mode_labels = dict(Mode.choices)
    flows = selectors.country_flows()
    charts = [
        bar_chart(
            "per-year",
            _("Exchanges per year"),
            selectors.exchanges_per_year(),
            label_heading=_("Year"),
            value_heading=_("Exchanges"),
            empty=_("No exchanges yet."),
        ),
        bar_chart(
            "per-mode",
            _("Exchanges by mode"),
            [(mode_labels.get(mode, mode), n) for mode, n in selectors.exchanges_per_mode()],
            label_heading=_("Mode"),
            value_heading=_("Exchanges"),
            empty=_("No exchanges yet."),
        ),
        bar_chart(
            "flows",
            _("Country flows, sender → host"),
            [
                (f"{countries.name(sender)} → {countries.name(host)}", n)
                for sender, host, n in flows
            ],
            label_heading=_("Sender → host"),
            value_heading=_("Exchanges"),
            empty=_("No exchanges yet."),
        ),
    ]
    return render(
        request,
        "fellows/numbers.html",
        {"charts": charts, "organisations": selectors.organisations_involved()},
    )


@require_GET
@public_page("fellows", "network", "outputs")
def testimonials(request):
    page = paginate(request, selectors.published_testimonials(), PAGE_SIZE)
    return render(request, "fellows/testimonials.html", {"page": page})


@require_GET
def testimonial_photo(request, pk):
    """A testimonial's photo: public once published; before, its fellow and the coordinators."""
    testimonial = Testimonial.objects.select_related("exchange").filter(pk=pk).first()
    if testimonial is None or not testimonial.photo:
        raise Http404
    if testimonial.status != TestimonialStatus.PUBLISHED and not can(
        request.user, "fellows.view_exchange", testimonial.exchange
    ):
        raise Http404
    return private_file_response(testimonial.photo, download_name="photo")


@require_GET
@public_page("fellows", "network", "outputs")
def completed(request):
    page = paginate(request, selectors.completed_exchanges(), PAGE_SIZE)
    return render(request, "fellows/completed.html", {"page": page})


@require_GET
def completed_exchange(request, pk):
    exchange = selectors.completed_exchanges().filter(pk=pk).first()
    if exchange is None:
        raise Http404
    return render(request, "fellows/completed_exchange.html", {"exchange": exchange})


# --- Host offers and profiles ------------------------------------------------------------------


@require_GET
@public_page("fellows", "network", "outputs")
def offers(request):
    form = OfferFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = paginate(request, selectors.offers(**filters), PAGE_SIZE)
    return render(
        request,
        "fellows/offers.html",
        {"form": form, "page": page, "page_query": listing_query(request.GET)},
    )


def _offer_or_404(pk):
    offer = selectors.offer_for_page(pk)
    if offer is None:
        raise Http404
    return offer


@require_GET
def offer_detail(request, pk):
    offer = _offer_or_404(pk)
    return render(
        request,
        "fellows/offer_detail.html",
        {
            "offer": offer,
            "interest_form": BodyForm(),
            "can_edit": can(request.user, "fellows.change_hostoffer", offer),
            "can_write": can(request.user, "fellows.express_interest", offer),
        },
    )


@login_required
@require_POST
def offer_interest(request, pk):
    """ "I'm interested": a message to the supervisor that opens a conversation."""
    offer = _offer_or_404(pk)
    require(request, "fellows.express_interest", offer)
    form = BodyForm(request.POST)
    if form.is_valid():
        try:
            conversation = services.interest_send(
                offer=offer, actor=request.user, body=form.cleaned_data["body"]
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your message has been sent to the supervisor."))
            return redirect("fellows:conversation", pk=conversation.pk)
    context = {"offer": offer, "interest_form": form, "can_write": True}
    return render(request, "fellows/offer_detail.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request):
    organisations = selectors.organisations_for_offers(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = OfferForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_save(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                data=form.offer_data(),
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your host offer is published."))
            return redirect(offer)
    status = 422 if request.method == "POST" else 200
    return render(request, "fellows/offer_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk):
    offer = _offer_or_404(pk)
    require(request, "fellows.change_hostoffer", offer)
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_save(
                actor=request.user,
                organisation=offer.organisation,
                data=form.offer_data(),
                offer=offer,
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(offer)
    status = 422 if request.method == "POST" else 200
    return render(request, "fellows/offer_form.html", {"form": form, "offer": offer}, status=status)


@require_GET
@public_page("fellows", "network", "outputs")
def profiles(request):
    form = ProfileFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = paginate(request, selectors.profiles(**filters), PAGE_SIZE)
    return render(
        request,
        "fellows/profiles.html",
        {"form": form, "page": page, "page_query": listing_query(request.GET)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = selectors.profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_save(actor=request.user, data=form.profile_data())
        messages.success(request, _("Your fellow's profile is saved."))
        return redirect("fellows:profiles")
    status = 422 if request.method == "POST" else 200
    return render(request, "fellows/profile_form.html", {"form": form}, status=status)


@login_required
@require_GET
@private_page
def conversations(request):
    page = paginate(request, selectors.conversations_of(request.user), PAGE_SIZE)
    return render(request, "fellows/conversations.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def conversation_detail(request, pk):
    conversation = selectors.conversation_for_page(user=request.user, pk=pk)
    if conversation is None:
        raise Http404
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(
                conversation=conversation, actor=request.user, body=form.cleaned_data["body"]
            )
        except PortalError as error:
            form_error(form, error)
        else:
            return redirect("fellows:conversation", pk=conversation.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "fellows/conversation.html",
        {"conversation": conversation, "form": form},
        status=status,
    )


# --- Exchanges -----------------------------------------------------------------------------------


@login_required
@require_GET
@private_page
def my_exchanges(request):
    page = paginate(request, selectors.exchanges_of(request.user), PAGE_SIZE)
    return render(request, "fellows/my_exchanges.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def exchange_create(request):
    """A joint application: saved as a draft, or saved and submitted at once."""
    require(request, "fellows.add_exchange")
    offer = None
    if request.GET.get("offer", "").isdigit():
        offer = selectors.offer_for_page(int(request.GET["offer"]))
    if request.method == "POST":
        form = ExchangeForm(request.POST)
        if form.is_valid():
            try:
                exchange, _created = services.exchange_create(
                    actor=request.user,
                    data=form.exchange_data(),
                    offer=offer,
                    form_token=form.cleaned_data.get("form_token"),
                )
            except PortalError as error:
                _show_refusal(form, error)
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("Your draft is saved."))
                    return redirect(exchange)
                try:
                    services.exchange_submit(exchange=exchange, actor=request.user)
                except PortalError as error:
                    # The draft is kept; its edit page shows what the rules refuse.
                    edit_form = ExchangeForm(request.POST, instance=exchange)
                    edit_form.is_valid()
                    _show_refusal(edit_form, error)
                    messages.info(request, _("Your draft is saved; fix the fields shown."))
                    return _edit_page(request, exchange, edit_form, status=422)
                messages.success(request, _("Submitted: both supervisors are asked to confirm."))
                return redirect(exchange)
        status = 422
    else:
        initial = {"form_token": new_form_token()}
        profile = selectors.profile_of(request.user)
        if profile is not None:
            initial["sender"] = profile.home_organisation_id
        if offer is not None:
            initial.update(
                host=offer.organisation_id,
                mode=offer.modes[0] if offer.modes else "",
                title=offer.title,
            )
        form = ExchangeForm(initial=initial)
        status = 200
    return render(
        request, "fellows/exchange_form.html", {"form": form, "offer": offer}, status=status
    )


def _edit_page(request, exchange, form, *, status=200):
    return render(
        request,
        "fellows/exchange_form.html",
        {"form": form, "exchange": exchange, "offer": exchange.offer},
        status=status,
    )


def _exchange_or_404(request, pk):
    exchange = selectors.exchange_for_page(user=request.user, pk=pk)
    if exchange is None:
        raise Http404
    return exchange


@login_required
@require_http_methods(["GET", "POST"])
def exchange_edit(request, pk):
    exchange = _exchange_or_404(request, pk)
    require(request, "fellows.change_exchange", exchange)
    if not exchange.is_editable:
        messages.info(request, _("This application can no longer be changed."))
        return redirect(exchange)
    form = ExchangeForm(request.POST or None, instance=exchange)
    if request.method == "POST" and form.is_valid():
        try:
            exchange, changed = services.exchange_update(
                exchange=exchange, actor=request.user, data=form.exchange_data()
            )
            if "submit" in request.POST and exchange.status == S.DRAFT:
                services.exchange_submit(exchange=exchange, actor=request.user)
        except PortalError as error:
            _show_refusal(form, error)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Submitted: both supervisors are asked to confirm."))
            elif changed:
                messages.success(request, _("Your changes have been saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect(exchange)
    status = 422 if request.method == "POST" else 200
    return _edit_page(request, exchange, form, status=status)


def _exchange_page(request, exchange, *, forms=None, status=200):
    user = request.user
    forms = forms or {}
    committed, paid = exchange.committed, exchange.paid
    context = {
        "exchange": exchange,
        "Status": S,
        "withdrawable": WITHDRAWABLE_STATUSES,
        "history": selectors.history_of(exchange),
        "differences": selectors.version_differences(exchange),
        "side": exchange.side_of(user),
        "outcomes": list(exchange.outcomes.select_related("output")),
        "report": getattr(exchange, "report", None),
        "testimonial": getattr(exchange, "testimonial", None),
        "committed": committed,
        "paid": paid,
        "is_fellow": exchange.fellow_id == user.pk,
        "can": {
            name: can(user, f"fellows.{name}", exchange)
            for name in [
                "change_exchange",
                "submit_exchange",
                "withdraw_exchange",
                "confirm_exchange",
                "decide_exchange",
                "run_exchange",
                "submit_report",
                "give_feedback",
                "accept_report",
                "close_exchange",
                "submit_testimonial",
                "publish_testimonial",
                "pay_exchange",
            ]
        },
        "decline_form": forms.get("decline") or DeclineForm(),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "approve_form": forms.get("approve") or ApproveForm(),
        "reject_form": forms.get("reject") or RejectForm(),
        "report_form": forms.get("report") or ReportForm(),
        "feedback_form": forms.get("feedback") or FeedbackForm(),
        "decision_form": forms.get("decision") or MessageForm(),
        "testimonial_form": forms.get("testimonial") or TestimonialForm(),
        "payment_form": forms.get("payment") or PaymentForm(),
        "adjust_form": forms.get("adjust") or AdjustForm(),
    }
    return render(request, "fellows/exchange_detail.html", context, status=status)


@login_required
@require_GET
def exchange_detail(request, pk):
    return _exchange_page(request, _exchange_or_404(request, pk))


def _call(service, **fixed):
    def run(request, exchange, form):
        return service(exchange=exchange, actor=request.user, **fixed, **(form or {}))

    return run


def _testimonial_send(request, exchange, data):
    return services.exchange_testimonial_send(
        exchange=exchange, actor=request.user, text=data["text"], photo=data.get("photo")
    )


def _testimonial_approve(request, exchange, data):
    testimonial = Testimonial.objects.filter(exchange=exchange).first()
    if testimonial is None:
        raise PortalError(_("There is no testimonial to approve."))
    return services.exchange_testimonial_approve(testimonial=testimonial, actor=request.user)


def _report(request, exchange, data):
    return services.report_submit(
        exchange=exchange,
        actor=request.user,
        summary=data["summary"],
        achievements=data["achievements"],
        outcomes=data["outcomes"],
    )


def _confirm(request, exchange, data):
    version = request.POST.get("version", "")
    return services.exchange_confirm(
        exchange=exchange, actor=request.user, version=int(version) if version.isdigit() else 0
    )


def _payment(request, exchange, data):
    return services.payment_record(
        exchange=exchange, actor=request.user, amount=data["amount"], note=data["note"]
    )


def _adjust(request, exchange, data):
    return services.budget_adjust(
        exchange=exchange, actor=request.user, amount=data["amount"], note=data["note"]
    )


# action in the URL → (permission, form class and its key, what to run, message on success)
ACTIONS = {
    "submit": ("submit_exchange", None, None, _call(services.exchange_submit), "submitted"),
    "confirm": ("confirm_exchange", None, None, _confirm, "confirmed"),
    "decline": (
        "confirm_exchange",
        DeclineForm,
        "decline",
        _call(services.exchange_decline),
        "declined",
    ),
    "withdraw": (
        "withdraw_exchange",
        WithdrawForm,
        "withdraw",
        _call(services.exchange_withdraw),
        "withdrawn",
    ),
    "approve": (
        "decide_exchange",
        ApproveForm,
        "approve",
        _call(services.exchange_approve),
        "approved",
    ),
    "reject": (
        "decide_exchange",
        RejectForm,
        "reject",
        _call(services.exchange_reject),
        "rejected",
    ),
    "start": ("run_exchange", None, None, _call(services.exchange_start), "started"),
    "complete": ("run_exchange", None, None, _call(services.exchange_complete), "completed"),
    "report": ("submit_report", ReportForm, "report", _report, "reported"),
    "feedback": (
        "give_feedback",
        FeedbackForm,
        "feedback",
        _call(services.report_feedback),
        "saved",
    ),
    "accept-report": (
        "accept_report",
        MessageForm,
        "decision",
        _call(services.report_accept),
        "saved",
    ),
    "return-report": (
        "accept_report",
        MessageForm,
        "decision",
        _call(services.report_return),
        "saved",
    ),
    "close": ("close_exchange", None, None, _call(services.exchange_close), "saved"),
    "testimonial": (
        "submit_testimonial",
        TestimonialForm,
        "testimonial",
        _testimonial_send,
        "testimonial",
    ),
    "publish-testimonial": (
        "publish_testimonial",
        None,
        None,
        _testimonial_approve,
        "published",
    ),
    "pay": ("pay_exchange", PaymentForm, "payment", _payment, "saved"),
    "adjust": ("pay_exchange", AdjustForm, "adjust", _adjust, "saved"),
}


def _success_message(key: str) -> str:
    return {
        "submitted": _("Submitted: both supervisors are asked to confirm."),
        "confirmed": _("Your confirmation is recorded."),
        "declined": _("You declined; the fellow and the coordinator see your reason."),
        "withdrawn": _("The exchange has been withdrawn."),
        "approved": _("Approved: the budget is committed."),
        "rejected": _("The application has been rejected."),
        "started": _("The exchange is in progress."),
        "completed": _("The exchange is completed; the report is due in 30 days."),
        "reported": _("Your report has been sent to the coordinator."),
        "testimonial": _("Thank you: your testimonial waits for the coordinator's approval."),
        "published": _("The testimonial is published."),
    }.get(key, _("Saved."))


@login_required
@require_POST
def exchange_action(request, pk, action):
    """One step of the workflow on the exchange ``pk``. A non-party gets 404; a party without
    the power 403; a refusal shows the page again with the error beside its field."""
    if action not in ACTIONS:
        raise Http404
    exchange = _exchange_or_404(request, pk)
    perm, form_class, form_key, run, success = ACTIONS[action]
    require(request, f"fellows.{perm}", exchange)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        return _exchange_page(request, exchange, forms={form_key: form}, status=422)
    data = dict(form.cleaned_data) if form is not None else None
    if isinstance(form, ReportForm):
        data = {**data, "outcomes": form.outcomes()}
        data = {key: data[key] for key in ("summary", "achievements", "outcomes")}
    try:
        run(request, exchange, data)
    except PortalError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect(exchange)
        _show_refusal(form, error)
        return _exchange_page(request, exchange, forms={form_key: form}, status=422)
    messages.success(request, _success_message(success))
    return redirect(exchange)


# --- The coordinator -----------------------------------------------------------------------------


@login_required
@require_GET
@private_page
def queue(request):
    require(request, "fellows.manage_exchanges")
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = paginate(request, selectors.coordinator_queue(**filters), PAGE_SIZE)
    return render(
        request,
        "fellows/queue.html",
        {"form": form, "page": page, "page_query": listing_query(request.GET)},
    )


EXPORT_HEADERS = [
    "id",
    "title",
    "status",
    "fellow",
    "sender",
    "host",
    "mode",
    "start",
    "end",
    "beneficiary",
    "beneficiary organisation",
    "requested (EUR)",
    "approved (EUR)",
    "committed (EUR)",
    "paid (EUR)",
    "budget period",
]


@login_required
@require_GET
def queue_export(request):
    """Every exchange with its four amounts and its beneficiary, as CSV or Excel."""
    require(request, "fellows.manage_exchanges")
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    rows = [
        [
            exchange.pk,
            exchange.title,
            exchange.get_status_display(),
            exchange.fellow.display_name,
            exchange.sender.name,
            exchange.host.name,
            exchange.get_mode_display(),
            exchange.start_date,
            exchange.end_date,
            exchange.get_beneficiary_display(),
            getattr(exchange.beneficiary_organisation, "name", ""),
            exchange.requested_amount,
            exchange.approved_amount,
            exchange.committed,
            exchange.paid,
            exchange.budget_period.name if exchange.budget_period else "",
        ]
        for exchange in selectors.coordinator_queue(**filters)
    ]
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return tabular_response(
        fmt, EXPORT_HEADERS, rows, filename="fellows-exchanges", title="Exchanges"
    )


@login_required
@require_http_methods(["GET", "POST"])
@private_page
def budget(request):
    require(request, "fellows.manage_budget")
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_period_create(actor=request.user, **form.cleaned_data)
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The budget period is added."))
            return redirect("fellows:budget")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "fellows/budget.html",
        {"periods": selectors.budget_periods(), "form": form},
        status=status,
    )


@login_required
@require_GET
def budget_period(request, pk):
    require(request, "fellows.manage_budget")
    period = selectors.budget_periods().filter(pk=pk).first()
    if period is None:
        raise Http404
    return render(
        request,
        "fellows/budget_period.html",
        {
            "period": period,
            "exchanges": selectors.budget_exchanges(period),
            "ledger": selectors.ledger_of(period),
        },
    )


@login_required
@require_GET
def testimonial_queue(request):
    require(request, "fellows.manage_exchanges")
    return render(
        request,
        "fellows/testimonial_queue.html",
        {"testimonials": selectors.testimonials_to_publish()},
    )
