# Single sign-on with OpenID Connect (issue 12): the stable claim a person is matched by.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("organisation", "0006_personlig_kalender"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="sso_id",
            field=models.CharField(
                blank=True, max_length=255, null=True, unique=True, verbose_name="id hos identitetsudbyderen",
                help_text="Værdien af den faste oplysning (claim), som organisationens login sender om personen "
                          "(indstillingen OIDC_BRUGER_CLAIM, fx »sub«). Tom: personen kan ikke logge ind med "
                          "sin organisations login.",
            ),
        ),
    ]
