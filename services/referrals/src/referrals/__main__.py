"""`python -m referrals api|worker|migrate`."""
from crs_shared.cli import main

from referrals.app import build_runtime, create_app, MIGRATIONS, SERVICE
from referrals.settings import Settings

if __name__ == "__main__":
    main(SERVICE, Settings, create_app, build_runtime, MIGRATIONS)
