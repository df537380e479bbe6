"""The contracts domain: pure Python, no frameworks."""
