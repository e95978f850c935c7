-- Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d).
-- The schema registry keeps its schemas in a database of its own, beside the services' pardot_x3.
CREATE DATABASE apicurio_registry;
