"""Mail in production without an SMTP server: nothing personal in the log."""


def test_mail_without_smtp_logs_no_address_or_text(caplog, settings):
    from django.core.mail import send_mail

    settings.EMAIL_BACKEND = "home.mail.SubjectOnlyLogBackend"
    with caplog.at_level("DEBUG"):
        send_mail("ご意見を受け付けました", "三重 太郎 様 ご意見本文", "from@example.jp", ["taro@example.jp"])
    logged = caplog.text
    assert "ご意見を受け付けました" in logged and "1 recipient" in logged
    assert "taro@example.jp" not in logged and "三重 太郎" not in logged
