export * from './cloud-event';
export * from './cloud-event.codec';
export * from './event-data.validation';
export * from './validation-metadata-cache';
