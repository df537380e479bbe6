"""FastAPI plumbing shared by the services: problem+json errors, auth, health, correlation ids."""
