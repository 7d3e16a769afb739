"""Mail without an SMTP server (production with no EMAIL_URL): say that a mail would have gone, not to whom.

The console backend would print each receipt, with the resident's e-mail address and comment, into the
application log; this one logs only the subject and the number of recipients.
"""

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class SubjectOnlyLogBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            logger.warning(
                "mail not sent (no EMAIL_URL): %r to %d recipient(s)", message.subject, len(message.recipients())
            )
        return len(email_messages)
