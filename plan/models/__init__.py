from .department import Department
from .kpi import KPI
from .pages import AreaPage, ChapterPage, DirectionPage, InitiativePage, PlanPage

__all__ = ["KPI", "AreaPage", "ChapterPage", "Department", "DirectionPage", "InitiativePage", "PlanPage"]
