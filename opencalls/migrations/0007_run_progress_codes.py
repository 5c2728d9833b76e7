"""An assignment run's progress is stored as a code (``RunProgress``), translated on display,
instead of an English sentence translated back through a lookup table."""

from django.db import migrations, models

# The English steps stored until now, and their codes.
CODES = {
    "Queued": "queued",
    "Detecting conflicts of interest": "detecting",
    "Reading proposals and evaluators": "reading",
    "Computing affinities": "affinities",
    "Checking conflicts, locks and capacities": "checking",
    "Finding the highest possible total affinity": "optimising",
    "Balancing evaluator loads": "balancing",
    "Checking the assignment": "verifying",
    "Saving the assignment": "saving",
    "Done": "done",
    "Nothing to assign.": "nothing",
    "No assignment is possible.": "impossible",
    "The run failed unexpectedly.": "crashed",
    "Assignments changed during the run.": "changed",
    "The run stopped without finishing.": "stale",
}


def to_codes(apps, schema_editor):
    run_model = apps.get_model("opencalls", "AssignmentRun")
    for text, code in CODES.items():
        run_model.objects.filter(step=text).update(step=code)
    # Anything else (never written by the portal) reads as "queued" rather than breaking.
    run_model.objects.exclude(step__in=CODES.values()).update(step="queued")


def to_texts(apps, schema_editor):
    run_model = apps.get_model("opencalls", "AssignmentRun")
    for text, code in CODES.items():
        run_model.objects.filter(step=code).update(step=text)


class Migration(migrations.Migration):
    dependencies = [("opencalls", "0006_status_history")]

    operations = [
        migrations.RenameField("assignmentrun", "message", "step"),
        migrations.RunPython(to_codes, to_texts),
        migrations.AlterField(
            model_name="assignmentrun",
            name="step",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting for a worker"),
                    ("detecting", "Detecting conflicts of interest"),
                    ("reading", "Reading proposals and evaluators"),
                    ("affinities", "Computing affinities"),
                    ("checking", "Checking conflicts, locks and capacities"),
                    ("optimising", "Finding the highest possible total affinity"),
                    ("balancing", "Balancing evaluator loads"),
                    ("verifying", "Checking the assignment"),
                    ("saving", "Saving the assignment"),
                    ("done", "Done"),
                    ("nothing", "Nothing to assign."),
                    ("impossible", "No assignment is possible."),
                    ("crashed", "The run failed unexpectedly."),
                    ("changed", "Assignments changed during the run."),
                    ("stale", "The run stopped without finishing."),
                ],
                default="queued",
                max_length=16,
                verbose_name="step",
            ),
        ),
    ]
