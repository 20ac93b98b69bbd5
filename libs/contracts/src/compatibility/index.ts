export * from './json-schema-compatibility';
