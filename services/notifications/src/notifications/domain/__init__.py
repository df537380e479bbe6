"""The notifications domain: pure Python, no frameworks."""
