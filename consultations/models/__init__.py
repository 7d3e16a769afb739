from .analysis import AnalysisRun, ProposedTopic, SummarySentence, TopicPlacement
from .comments import Comment, CommentStateChange, ResponseTopic
from .pages import ConsultationPage, ConsultationState

__all__ = [
    "AnalysisRun",
    "Comment",
    "CommentStateChange",
    "ConsultationPage",
    "ConsultationState",
    "ProposedTopic",
    "ResponseTopic",
    "SummarySentence",
    "TopicPlacement",
]
