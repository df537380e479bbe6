"""`python -m contracts api|worker|migrate`."""
from crs_shared.cli import main

from contracts.app import build_runtime, create_app, MIGRATIONS, SERVICE
from contracts.settings import Settings

if __name__ == "__main__":
    main(SERVICE, Settings, create_app, build_runtime, MIGRATIONS)
