"""The referrals domain: pure Python, no frameworks."""
