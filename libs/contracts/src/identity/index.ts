// Personal identity numbers: validation, normalization and the router's keyed pseudonym.
export * from './personnummer';
export * from './is-personnummer.decorator';
export * from './pseudonym';
