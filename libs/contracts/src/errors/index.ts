export * from './contract-violation';
