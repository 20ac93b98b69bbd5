export * from './intervention-catalog';
