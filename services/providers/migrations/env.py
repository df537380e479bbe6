from crs_shared.migrations import run_env
from providers.adapters.tables import metadata

run_env(metadata)
