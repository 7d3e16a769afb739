from .pages import ConsultationPage, ConsultationState

__all__ = ["ConsultationPage", "ConsultationState"]
