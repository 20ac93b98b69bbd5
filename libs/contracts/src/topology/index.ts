export * from './topology';
export * from './consumers';
