"""Names of the editorial groups that the data migration creates; tests and services refer to them here."""

PR_EDITORS = "広報担当"
APPROVERS = "承認者"
ADMINISTRATORS = "サイト管理者"
PUBLISHING_WORKFLOW = "公開承認"
APPROVAL_TASK = "承認者による承認"
MODERATORS = "意見担当"
TRANSLATORS = "翻訳者"
