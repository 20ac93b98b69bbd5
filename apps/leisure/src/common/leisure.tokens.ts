/** DI token of the validated LeisureEnv. */
export const LEISURE_ENV = Symbol('LEISURE_ENV');
