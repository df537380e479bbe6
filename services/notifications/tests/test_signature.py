"""Standard Webhooks signing and the receiver's verifier."""
import base64
import hashlib
import hmac

import pytest

from notifications import WebhookVerificationError, verify_webhook
from notifications.domain.signature import new_secret, sign, signature_header

BODY = b'{"type":"referral.sent","data":{"referral_id":"r1"}}'


def headers(secret_list, msg_id="msg_1", ts=1_700_000_000, body=BODY):  # type: ignore[no-untyped-def]
    return {"webhook-id": msg_id, "webhook-timestamp": str(ts),
            "webhook-signature": signature_header(secret_list, msg_id, ts, body)}


def test_signature_matches_the_standard_webhooks_definition() -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    expected = base64.b64encode(hmac.new(base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                                         b"msg_1.1700000000." + BODY, hashlib.sha256).digest()).decode()
    assert sign(secret, "msg_1", 1_700_000_000, BODY) == "v1," + expected


def test_verifier_accepts_authentic_and_rejects_tampered_stale_or_foreign() -> None:
    secret = new_secret()
    h = headers([secret])
    verify_webhook(secret, h, BODY, now=1_700_000_100)
    verify_webhook(secret, {k.title(): v for k, v in h.items()}, BODY.decode(), now=1_700_000_100)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(secret, h, BODY.replace(b"r1", b"r2"), now=1_700_000_100)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(secret, h, BODY, now=1_700_000_301)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(secret, h, BODY, now=1_699_999_000)  # from the future
    with pytest.raises(WebhookVerificationError):
        verify_webhook(new_secret(), h, BODY, now=1_700_000_100)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(secret, {"webhook-id": "x"}, BODY)


def test_during_rotation_either_secret_verifies() -> None:
    old, new = new_secret(), new_secret()
    h = headers([new, old])
    assert len(h["webhook-signature"].split(" ")) == 2
    verify_webhook(old, h, BODY, now=1_700_000_000)
    verify_webhook(new, h, BODY, now=1_700_000_000)
