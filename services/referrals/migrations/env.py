from crs_shared.migrations import run_env
from referrals.adapters.tables import metadata

run_env(metadata)
