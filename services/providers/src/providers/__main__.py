"""`python -m providers api|worker|migrate`."""
from crs_shared.cli import main

from providers.app import build_runtime, create_app, MIGRATIONS, SERVICE
from providers.settings import Settings

if __name__ == "__main__":
    main(SERVICE, Settings, create_app, build_runtime, MIGRATIONS)
