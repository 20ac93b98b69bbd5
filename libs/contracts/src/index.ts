export * from './topology';
export * from './envelope/cloud-event';
