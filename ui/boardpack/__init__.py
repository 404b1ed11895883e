"""The board pack: the PDF a chief officer reads for a period (see ``writer`` for what every page carries).

``content`` says what the pack says, as blocks; ``layout`` measures them and flows them onto pages;
``charts`` draws its pictures with QPainter; ``writer`` paints the pages and ``pdf`` adds bookmarks.
"""

from ui.boardpack.export import export_board_pack
from ui.boardpack.writer import write_board_pack

__all__ = ["export_board_pack", "write_board_pack"]
