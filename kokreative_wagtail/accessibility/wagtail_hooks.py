from wagtail import hooks

from ..hook_names import REGISTER_BLOCKS
from .blocks import SignLanguageVideoBlock


@hooks.register(REGISTER_BLOCKS)
def register_sign_language_video_block(registry):
    """Every Kokreative page can explain itself in German Sign Language (BITV 2.0 § 4)."""
    registry.register("sign_language_video", SignLanguageVideoBlock())
