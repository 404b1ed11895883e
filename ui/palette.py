"""Colours: light and dark surfaces, the BRAG status colours (standard and colour-blind-safe), chart series.

One :class:`Palette` value feeds the Qt palette, the stylesheets (:mod:`ui.styles`) and, later,
the charts, so nothing else in the UI names a colour. Status is never colour alone: every BRAG
colour is shown with its word (see ``tracker.rules.brag_label``); the palette only decides the
fill and a readable text colour on it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from PySide6.QtGui import QColor, QPalette

from tracker.enums import Brag

# ---------------------------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Surfaces:
    """The neutral colours of one appearance (light or dark)."""

    name: str
    window: str
    surface: str  # lists, editors, pages
    surface_alt: str  # alternate rows, the navigation pane
    text: str
    text_muted: str
    border: str
    accent: str  # selection, focus rings, links
    on_accent: str
    hover: str
    focus: str  # keyboard focus outline, distinct from selection
    danger: str


LIGHT = Surfaces(
    name="light",
    window="#f3f2f1",
    surface="#ffffff",
    surface_alt="#f8f8f7",
    text="#0b0c0c",
    text_muted="#505a5f",
    border="#b1b4b6",
    accent="#1d70b8",
    on_accent="#ffffff",
    hover="#e8f1f8",
    focus="#ffdd00",
    danger="#b3261e",
)

DARK = Surfaces(
    name="dark",
    window="#1c1d20",
    surface="#25272b",
    surface_alt="#202225",
    text="#ecedee",
    text_muted="#a9afb5",
    border="#4b5057",
    accent="#6cb4ee",
    on_accent="#0b0c0c",
    hover="#2f3a46",
    focus="#ffdd00",
    danger="#ff8a80",
)


@dataclass(frozen=True)
class BragColours:
    """Fill colours for each displayed status; the text on them is chosen for contrast."""

    name: str
    red: str
    amber: str
    green: str
    blue: str
    grey: str

    def fill(self, status: Brag | str) -> str:
        return str(getattr(self, Brag(status).value))


# The GOV.UK colour set: familiar to public-sector readers, strong enough for white or black text.
STANDARD_BRAG = BragColours(
    name="standard", red="#d4351c", amber="#f47738", green="#00703c", blue="#1d70b8", grey="#b1b4b6"
)

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Vermillion, orange, bluish green, blue, grey.
COLOUR_BLIND_BRAG = BragColours(
    name="colour-blind safe",
    red="#d55e00",
    amber="#e69f00",
    green="#009e73",
    blue="#0072b2",
    grey="#999999",
)

# The Government Analysis Function's categorical chart palette, in its recommended order.
CHART_SERIES = ("#12436d", "#28a197", "#801650", "#f46a25", "#3d3d3d", "#a285d1")


@dataclass(frozen=True)
class Palette:
    surfaces: Surfaces = LIGHT
    brag: BragColours = STANDARD_BRAG
    series: tuple[str, ...] = field(default=CHART_SERIES)

    @property
    def dark(self) -> bool:
        return self.surfaces.name == "dark"

    @property
    def colour_blind(self) -> bool:
        return self.brag is COLOUR_BLIND_BRAG

    def brag_fill(self, status: Brag | str) -> str:
        return self.brag.fill(status)

    def brag_text(self, status: Brag | str) -> str:
        """Black or white, whichever reads better on the status fill."""
        return readable_on(self.brag.fill(status))

    def values(self) -> dict[str, str]:
        """Every named colour, for filling stylesheets: ``{{ text }}``, ``{{ brag_red }}``, ``{{ on_brag_red }}``."""
        out = {k: v for k, v in asdict(self.surfaces).items() if k != "name"}
        for status in Brag:
            out[f"brag_{status.value}"] = self.brag_fill(status)
            out[f"on_brag_{status.value}"] = self.brag_text(status)
        for n, colour in enumerate(self.series):
            out[f"series_{n}"] = colour
        return out

    def qpalette(self) -> QPalette:
        s = self.surfaces
        pal = QPalette()
        roles = {
            QPalette.ColorRole.Window: s.window,
            QPalette.ColorRole.WindowText: s.text,
            QPalette.ColorRole.Base: s.surface,
            QPalette.ColorRole.AlternateBase: s.surface_alt,
            QPalette.ColorRole.Text: s.text,
            QPalette.ColorRole.Button: s.surface,
            QPalette.ColorRole.ButtonText: s.text,
            QPalette.ColorRole.BrightText: s.danger,
            QPalette.ColorRole.Highlight: s.accent,
            QPalette.ColorRole.HighlightedText: s.on_accent,
            QPalette.ColorRole.ToolTipBase: s.surface,
            QPalette.ColorRole.ToolTipText: s.text,
            QPalette.ColorRole.PlaceholderText: s.text_muted,
            QPalette.ColorRole.Link: s.accent,
            QPalette.ColorRole.LinkVisited: s.accent,
            QPalette.ColorRole.Light: mix(s.surface, "#ffffff", 0.3),
            QPalette.ColorRole.Midlight: mix(s.surface, s.border, 0.5),
            QPalette.ColorRole.Mid: s.border,
            QPalette.ColorRole.Dark: mix(s.border, s.text, 0.4),
            QPalette.ColorRole.Shadow: "#000000",
        }
        for role, colour in roles.items():
            pal.setColor(role, QColor(colour))
        disabled = mix(s.text_muted, s.surface, 0.35)
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
            pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
        pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor(s.border))
        return pal


def make_palette(*, dark: bool = False, colour_blind: bool = False) -> Palette:
    return Palette(
        surfaces=DARK if dark else LIGHT, brag=COLOUR_BLIND_BRAG if colour_blind else STANDARD_BRAG
    )


# ---------------------------------------------------------------------------------------------- colour arithmetic


def _rgb(colour: str) -> tuple[float, float, float]:
    c = QColor(colour)
    return c.redF(), c.greenF(), c.blueF()


def luminance(colour: str) -> float:
    """WCAG relative luminance."""

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable_on(fill: str) -> str:
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#ffffff") else "#ffffff"


def mix(a: str, b: str, t: float) -> str:
    """``a`` moved a fraction ``t`` of the way to ``b``."""
    ca, cb = QColor(a), QColor(b)
    return QColor.fromRgbF(
        ca.redF() + (cb.redF() - ca.redF()) * t,
        ca.greenF() + (cb.greenF() - ca.greenF()) * t,
        ca.blueF() + (cb.blueF() - ca.blueF()) * t,
    ).name()
