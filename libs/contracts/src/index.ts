export * from './topology';
export * from './envelope';
export * from './errors';
export * from './events';
export * from './catalog';
export * from './identity';
export * from './policy';
export * from './compatibility';
