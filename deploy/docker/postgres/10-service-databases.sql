-- Run once by the postgres:16 image on an empty data directory (docker-entrypoint-initdb.d, via psql).
-- One database and one login role per service in libs/contracts topology (SERVICES); the role owns its
-- database and public schema and is the only non-superuser that may connect to it.
-- Development secrets only; test/compose/docker-compose.spec.ts checks every service is here.

CREATE ROLE samverkan_education LOGIN PASSWORD 'samverkan-dev-pg-education';
CREATE DATABASE samverkan_education OWNER samverkan_education;
REVOKE CONNECT, TEMPORARY ON DATABASE samverkan_education FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE samverkan_education TO samverkan_education;
\connect samverkan_education
ALTER SCHEMA public OWNER TO samverkan_education;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
\connect postgres

CREATE ROLE samverkan_social_services LOGIN PASSWORD 'samverkan-dev-pg-social-services';
CREATE DATABASE samverkan_social_services OWNER samverkan_social_services;
REVOKE CONNECT, TEMPORARY ON DATABASE samverkan_social_services FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE samverkan_social_services TO samverkan_social_services;
\connect samverkan_social_services
ALTER SCHEMA public OWNER TO samverkan_social_services;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
\connect postgres

CREATE ROLE samverkan_leisure LOGIN PASSWORD 'samverkan-dev-pg-leisure';
CREATE DATABASE samverkan_leisure OWNER samverkan_leisure;
REVOKE CONNECT, TEMPORARY ON DATABASE samverkan_leisure FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE samverkan_leisure TO samverkan_leisure;
\connect samverkan_leisure
ALTER SCHEMA public OWNER TO samverkan_leisure;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
\connect postgres

CREATE ROLE samverkan_router LOGIN PASSWORD 'samverkan-dev-pg-router';
CREATE DATABASE samverkan_router OWNER samverkan_router;
REVOKE CONNECT, TEMPORARY ON DATABASE samverkan_router FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE samverkan_router TO samverkan_router;
\connect samverkan_router
ALTER SCHEMA public OWNER TO samverkan_router;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
\connect postgres

CREATE ROLE samverkan_reporting LOGIN PASSWORD 'samverkan-dev-pg-reporting';
CREATE DATABASE samverkan_reporting OWNER samverkan_reporting;
REVOKE CONNECT, TEMPORARY ON DATABASE samverkan_reporting FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE samverkan_reporting TO samverkan_reporting;
\connect samverkan_reporting
ALTER SCHEMA public OWNER TO samverkan_reporting;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
\connect postgres

CREATE ROLE samverkan_operations LOGIN PASSWORD 'samverkan-dev-pg-operations';
CREATE DATABASE samverkan_operations OWNER samverkan_operations;
REVOKE CONNECT, TEMPORARY ON DATABASE samverkan_operations FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE samverkan_operations TO samverkan_operations;
\connect samverkan_operations
ALTER SCHEMA public OWNER TO samverkan_operations;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
\connect postgres

-- new-consumer: databases above this line
