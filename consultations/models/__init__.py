from .comments import Comment, CommentStateChange, ResponseTopic
from .pages import ConsultationPage, ConsultationState
from .reflection import ReflectionStatus

__all__ = [
    "Comment",
    "CommentStateChange",
    "ConsultationPage",
    "ConsultationState",
    "ReflectionStatus",
    "ResponseTopic",
]
