from .analysis import AnalysisRun, ProposedTopic, SummarySentence, TopicPlacement
from .comments import Comment, CommentStateChange, IllegalStateChange, ResponseTopic
from .pages import ConsultationPage, ConsultationState
from .reflection import ReflectionStatus

__all__ = [
    "AnalysisRun",
    "Comment",
    "CommentStateChange",
    "ConsultationPage",
    "ConsultationState",
    "IllegalStateChange",
    "ProposedTopic",
    "ReflectionStatus",
    "ResponseTopic",
    "SummarySentence",
    "TopicPlacement",
]
