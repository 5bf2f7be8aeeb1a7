"""Texts of cookie groups and cookies per language, filled from our translations.

Texts are created for the default groups and cookies in every content language other than the
default one (whose texts are the groups' own); texts that exist are never changed. Reversing
drops the tables; the groups themselves stay.
"""

import django.db.models.deletion
import kokreative_wagtail.consent.models
from django.db import migrations, models


def create_texts(apps, schema_editor):
    from kokreative_wagtail.consent.setup import setup_default_texts

    setup_default_texts(
        apps.get_model("cookie_consent", "CookieGroup"),
        apps.get_model("cookie_consent", "Cookie"),
        apps.get_model("kokreative_consent", "CookieGroupText"),
        apps.get_model("kokreative_consent", "CookieText"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cookie_consent', '0004_cookie_natural_key'),
        ('kokreative_consent', '0002_default_cookie_groups'),
    ]

    operations = [
        migrations.CreateModel(
            name='CookieGroupText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(choices=kokreative_wagtail.consent.models.content_language_choices, max_length=100, verbose_name='language')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='kokreative_texts', to='cookie_consent.cookiegroup', verbose_name='cookie group')),
            ],
            options={
                'verbose_name': 'cookie group text',
                'verbose_name_plural': 'cookie group texts',
                'ordering': ['group__ordering', 'group_id', 'language_code'],
                'constraints': [models.UniqueConstraint(fields=('group', 'language_code'), name='kokreative_cookie_group_text_unique')],
            },
        ),
        migrations.CreateModel(
            name='CookieText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(choices=kokreative_wagtail.consent.models.content_language_choices, max_length=100, verbose_name='language')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('cookie', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='kokreative_texts', to='cookie_consent.cookie', verbose_name='cookie')),
            ],
            options={
                'verbose_name': 'cookie text',
                'verbose_name_plural': 'cookie texts',
                'ordering': ['cookie__name', 'language_code'],
                'constraints': [models.UniqueConstraint(fields=('cookie', 'language_code'), name='kokreative_cookie_text_unique')],
            },
        ),
        migrations.RunPython(create_texts, migrations.RunPython.noop),
    ]
