from wagtail import hooks

from .blocks import ConsentEmbedBlock


@hooks.register("register_kokreative_blocks")
def register_consent_embed_block(registry):
    """Every Kokreative page can embed third-party content, gated by consent."""
    registry.register("consent_embed", ConsentEmbedBlock())
