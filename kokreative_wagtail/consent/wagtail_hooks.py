from wagtail import hooks

from ..hook_names import REGISTER_BLOCKS
from .blocks import ConsentEmbedBlock
from .viewsets import ConsentViewSetGroup, register_read_only_policy


@hooks.register(REGISTER_BLOCKS)
def register_consent_embed_block(registry):
    """Every Kokreative page can embed third-party content, gated by consent."""
    registry.register("consent_embed", ConsentEmbedBlock())


@hooks.register("register_admin_viewset")
def register_consent_viewsets():
    """Cookie groups, cookies and consent records under one "Consent" menu."""

    register_read_only_policy()
    return ConsentViewSetGroup()
