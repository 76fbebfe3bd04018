from django.db import migrations

from partnerships.codelists import DAC_SECTORS, DAC_SECTOR_TRANSLATIONS


def seed_sectors(apps, schema_editor):
    Sector = apps.get_model("partnerships", "Sector")
    for code, category, name in DAC_SECTORS:
        names = {"name": name, "name_en": name}
        for language, translated in DAC_SECTOR_TRANSLATIONS.get(code, {}).items():
            names[f"name_{language}"] = translated
        Sector.objects.update_or_create(code=code, defaults={"category": category, **names})


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(seed_sectors, migrations.RunPython.noop)]
