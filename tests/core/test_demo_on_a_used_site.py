"""``load_demo`` on a site that is already in use: what it finds is kept, what it lost is
made again.

Apart from ``test_demo.py``, whose tests share one loaded demo: these start without it (and
a redrawn image file would not be where the shared demo's image row expects it).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from home.models import HomePage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from .test_demo import load_demo


def test_existing_admin_keeps_its_password(db):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "geheim")
    output = load_demo()
    assert get_user_model().objects.get(username="admin").check_password("geheim")
    assert "admin / admin" not in output


def test_welcome_page_with_content_is_kept(db):
    welcome = Page.objects.get(title="Welcome to your new Wagtail site!")
    welcome.add_child(instance=Page(title="Impressum", slug="impressum"))
    load_demo()
    assert Page.objects.filter(pk=welcome.pk).exists()
    assert isinstance(Site.objects.get(is_default_site=True).root_page.specific, HomePage)


def test_lost_image_file_is_drawn_again(db):
    load_demo()
    image = get_image_model().objects.get()
    image.file.storage.delete(image.file.name)
    load_demo()
    image.refresh_from_db()
    assert get_image_model().objects.count() == 1
    assert image.file.storage.exists(image.file.name)
    assert (image.width, image.height) == (1200, 600)
