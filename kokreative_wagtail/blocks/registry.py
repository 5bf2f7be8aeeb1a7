"""Registry of extra StreamField blocks that sites add to ``KokreativeStreamBlock``.

Shaped like Wagtail's rich text feature registry: filled by the ``register_kokreative_blocks`` hook
on first use, read lazily, so hooks in any app's ``wagtail_hooks.py`` are seen regardless of app
order.
"""

from __future__ import annotations

from wagtail import hooks
from wagtail.blocks import Block

from ..hook_names import REGISTER_BLOCKS

#: The hook's name (``hook_names.REGISTER_BLOCKS``), kept here for ``blocks.HOOK_NAME``.
HOOK_NAME = REGISTER_BLOCKS


class BlockRegistry:
    """Named blocks contributed by ``register_kokreative_blocks`` hooks.

    A hook receives this registry and calls ``register(name, block)``::

        @hooks.register("register_kokreative_blocks")
        def add_map(registry):
            registry.register("map", MapBlock())
    """

    def __init__(self) -> None:
        self._blocks: dict[str, Block] = {}
        self._scanned = False
        #: Bumped whenever the content changes so cached stream blocks rebuild.
        self.version = 0

    def register(self, name: str, block: Block) -> None:
        if not name.isidentifier():
            raise ValueError(f"Block name {name!r} must be a valid Python identifier.")
        if not isinstance(block, Block):
            raise TypeError(f"Block {name!r} must be a block instance, not {block!r}.")
        if name in self._blocks:
            raise ValueError(f"A block named {name!r} is already registered.")
        self._blocks[name] = block
        self.version += 1

    def _scan(self) -> None:
        if self._scanned:
            return
        self._scanned = True
        for fn in hooks.get_hooks(HOOK_NAME):
            fn(self)

    def get_blocks(self) -> list[tuple[str, Block]]:
        """The registered ``(name, block)`` pairs, in registration order."""
        self._scan()
        return list(self._blocks.items())

    def reset(self) -> None:
        """Forget everything; the hooks run again on next use (for tests)."""
        self._blocks = {}
        self._scanned = False
        self.version += 1


block_registry = BlockRegistry()
