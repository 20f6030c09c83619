# Meetings as first-class objects (issue 11): start/end, state, iCal sequence, item attachments.

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F

import organisation.models


def slut_fra_start(apps, schema_editor):
    """Existing meetings had only a start (`dato`): give each an end two hours later."""
    Moede = apps.get_model("organisation", "Moede")
    Moede.objects.filter(slut__isnull=True).order_by().update(slut=F("start") + datetime.timedelta(hours=2))


class Migration(migrations.Migration):

    dependencies = [
        ("organisation", "0004_sundhedsraad"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="moede", old_name="dato", new_name="start"),
        migrations.AddField(model_name="moede", name="slut", field=models.DateTimeField(null=True)),
        migrations.RunPython(slut_fra_start, migrations.RunPython.noop),
        migrations.AlterField(model_name="moede", name="slut", field=models.DateTimeField()),
        migrations.AddField(
            model_name="moede", name="status",
            field=models.CharField(choices=[("planlagt", "Planlagt"), ("dagsorden", "Dagsorden offentliggjort"),
                                            ("referat", "Referat offentliggjort"), ("aflyst", "Aflyst")],
                                   default="planlagt", max_length=20),
        ),
        migrations.AddField(
            model_name="moede", name="sekvens",
            field=models.PositiveIntegerField(default=0, help_text="iCal SEQUENCE; hæves ved hver ændring.",
                                              verbose_name="sekvens"),
        ),
        migrations.AddField(model_name="moede", name="dagsorden_offentliggjort",
                            field=models.DateTimeField(blank=True, null=True, verbose_name="dagsorden offentliggjort")),
        migrations.AddField(model_name="moede", name="referat_offentliggjort",
                            field=models.DateTimeField(blank=True, null=True, verbose_name="referat offentliggjort")),
        migrations.AddField(model_name="moede", name="oprettet",
                            field=models.DateTimeField(default=django.utils.timezone.now)),
        migrations.AddField(model_name="moede", name="opdateret",
                            field=models.DateTimeField(default=django.utils.timezone.now)),
        migrations.AlterModelOptions(name="moede",
                                     options={"ordering": ["-start"], "verbose_name": "møde",
                                              "verbose_name_plural": "møder"}),
        migrations.AddIndex(model_name="moede",
                            index=models.Index(fields=["status", "start"], name="moede_status_start")),
        migrations.AddConstraint(
            model_name="moede",
            constraint=models.CheckConstraint(condition=models.Q(slut__gt=models.F("start")),
                                              name="moede_slut_efter_start",
                                              violation_error_message="Mødet skal slutte efter, det begynder."),
        ),
        migrations.AlterField(
            model_name="dagsordenpunkt", name="bilag",
            field=models.TextField(blank=True, verbose_name="bilagsbetegnelser",
                                   help_text="Én bilagsbetegnelse pr. linje (bilag, der ikke er lagt op som filer)."),
        ),
        migrations.CreateModel(
            name="Punktbilag",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("navn", models.CharField(max_length=250)),
                ("fil", models.FileField(upload_to=organisation.models._punktbilag_sti)),
                ("filnavn", models.CharField(max_length=250)),
                ("indholdstype", models.CharField(max_length=120)),
                ("stoerrelse", models.PositiveIntegerField(verbose_name="størrelse (bytes)")),
                ("uploadet", models.DateTimeField(default=django.utils.timezone.now)),
                ("punkt", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="bilagsfiler",
                                            to="organisation.dagsordenpunkt")),
                ("uploadet_af", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                  to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "bilag til dagsordenpunkt", "verbose_name_plural": "bilag til dagsordenpunkter",
                     "ordering": ["punkt", "uploadet", "pk"]},
        ),
    ]
