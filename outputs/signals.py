"""The catalogue's columns of an output (``Output.creator_names``, ``Output.affiliation_ids``)
follow its creators however they are written: the services set them in the same save, and a
creator or affiliation saved elsewhere (the shell, a data fix, a test) refreshes them here.
Bulk writes send no signals; their writers call ``services.catalogue_columns_refresh``."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Creator
from .services import catalogue_columns_refresh


@receiver(post_save, sender=Creator, dispatch_uid="outputs.creator_saved")
@receiver(post_delete, sender=Creator, dispatch_uid="outputs.creator_deleted")
def creator_written(sender, instance: Creator, **kwargs):
    catalogue_columns_refresh([instance.output_id])


@receiver(m2m_changed, sender=Creator.affiliations.through, dispatch_uid="outputs.affiliations")
def affiliations_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    if not reverse:  # creator.affiliations.add(…), .remove(…), .set(…), .clear()
        if action.startswith("post_"):
            catalogue_columns_refresh([instance.output_id])
        return
    # organisation.affiliated_creators.…: the outputs of the creators named, or of every
    # creator affiliated to the organisation before a clear.
    if action == "pre_clear":
        instance._outputs_to_refresh = list(
            Creator.objects.filter(affiliations=instance).values_list("output_id", flat=True)
        )
    elif action == "post_clear":
        catalogue_columns_refresh(getattr(instance, "_outputs_to_refresh", []))
    elif action.startswith("post_"):
        catalogue_columns_refresh(
            Creator.objects.filter(pk__in=pk_set).values_list("output_id", flat=True)
        )
