"""The providers domain: pure Python, no frameworks."""
