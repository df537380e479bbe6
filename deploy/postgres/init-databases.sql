-- One database per service: services never share a database.
CREATE DATABASE crs_referrals;
CREATE DATABASE crs_providers;
CREATE DATABASE crs_contracts;
CREATE DATABASE crs_notifications;
