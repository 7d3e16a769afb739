from .analysis import AnalysisChunk, AnalysisRun, ProposedTopic, SummarySentence, TopicPlacement
from .comments import Comment, CommentStateChange, IllegalStateChange, ResponseTopic
from .pages import ConsultationPage, ConsultationState
from .reflection import ReflectionStatus

__all__ = [
    "AnalysisChunk",
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
