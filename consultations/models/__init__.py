from .comments import Comment, CommentStateChange, IllegalStateChange, ResponseTopic
from .pages import ConsultationPage, ConsultationState

__all__ = [
    "Comment",
    "CommentStateChange",
    "ConsultationPage",
    "ConsultationState",
    "IllegalStateChange",
    "ResponseTopic",
]
