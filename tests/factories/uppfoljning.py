import factory

from uppfoljning.models import Category, CategoryKind


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    kind = CategoryKind.ACTIVITY_KIND
    code = factory.Sequence(lambda n: f"kategori-{n}")
    label = factory.Sequence(lambda n: f"Kategori {n}")
    order = factory.Sequence(lambda n: 200 + n)
    active = True

    class Params:
        inactive = factory.Trait(active=False)
