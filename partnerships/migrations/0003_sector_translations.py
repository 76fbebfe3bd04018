"""Give the seeded DAC sectors their French, Spanish and Swahili names in existing databases."""

from django.db import migrations

from partnerships.codelists import DAC_SECTOR_TRANSLATIONS, DAC_SECTORS


def translate_sectors(apps, schema_editor):
    Sector = apps.get_model("partnerships", "Sector")
    for code, _category, _name in DAC_SECTORS:
        names = DAC_SECTOR_TRANSLATIONS.get(code, {})
        fields = {f"name_{lang}": names[lang] for lang in ("fr", "es", "sw") if names.get(lang)}
        if fields:
            Sector.objects.filter(code=code).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0002_seed_sectors")]

    operations = [migrations.RunPython(translate_sectors, migrations.RunPython.noop)]
