"""The notifications service. Receivers of its webhooks may use `verify_webhook` (see WEBHOOKS.md)."""
from notifications.domain.signature import WebhookVerificationError, verify_webhook

__all__ = ["WebhookVerificationError", "verify_webhook"]
