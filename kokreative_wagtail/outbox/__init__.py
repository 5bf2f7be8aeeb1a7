"""Outbox of notification e-mails: stored with their cause, sent and retried until delivered.

A mail is rendered and stored in the transaction that stores its cause (a form submission), so it
can never be lost between commit and sending, and a retry sends exactly what was rendered. Sending
happens in a task (``tasks.send_notification``, ids only) and in the management command
``kokreative_send_notifications``; both claim a row before sending, so two workers never send the
same mail. See docs/forms.md#delivery.
"""
