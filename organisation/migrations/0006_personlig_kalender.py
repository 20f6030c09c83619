# A user's personal calendar feed (issue 11, part 4): the SHA-256 of the secret token in its address.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("organisation", "0005_moeder"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Kalenderadgang",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("noegle_hash", models.CharField(max_length=64, unique=True, verbose_name="nøglens SHA-256")),
                ("oprettet", models.DateTimeField(default=django.utils.timezone.now)),
                ("bruger", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE,
                                                related_name="kalenderadgang", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "kalenderadgang",
                "verbose_name_plural": "kalenderadgange",
            },
        ),
    ]
