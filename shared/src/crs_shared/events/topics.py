"""Topic names. One topic per producing service; the key is the aggregate id."""

REFERRALS = "crs.referrals.events.v1"
CATALOGUE = "crs.catalogue.events.v1"
CONTRACTS = "crs.contracts.events.v1"
NOTIFICATIONS = "crs.notifications.events.v1"
DEAD_LETTER = "crs.deadletter.v1"

ALL = (REFERRALS, CATALOGUE, CONTRACTS, NOTIFICATIONS, DEAD_LETTER)
