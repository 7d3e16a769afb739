from .actuals import DepartmentTeam, KPIActual, PublishedFigure
from .pages import ProgressPage
from .settings import ProgressSettings

__all__ = ["DepartmentTeam", "KPIActual", "ProgressPage", "ProgressSettings", "PublishedFigure"]
