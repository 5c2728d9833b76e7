"""Supervisors are named by email address; the account is linked when there is one, so the
application form no longer tells who has an account. Existing exchanges keep their linked
supervisors, whose current addresses are copied."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_addresses(apps, schema_editor):
    Exchange = apps.get_model("fellows", "Exchange")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for side in ("sender", "host"):
        Exchange.objects.filter(**{f"{side}_supervisor__isnull": False}).update(
            **{
                f"{side}_supervisor_email": Subquery(
                    User.objects.filter(pk=OuterRef(f"{side}_supervisor")).values("email")[:1]
                )
            }
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fellows", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="exchange",
            name="sender_supervisor_email",
            field=models.EmailField(
                default="", max_length=254, verbose_name="sender's supervisor"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="exchange",
            name="host_supervisor_email",
            field=models.EmailField(default="", max_length=254, verbose_name="host's supervisor"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_addresses, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="exchange",
            name="sender_supervisor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="sender's supervisor's account",
            ),
        ),
        migrations.AlterField(
            model_name="exchange",
            name="host_supervisor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="host's supervisor's account",
            ),
        ),
    ]
