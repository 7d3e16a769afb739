from .comments import Comment, CommentStateChange, ResponseTopic
from .pages import ConsultationPage, ConsultationState

__all__ = ["Comment", "CommentStateChange", "ConsultationPage", "ConsultationState", "ResponseTopic"]
