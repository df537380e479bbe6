import json
import logging

from crs_shared.logs import configure_logging, correlation_id


def test_logs_are_json_lines_with_service_and_correlation_id(capsys):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("referrals")
        token = correlation_id.set("req-42")
        logging.getLogger("referrals.intake").info("referral submitted")
        correlation_id.reset(token)
        line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    assert line["message"] == "referral submitted"
    assert line["service"] == "referrals"
    assert line["correlation_id"] == "req-42"
    assert line["level"] == "INFO"
