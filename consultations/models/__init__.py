from .analysis import AnalysisRun, ProposedTopic, SummarySentence, TopicPlacement
from .comments import Comment, CommentStateChange, ResponseTopic
from .pages import ConsultationPage, ConsultationState
from .reflection import ReflectionStatus

__all__ = [
    "AnalysisRun",
    "Comment",
    "CommentStateChange",
    "ConsultationPage",
    "ConsultationState",
    "ProposedTopic",
    "ReflectionStatus",
    "ResponseTopic",
    "SummarySentence",
    "TopicPlacement",
]
