from .department import Department
from .kpi import KPI
from .pages import AreaPage, CardDepartment, ChapterPage, DirectionPage, InitiativePage, PlanPage

__all__ = [
    "KPI",
    "AreaPage",
    "CardDepartment",
    "ChapterPage",
    "Department",
    "DirectionPage",
    "InitiativePage",
    "PlanPage",
]
