from crs_shared.migrations import run_env
from contracts.adapters.tables import metadata

run_env(metadata)
