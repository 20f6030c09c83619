import django.db.models.deletion
from django.db import migrations, models

from sundhed.migreringer import pr_database

# Fill the table from the index rows already written (PostgreSQL: see aftaler.search._RANG_SQL).
UDFYLD = [r"""
    INSERT INTO aftaler_soegerang (aftale_id, leksem, rang, titel)
    SELECT s.aftale_id, u.lexeme, ts_rank(s.vektor, ('''' || u.lexeme || '''')::tsquery), s.titel
    FROM aftaler_soegeindeks s CROSS JOIN LATERAL unnest(s.vektor) AS u
    WHERE u.lexeme !~ '[''\\]'
"""]


class Migration(migrations.Migration):

    dependencies = [
        ('aftaler', '0012_kommentar'),
    ]

    operations = [
        migrations.CreateModel(
            name='Soegerang',
            fields=[
                ('pk', models.CompositePrimaryKey('aftale', 'leksem', blank=True, editable=False, primary_key=True, serialize=False)),
                ('leksem', models.TextField()),
                ('rang', models.FloatField()),
                ('titel', models.CharField(max_length=250)),
                ('aftale', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='aftaler.soegeindeks')),
            ],
            options={
                'verbose_name': 'søgerang',
                'verbose_name_plural': 'søgerang',
                'indexes': [models.Index(models.F('leksem'), models.OrderBy(models.F('rang'), descending=True), models.F('titel'), models.F('aftale'), name='aftaler_soegerang_side'), models.Index(fields=['leksem'], name='aftaler_soegerang_leksem')],
            },
        ),
        migrations.RunPython(pr_database({"postgresql": UDFYLD}), migrations.RunPython.noop),
    ]
