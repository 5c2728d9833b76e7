"""Factories shared by every pillar's tests. Pillars keep their own in tests/<app>/factories.py."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from ai4media_portal.accounts.models import User

PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified user. ``roles=[Role.CALL_MANAGER]`` adds roles; privileged users get an
    authenticator app (secret ``TOTP_SECRET``) unless ``mfa=False``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            groups = [Group.objects.get(name=str(role)) for role in extracted]
            self.groups.add(*groups)
            self.__dict__.pop("role_names", None)

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        if create and extracted is not False and self.needs_second_factor:
            give_authenticator(self)


def give_authenticator(user: User) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(TOTP_SECRET)}}
    )


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app would show now."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
