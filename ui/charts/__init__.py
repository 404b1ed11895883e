"""The dashboard's pyqtgraph charts, one module each; every chart takes an AppContext and a DashboardData."""

from ui.charts.base import Chart, Region
from ui.charts.movement import MovementChart
from ui.charts.recommendations import RecommendationsChart
from ui.charts.risk_heatmap import RiskHeatMap
from ui.charts.theme_rag import ThemeRagChart
from ui.charts.timeline import TimelineChart
from ui.charts.trend import TrendChart

CHARTS: tuple[type[Chart], ...] = (
    ThemeRagChart, TrendChart, MovementChart, RiskHeatMap, TimelineChart, RecommendationsChart,
)  # fmt: skip

__all__ = [
    "CHARTS", "Chart", "MovementChart", "RecommendationsChart", "Region", "RiskHeatMap", "ThemeRagChart",
    "TimelineChart", "TrendChart",
]  # fmt: skip
