/**
 * Local development secrets. They are deterministic so that a restarted stack, the tests and the apps
 * agree without passing secrets around, and they protect nothing: the broker and the private database
 * listen on 127.0.0.1 only. Production takes real secrets from its secret store (Kubernetes Secrets /
 * the Strimzi user operator), never these.
 */
export const KAFKA_ADMIN_USER = process.env.SAMVERKAN_KAFKA_ADMIN_USER ?? 'admin';
export const KAFKA_ADMIN_PASSWORD = process.env.SAMVERKAN_KAFKA_ADMIN_PASSWORD ?? 'samverkan-dev-admin';

export const kafkaDevPassword = (username: string): string => `samverkan-dev-kafka-${username}`;

/** Postgres names cannot contain '-' unquoted; prefixed so they never collide on a shared server. */
export const pgName = (service: string): string => `samverkan_${service.replace(/-/g, '_')}`;
export const pgDevPassword = (service: string): string => `samverkan-dev-pg-${service}`;

export const PG_PRIVATE_SUPERUSER_PASSWORD = 'samverkan-dev-postgres';
