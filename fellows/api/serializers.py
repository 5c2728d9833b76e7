"""What the fellows API reads out. Amounts are euros (decimal strings), dates ISO 8601."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ai4media_portal.core.api import serializers as portal
from ai4media_portal.core.permissions import can

from ..enums import Side
from ..models import Exchange, HostOffer, Outcome


class HostOfferSerializer(portal.ModelSerializer):
    """A host offer: the host organisation (slug and country), the supervisor's name (never
    their address), topics, modes, the period available, places and language."""

    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = serializers.CharField(source="organisation.country.code", read_only=True)
    supervisor = serializers.CharField(source="supervisor.display_name", read_only=True)
    modes = serializers.ListField(child=serializers.CharField(), read_only=True)
    url = serializers.SerializerMethodField(help_text="The offer's page.")

    class Meta:
        model = HostOffer
        fields = [
            "id",
            "title",
            "organisation",
            "country",
            "supervisor",
            "topics",
            "description",
            "modes",
            "available_from",
            "available_until",
            "places",
            "language",
            "is_open",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, offer) -> str:
        return self.context["request"].build_absolute_uri(offer.get_absolute_url())


class OutcomeSerializer(portal.ModelSerializer):
    output_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The record in /api/v1/outputs/, if any."
    )

    class Meta:
        model = Outcome
        fields = ["kind", "title", "url", "output_id"]
        read_only_fields = fields


class ExchangeSummarySerializer(portal.ModelSerializer):
    """The public summary of a completed exchange: who went where, how, when, and what came
    out of it."""

    fellow = serializers.CharField(source="fellow.display_name", read_only=True)
    sender = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    host = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    sender_country = serializers.CharField(source="sender.country.code", read_only=True)
    host_country = serializers.CharField(source="host.country.code", read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = Exchange
        fields = [
            "id",
            "title",
            "status",
            "fellow",
            "sender",
            "sender_country",
            "host",
            "host_country",
            "mode",
            "start_date",
            "end_date",
            "outcomes",
        ]
        read_only_fields = fields


PRIVATE_FIELDS = (
    "version",
    "sender_confirmed",
    "host_confirmed",
    "research_plan",
    "expected_outcomes",
    "beneficiary",
    "requested_amount",
    "approved_amount",
    "committed_amount",
    "paid_amount",
    "decline_reason",
    "withdraw_reason",
    "report_due_on",
)


class ExchangeSerializer(ExchangeSummarySerializer):
    """An exchange. Everyone reads the public summary of completed ones; the fellow, the two
    supervisors and the fellows coordinators also read the full record (``PRIVATE_FIELDS``:
    the plan, the confirmations of the current version, the beneficiary — ``sender`` or
    ``host`` — and the four amounts in euros: requested, approved, committed, paid). For
    anyone else those keys are absent."""

    requested_amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    committed_amount = serializers.DecimalField(
        source="committed", max_digits=12, decimal_places=2, read_only=True
    )
    paid_amount = serializers.DecimalField(
        source="paid", max_digits=12, decimal_places=2, read_only=True
    )
    beneficiary = serializers.ChoiceField(
        choices=Side.choices,
        allow_blank=True,
        read_only=True,
        help_text="Who the mobility budget pays; empty until the application is submitted.",
    )
    sender_confirmed = serializers.BooleanField(read_only=True)
    host_confirmed = serializers.BooleanField(read_only=True)

    class Meta(ExchangeSummarySerializer.Meta):
        fields = [*ExchangeSummarySerializer.Meta.fields, *PRIVATE_FIELDS]
        read_only_fields = fields
        optional_fields = PRIVATE_FIELDS

    def to_representation(self, exchange):
        if can(self.context["request"].user, "fellows.view_exchange", exchange):
            return super().to_representation(exchange)
        if not hasattr(self, "_summary"):
            self._summary = ExchangeSummarySerializer(context=self.context)
        return self._summary.to_representation(exchange)
