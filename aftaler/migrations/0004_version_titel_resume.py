"""Title, summary and target group belong to the version (blank on older versions).

On SQLite, adding columns rebuilds the table and drops its triggers: the frozen-version trigger of
0002 is created again afterwards (PostgreSQL keeps it).
"""

from django.db import migrations, models

from aftaler.migrations import _triggere


class Migration(migrations.Migration):

    dependencies = [
        ('aftaler', '0003_soegeindeks'),
    ]

    operations = [
        migrations.AddField(
            model_name='aftaleversion',
            name='maalgruppe',
            field=models.TextField(blank=True, verbose_name='målgruppe'),
        ),
        migrations.AddField(
            model_name='aftaleversion',
            name='resume',
            field=models.TextField(blank=True, verbose_name='resumé'),
        ),
        migrations.AddField(
            model_name='aftaleversion',
            name='titel',
            field=models.CharField(blank=True, max_length=250),
        ),
        migrations.RunPython(_triggere.genskab_sqlite_frossen, migrations.RunPython.noop),
    ]
