"""factory-boy factories for the domain. Writes that matter in tests go through services."""

import factory
from django.contrib.auth import get_user_model

from organisation.choices import ForumType, PartType
from organisation.models import Forum, Klynge, Medlemskab, Part, Person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"bruger{n}")
    password = factory.django.Password("demo")


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part

    navn = factory.Sequence(lambda n: f"Kommune {n}")
    slug = factory.Sequence(lambda n: f"kommune-{n}")
    type = PartType.KOMMUNE


class HospitalFactory(PartFactory):
    navn = factory.Sequence(lambda n: f"Hospital {n}")
    slug = factory.Sequence(lambda n: f"hospital-{n}")
    type = PartType.HOSPITAL


class KlyngeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Klynge
        skip_postgeneration_save = True

    navn = factory.Sequence(lambda n: f"Klynge {n}")
    slug = factory.Sequence(lambda n: f"klynge-{n}")
    akuthospital = factory.SubFactory(HospitalFactory)

    @factory.post_generation
    def kommuner(self, create, extracted, **kwargs):
        if create and extracted:
            self.kommuner.set(extracted)


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    navn = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    type = ForumType.TEMAGRUPPE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    navn = factory.Sequence(lambda n: f"Medlem {n}")


class MedlemskabFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medlemskab

    person = factory.SubFactory(PersonFactory)
    forum = factory.SubFactory(ForumFactory)
    rolle = "medlem"
