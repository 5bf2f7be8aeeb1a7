"""``KokreativeStreamField``: a StreamField whose migrations ignore site-registered blocks.

Django writes a StreamField's block list into migrations. Ours live in site-packages, where a site
cannot write, so a block a site registers must not change them: the field deconstructs to the
blocks declared on the stream block class only. The JSON column is the same either way.
"""

from __future__ import annotations

from wagtail.blocks.definition_lookup import BlockDefinitionLookupBuilder
from wagtail.fields import StreamField

from .blocks.registry import block_registry
from .blocks.stream import KokreativeStreamBlock


class KokreativeStreamField(StreamField):
    def __init__(self, block_types=None, **kwargs):
        if block_types is None:
            block_types = KokreativeStreamBlock
        super().__init__(block_types, **kwargs)

    @property
    def stream_block(self):
        # Rebuilt when the registry changes, so blocks registered by hooks are always present.
        cached = self.__dict__.get("_kokreative_stream_block")
        if cached is None or cached[0] != block_registry.version:
            block = StreamField.stream_block.func(self)
            cached = (block_registry.version, block)
            self.__dict__["_kokreative_stream_block"] = cached
        return cached[1]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        block = self.stream_block
        if isinstance(block, KokreativeStreamBlock):
            lookup = BlockDefinitionLookupBuilder()
            args = [[(n, lookup.add_block(b)) for n, b in type(block).base_blocks.items()]]
            kwargs["block_lookup"] = lookup.get_lookup_as_dict()
        return name, "wagtail.fields.StreamField", args, kwargs
