/** Settings handed over by bench/pipeline (never the user's shell); read once at start. */
export function naiveEnv() {
  const need = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`naive baseline: ${name} is required`);
    return value;
  };
  return {
    brokers: need('KAFKA_BROKERS').split(','),
    username: need('KAFKA_USERNAME'),
    password: need('KAFKA_PASSWORD'),
    databaseUrl: need('DATABASE_URL'),
    topic: need('NAIVE_TOPIC'),
    groupId: need('NAIVE_GROUP'),
    port: Number(process.env.PORT ?? 0),
  };
}

export type NaiveEnv = ReturnType<typeof naiveEnv>;

export const KAFKA_CLIENT = 'NAIVE_KAFKA';
export const NAIVE_ENV = 'NAIVE_ENV';
