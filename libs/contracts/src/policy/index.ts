// The sharing policy: event type × audience → outcome, legal basis, consent; and the pure functions
// the router applies (decide, then applyTransform).
export * from './legal-basis';
export * from './sharing-policy';
export * from './consent';
export * from './decide';
export * from './transform';
