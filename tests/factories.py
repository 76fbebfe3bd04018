"""factory_boy factories for the rest of the cast; complex states go through services."""

from datetime import date
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from partnerships.codelists import ActivityStatus, OrganisationRole, OrganisationType
from partnerships.models import (
    Contribution,
    ContributionKind,
    MemberRole,
    Milestone,
    Organisation,
    OrganisationMember,
    Partner,
    Partnership,
    Visibility,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    type = OrganisationType.NATIONAL_NGO
    country = "KE"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMember

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MemberRole.STAFF


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    title = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    problem = "Farmers cannot reach market prices."
    status = ActivityStatus.IMPLEMENTATION
    visibility = Visibility.PUBLIC
    recipient_countries = ["KE"]
    planned_start = date(2026, 1, 1)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = OrganisationRole.IMPLEMENTING
    joined_on = date(2026, 1, 1)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    partner = factory.SubFactory(PartnerFactory)
    kind = ContributionKind.CASH
    amount = Decimal("1000.00")
    currency = "USD"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    date = date(2026, 6, 1)
