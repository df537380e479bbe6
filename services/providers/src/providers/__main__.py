"""`python -m providers api|worker|migrate|openapi`, and `python -m providers import FILE`."""
import sys

from crs_shared.cli import main

from providers.app import build_runtime, create_app, MIGRATIONS, SERVICE
from providers.settings import Settings

if __name__ == "__main__":
    if sys.argv[1:2] == ["import"]:
        from providers.import_command import main as import_main

        sys.exit(import_main(sys.argv[2:], MIGRATIONS))
    main(SERVICE, Settings, create_app, build_runtime, MIGRATIONS)
