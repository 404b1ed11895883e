"""The user guide, inside the app and offline: F1 opens it at the section for the page on show.

The guide is one HTML file shipped in ``resources/help`` (so it works from a wheel or a frozen
build); each page has a section whose anchor is the page's key.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from tracker import resources

GUIDE = ("help", "guide.html")


def guide_html() -> str:
    return resources.read_text(*GUIDE)


class HelpWindow(QDialog):
    """The guide in a window of its own, beside the app (not modal: read it while working)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Delivery Plan Tracker: user guide")
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        em = self.fontMetrics().averageCharWidth()
        self.resize(em * 95, self.fontMetrics().lineSpacing() * 40)

    def show_section(self, anchor: str) -> None:
        self.show()
        self.raise_()
        self.browser.scrollToAnchor(anchor)
