"""Names of the editorial groups that the data migration creates; tests and services refer to them here."""

PR_EDITORS = "広報担当"
APPROVERS = "承認者"
ADMINISTRATORS = "サイト管理者"
MODERATORS = "意見担当"
TRANSLATORS = "翻訳者"
